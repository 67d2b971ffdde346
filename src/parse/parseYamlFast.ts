import { CORE_SCHEMA, load } from 'js-yaml';

/**
 * The fast path: js-yaml builds the plain value several times faster than the
 * `yaml` library (which also records every node's position), and most renders
 * have nothing to report. Anything unusual — any error, any alias, more than one
 * document, a non-mapping — returns undefined and the caller takes the precise
 * path (parseYaml), which has positions and our own limits and messages.
 */
export function parseYamlFast(text: string, maxDepth: number): Record<string, unknown> | undefined {
  // Explicit tags and directives (%YAML 1.1) are resolved differently by the two
  // libraries; they are rare enough to always take the precise path.
  if (text.includes('!') || /^%/m.test(text)) return undefined;
  try {
    // maxAliases 0: shared references would let an alias bomb explode later, in code that walks the value.
    const v = load(text, { schema: CORE_SCHEMA, maxAliases: 0, maxDepth, json: false });
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
