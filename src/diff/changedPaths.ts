import { compactJson } from '../serialize/toJson';

/**
 * Where two JSON values differ, as readable paths
 * (`spec.containers[habitat].env[FOO].value`). Lists whose items all have a
 * string `name` are matched by name, as Kubernetes merges containers, env and
 * volumes; other lists by position.
 */
const MAX_PATHS = 200;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (v: unknown[]): v is { name: string }[] => v.every((x) => isMap(x) && typeof x.name === 'string');
const seg = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

export function changedPaths(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= MAX_PATHS) return out;
  if (isMap(a) && isMap(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) changedPaths(a[k], b[k], path + seg(k), out);
  } else if (Array.isArray(a) && Array.isArray(b) && named(a) && named(b) && (a.length || b.length)) {
    const byName = (xs: { name: string }[]) => new Map(xs.map((x) => [x.name, x]));
    const am = byName(a);
    const bm = byName(b);
    for (const n of [...new Set([...am.keys(), ...bm.keys()])]) changedPaths(am.get(n), bm.get(n), `${path}[${n}]`, out);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => changedPaths(x, b[i], `${path}[${i}]`, out));
  } else if (compactJson(a) !== compactJson(b)) {
    out.push(path.replace(/^\./, ''));
  }
  return out;
}
