/**
 * Rendered objects are plain data. Fields habitat-cmp writes have known shapes;
 * `pod:` pass-through values were only type-checked by the schema, so the
 * validators read everything through these accessors and never throw.
 */
export type Obj = Record<string, unknown>;

export const asObj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const asNum = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
export const entriesOf = (v: unknown): [string, unknown][] => Object.entries(asObj(v) ?? {});
/** Quotes a user value in a message. */
export const q = (v: unknown): string => JSON.stringify(typeof v === 'bigint' ? String(v) : v) ?? String(v);
