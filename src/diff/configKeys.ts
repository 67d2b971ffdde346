import type { Workload } from '../model/types';

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function flatten(v: Record<string, unknown>, prefix: string, out: Map<string, string>): Map<string, string> {
  for (const [k, x] of Object.entries(v)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (isTable(x) && Object.keys(x).length) flatten(x, p, out);
    else out.set(p, JSON.stringify(x, (_k, val) => (typeof val === 'bigint' ? `${val}n` : val)));
  }
  return out;
}

/**
 * Which user.toml keys of a workload change (plain and sealed), as
 * `key (added|removed|changed)`: names only, the values may be secret.
 */
export function configKeyChanges(before: Workload | undefined, after: Workload | undefined): string[] {
  const b = flatten(before?.config ?? {}, '', new Map());
  const a = flatten(after?.config ?? {}, '', new Map());
  const sealed = new Set<string>();
  for (const [m, w] of [[b, before], [a, after]] as const) {
    for (const [p, v] of w?.secrets ?? []) {
      m.set(p, v);
      sealed.add(p);
    }
  }
  const out: string[] = [];
  for (const k of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const what = !b.has(k) ? 'added' : !a.has(k) ? 'removed' : b.get(k) !== a.get(k) ? 'changed' : undefined;
    if (what) out.push(`${k} (${what}${sealed.has(k) ? ', sealed' : ''})`);
  }
  return out;
}
