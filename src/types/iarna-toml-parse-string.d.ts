// The string parser alone: the package index also loads its stream parser (node:stream) at start-up.
declare module '@iarna/toml/parse-string.js' {
  const parse: (text: string) => Record<string, unknown>;
  export default parse;
}
