/**
 * Numbers from habitat.yaml and configFile TOML never pass through a double on
 * their way to user.toml: an integer is a JS number while that is exact and a
 * bigint beyond ±(2^53 − 1); a float keeps the text it was written with. TOML
 * integers are 64-bit, so anything outside int64 is refused where it is written.
 */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A float as written ("1.0", "6.02e23", ".inf"). A JS number would print 1.0
 * back as the integer 1 and change its TOML type; `value` is for everything
 * that wants a number, `text` for user.toml.
 */
export class ExactFloat {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

/** An integer from YAML or TOML digits (decimal with sign, 0x, 0o, 0b; no underscores). */
export function exactInteger(digits: string): number | bigint {
  const n = BigInt(digits);
  return n >= -Number.MAX_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER ? Number(n) : n;
}

export const outsideInt64 = (v: number | bigint): boolean => typeof v === 'bigint' && (v < INT64_MIN || v > INT64_MAX);

/** True for a finite-looking float text whose value does not fit a double (1e400): written as inf, it would change meaning. */
export const floatOverflows = (f: ExactFloat): boolean => !Number.isFinite(f.value) && !/inf|nan/i.test(f.text);

/** YAML 1.2 core schema integer and float forms (the `yaml` library's tests, so both parsers agree). */
export const YAML_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
export const YAML_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A float from YAML float text (core schema forms, including .inf and .nan). */
export function yamlFloat(text: string): ExactFloat {
  const lower = text.toLowerCase();
  const value = lower.endsWith('nan') ? NaN : lower.endsWith('inf') ? (text.startsWith('-') ? -Infinity : Infinity) : parseFloat(text);
  return new ExactFloat(value, text);
}

export const INTEGER_OUT_OF_RANGE = 'does not fit in 64 bits (TOML integers are int64: -2^63 to 2^63-1)';
export const FLOAT_OUT_OF_RANGE = 'is too large for a 64-bit float';

/**
 * The same value with floats as plain doubles, and with bigints as doubles too
 * unless `keepBigInts` (a JSON-Schema validator knows no bigint; Kubernetes
 * fields want the exact integer). Copies only what changes.
 */
export function plainNumbers(v: unknown, keepBigInts: boolean): unknown {
  if (typeof v === 'bigint') return keepBigInts ? v : Number(v);
  if (v instanceof ExactFloat) return v.value;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = plainNumbers(v[i], keepBigInts);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (v !== null && typeof v === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const old = (v as Record<string, unknown>)[k];
      const x = plainNumbers(old, keepBigInts);
      if (x !== old) {
        out ??= copyOwn(v as Record<string, unknown>);
        Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      }
    }
    return out ?? v;
  }
  return v;
}

function copyOwn(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
  return out;
}
