import { CORE_SCHEMA, defineScalarTag, floatCoreTag, intCoreTag, load, NOT_RESOLVED } from 'js-yaml';
import { ExactFloat, exactInteger, floatOverflows, outsideInt64, yamlFloat } from './exactNumber';

// Set by the number tags while one document loads (loading is synchronous).
let exotic = false;

/**
 * js-yaml's core int and float tags decide what is a number; the value is made
 * exact here, as on the precise path (parseYaml). A number that cannot be
 * written into user.toml throws, so the precise path reports it with a position.
 */
const EXACT_SCHEMA = CORE_SCHEMA.withTags(
  defineScalarTag('tag:yaml.org,2002:int', {
    implicit: true,
    implicitFirstChars: intCoreTag.implicitFirstChars,
    identify: () => false,
    resolve(source, isExplicit, tagName) {
      if (intCoreTag.resolve(source, isExplicit, tagName) === NOT_RESOLVED) return NOT_RESOLVED;
      const n = exactInteger(source);
      if (typeof n === 'bigint') {
        exotic = true;
        if (outsideInt64(n)) throw new RangeError('integer outside int64');
      }
      return n;
    },
  }),
  defineScalarTag('tag:yaml.org,2002:float', {
    implicit: true,
    implicitFirstChars: floatCoreTag.implicitFirstChars,
    identify: (v) => v instanceof ExactFloat,
    resolve(source, isExplicit, tagName) {
      if (floatCoreTag.resolve(source, isExplicit, tagName) === NOT_RESOLVED) return NOT_RESOLVED;
      const f = yamlFloat(source);
      exotic = true;
      if (floatOverflows(f)) throw new RangeError('float overflow');
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
  try {
    // maxAliases 0: shared references would let an alias bomb explode later, in code that walks the value.
    const v = load(text, { schema: EXACT_SCHEMA, maxAliases: 0, maxDepth, json: false });
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { value: v as Record<string, unknown>, exotic } : undefined;
  } catch {
    return undefined;
  }
}
