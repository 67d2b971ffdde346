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
