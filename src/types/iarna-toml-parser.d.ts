// The parser class alone: the package index also loads its stream parser (node:stream) at start-up.
declare module '@iarna/toml/lib/toml-parser.js' {
  class TOMLParser {
    /** Index of the current character in the text being parsed. */
    ii: number;
    parse(text: string): void;
    finish(): Record<string, unknown>;
    parseValue(): unknown;
    return(value?: unknown): void;
    error(err: Error): Error;
  }
  export default TOMLParser;
}
