/**
 * Mapping keys in output: these first (in this order), then every other key by
 * UTF-16 code unit. Never locale-aware and never the input's order, so shuffled
 * input gives identical bytes.
 */
const FIRST = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];
const FIRST_RANK = new Map(FIRST.map((k, i) => [k, i]));

function compareKeys(a: string, b: string): number {
  const ra = FIRST_RANK.get(a);
  const rb = FIRST_RANK.get(b);
  if (ra !== undefined || rb !== undefined) return (ra ?? FIRST.length) - (rb ?? FIRST.length) || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Rendered objects repeat a few shapes thousands of times (every container, every
 * label set), so the sorted order is memoised per set of keys.
 */
const memo = new Map<string, string[]>();

export function orderedKeys(obj: Record<string, unknown>): string[] {
  let keys = Object.keys(obj);
  for (const k of keys) {
    if (obj[k] === undefined) {
      keys = keys.filter((x) => obj[x] !== undefined);
      break;
    }
  }
  if (keys.length < 2) return keys;
  if (keys.length > 24) return keys.sort(compareKeys);
  // An injective encoding: joining with a separator would let keys that contain it collide.
  const sig = JSON.stringify(keys);
  let sorted = memo.get(sig);
  if (!sorted) {
    sorted = [...keys].sort(compareKeys);
    if (memo.size < 4096) memo.set(sig, sorted);
  }
  return sorted;
}
