/**
 * Mapping keys in output: these first (in this order), then every other key by
 * UTF-16 code unit. Never locale-aware and never the input's order, so shuffled
 * input gives identical bytes.
 */
const FIRST = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];
const FIRST_RANK = new Map(FIRST.map((k, i) => [k, i]));

export function orderedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort((a, b) => {
      const ra = FIRST_RANK.get(a);
      const rb = FIRST_RANK.get(b);
      if (ra !== undefined || rb !== undefined) return (ra ?? FIRST.length) - (rb ?? FIRST.length) || (a < b ? -1 : a > b ? 1 : 0);
      return a < b ? -1 : a > b ? 1 : 0;
    });
}
