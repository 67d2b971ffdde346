import { isPlainObject } from './deepMerge';

/**
 * Where a sealed value at `path` would collide with plain config: the path
 * itself, a prefix holding a non-table, or a table below it. Own keys only, so
 * names like "toString" are ordinary keys. Undefined when there is no collision.
 */
export function configCollision(config: unknown, path: readonly string[]): string | undefined {
  let cur: unknown = config;
  for (let i = 0; i < path.length; i++) {
    if (!isPlainObject(cur)) return i === 0 ? undefined : path.slice(0, i).join('.');
    if (!Object.prototype.hasOwnProperty.call(cur, path[i]!)) return undefined;
    cur = cur[path[i]!];
  }
  return path.join('.');
}

/**
 * Pairs of sealed paths where one is a table holding the other (`auth` and
 * `auth.password`): user.toml cannot have both. Each pair as [outer, inner].
 */
export function sealedPathOverlaps(paths: readonly string[]): [string, string][] {
  const sorted = [...paths].sort();
  const out: [string, string][] = [];
  // Sorted, every path that lies inside `p` follows it directly.
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.startsWith(sorted[i]!); j++) {
      if (sorted[j]![sorted[i]!.length] === '.') out.push([sorted[i]!, sorted[j]!]);
    }
  }
  return out;
}
