import { orderedKeys } from './keyOrder';

/** JSON with the same key order as the YAML output (JSON.stringify would put integer-like keys first). */
export function toJson(v: unknown, indent = '', step = '  '): string {
  if (typeof v === 'bigint') return String(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const inner = indent + step;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + toJson(x, inner, step)).join(',\n')}\n${indent}]`;
  }
  const keys = orderedKeys(v as Record<string, unknown>);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${toJson((v as Record<string, unknown>)[k], inner, step)}`).join(',\n')}\n${indent}}`;
}

/** A stream of JSON objects, one after another (what Argo CD's YAML-or-JSON decoder reads). */
export const toJsonDocuments = (objs: readonly unknown[]): string[] => objs.map((o) => toJson(o) + '\n');
export const toJsonStream = (objs: readonly unknown[]): string => toJsonDocuments(objs).join('');

/**
 * Compact JSON as kubectl stores an object (JSON.stringify's bytes), with
 * integers beyond 2^53 (bigint, from habitat.yaml's pod pass-through) written
 * as their digits, which JSON.stringify refuses.
 */
export function compactJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  return compact(v);
}

function compact(v: unknown): string {
  if (typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : compact(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${compact(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
