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
