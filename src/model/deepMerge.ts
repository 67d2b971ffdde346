const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Overlay semantics (like a JSON merge patch): mappings merge recursively,
 * lists and scalars replace, and `null` removes the key.
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? deepMerge(out[k], v) : v;
  }
  return out;
}

/** Like deepMerge but keeps nulls out of the result without treating them as deletions (for TOML config layers). */
export function mergeConfig(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(top)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeConfig(out[k] as Record<string, unknown>, v) : v;
  return out;
}

export { isPlainObject };
