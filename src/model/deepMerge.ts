/** Assignment would set the prototype for "__proto__"; user keys must always become own properties. */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

const OBJECT = Object.getPrototypeOf({});
/** A mapping: a plain object. Values of classes (ExactFloat, TomlDateTime) and arrays are not. */
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === OBJECT || Object.getPrototypeOf(v) === null);

/**
 * Overlay semantics (like a JSON merge patch): mappings merge recursively,
 * lists and scalars replace, and `null` removes the key.
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (v === null) delete out[k];
    else setOwn(out, k, Object.prototype.hasOwnProperty.call(out, k) ? deepMerge(out[k], v) : v);
  }
  return out;
}

/** Like deepMerge but keeps nulls out of the result without treating them as deletions (for TOML config layers). */
export function mergeConfig(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(top)) {
    const cur = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    setOwn(out, k, isPlainObject(cur) && isPlainObject(v) ? mergeConfig(cur, v) : v);
  }
  return out;
}

export { isPlainObject };
