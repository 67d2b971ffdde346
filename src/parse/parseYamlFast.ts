import { CORE_SCHEMA, defineScalarTag, load, NOT_RESOLVED } from 'js-yaml';
import { ExactFloat, exactInteger, floatOverflows, outsideInt64, YAML_FLOAT, YAML_INT, yamlFloat } from './exactNumber';

// Set by the number tags while one document loads (loading is synchronous).
let exotic = false;
let unwritable = false;

/**
 * The core schema's int and float tags with exact values, as on the precise
 * path (parseYaml), and the same forms (js-yaml's own float tag reads `1e400`
 * as a string). A number that cannot be written into user.toml sends the
 * document to the precise path, which reports it with a position (a throwing
 * resolver would make js-yaml read a string).
 */
const EXACT_SCHEMA = CORE_SCHEMA.withTags(
  defineScalarTag('tag:yaml.org,2002:int', {
    implicit: true,
    implicitFirstChars: [...'-+0123456789'],
    identify: () => false,
    resolve(source) {
      if (!YAML_INT.test(source)) return NOT_RESOLVED;
      const n = exactInteger(source);
      if (typeof n === 'bigint') {
        exotic = true;
        if (outsideInt64(n)) unwritable = true;
      }
      return n;
    },
  }),
  defineScalarTag('tag:yaml.org,2002:float', {
    implicit: true,
    implicitFirstChars: [...'-+.0123456789'],
    identify: (v) => v instanceof ExactFloat,
    resolve(source) {
      if (!YAML_FLOAT.test(source)) return NOT_RESOLVED;
      const f = yamlFloat(source);
      exotic = true;
      if (floatOverflows(f)) unwritable = true;
      return f;
    },
  }),
);

/**
 * The fast path: js-yaml builds the plain value several times faster than the
 * `yaml` library (which also records every node's position), and most renders
 * have nothing to report. Anything unusual — any error, any alias, more than one
 * document, a non-mapping, a float used as a key — returns undefined and the
 * caller takes the precise path (parseYaml), which has positions and our own
 * limits and messages. `exotic`: the value holds a bigint or an ExactFloat.
 */
export function parseYamlFast(text: string, maxDepth: number): { value: Record<string, unknown>; exotic: boolean } | undefined {
  // Explicit tags and directives (%YAML 1.1) are resolved differently by the two
  // libraries; they are rare enough to always take the precise path.
  if (text.includes('!') || /^%/m.test(text)) return undefined;
  exotic = false;
  unwritable = false;
  try {
    // maxAliases 0: shared references would let an alias bomb explode later, in code that walks the value.
    const v = load(text, { schema: EXACT_SCHEMA, maxAliases: 0, maxDepth, json: false });
    if (unwritable) return undefined;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { value: v as Record<string, unknown>, exotic } : undefined;
  } catch {
    return undefined;
  }
}
