/**
 * Resource quantities as k8s.io/apimachinery pkg/api/resource ParseQuantity
 * reads them, kept exact (never through a double): the value is
 * sign × m × 10^e. ParseQuantity rounds every non-zero value up to a multiple of
 * 1n (10^-9) and caps binary-suffixed values at 2^63-1; so does this.
 */
export interface Quantity {
  negative: boolean;
  m: bigint;
  e: number;
}

const DECIMAL_SUFFIX: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_INT64 = (1n << 63n) - 1n;
const INT32 = 2 ** 31;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** parseQuantityString + quantitySuffixer.interpret + ParseQuantity's rounding; undefined when the API server would refuse the string. */
export function parseQuantity(s: string): Quantity | undefined {
  // The scanner: sign, digits, optional fraction, then suffix characters, an optional sign and digits.
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(s);
  if (s.length === 0 || !m) return undefined;
  const [, sign, whole, frac = '', suffix] = m as unknown as [string, string, string, string | undefined, string];
  let base: 10 | 2;
  let exp: number;
  if (Object.prototype.hasOwnProperty.call(DECIMAL_SUFFIX, suffix)) [base, exp] = [10, DECIMAL_SUFFIX[suffix]!];
  else if (Object.prototype.hasOwnProperty.call(BINARY_SUFFIX, suffix)) [base, exp] = [2, BINARY_SUFFIX[suffix]!];
  else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1)) && Math.abs(Number(suffix.slice(1))) < INT32) {
    [base, exp] = [10, Number(suffix.slice(1))];
  } else return undefined;

  const digits = (whole + frac).replace(/^0+/, '') || '0';
  let q: Quantity = base === 10
    ? { negative: sign === '-', m: BigInt(digits), e: exp - frac.length }
    : { negative: sign === '-', m: BigInt(digits) << BigInt(exp), e: -frac.length };
  if (q.m === 0n) return { negative: false, m: 0n, e: 0 };
  // Below 1n a positive value rounds up to 1n; past its own digits no power of ten needs writing out.
  if (q.e < -9) q = { ...q, m: -9 - q.e > digitCount(q.m) ? 1n : ceilDiv(q.m, pow10(-9 - q.e)), e: -9 };
  if (base === 2 && compareQuantity({ ...q, negative: false }, { negative: false, m: MAX_INT64, e: 0 }) > 0) q = { ...q, m: MAX_INT64, e: 0 };
  return q;
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
const digitCount = (n: bigint): number => n.toString().length;

function compareMagnitude(a: Quantity, b: Quantity): number {
  if (a.m === 0n || b.m === 0n) return a.m === b.m ? 0 : a.m === 0n ? -1 : 1;
  // Orders of magnitude first, so 1e2000000000 never has to be written out.
  const da = digitCount(a.m) + a.e;
  const db = digitCount(b.m) + b.e;
  if (da !== db) return da < db ? -1 : 1;
  const e = Math.min(a.e, b.e);
  const x = a.m * pow10(a.e - e);
  const y = b.m * pow10(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Quantity.Cmp. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const sa = a.m === 0n ? 0 : a.negative ? -1 : 1;
  const sb = b.m === 0n ? 0 : b.negative ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return sa >= 0 ? compareMagnitude(a, b) : -compareMagnitude(a, b);
}

export const isNegative = (q: Quantity): boolean => q.negative && q.m !== 0n;
export const isZero = (q: Quantity): boolean => q.m === 0n;

/**
 * ScaledValue(scale) for non-negative q: the value in units of 10^scale, rounded
 * up (MilliValue is scale -3, Value is scale 0). Undefined when it would not fit
 * an int64, where Go's result is meaningless anyway.
 */
export function scaledValue(q: Quantity, scale: number): bigint | undefined {
  const shift = q.e - scale;
  if (q.m === 0n) return 0n;
  if (shift >= 0) {
    if (digitCount(q.m) + shift > 19) return undefined;
    return q.m * pow10(shift);
  }
  return ceilDiv(q.m, pow10(-shift));
}
