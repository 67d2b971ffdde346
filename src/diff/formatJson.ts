import { redactCiphertext } from '../diag/format';
import type { DiffReport } from './types';

/** Version of the JSON document; bumped on any incompatible change. */
export const JSON_FORMAT_VERSION = 1;

export function formatJson(r: DiffReport): string {
  const c = r.counts;
  const doc = {
    version: JSON_FORMAT_VERSION,
    app: r.app,
    base: r.base,
    head: r.head,
    differs: c.added + c.removed + c.changed > 0,
    counts: c,
    impact: r.impact,
    objects: r.objects.map((o) => ({ ...o.ref, apiVersion: o.apiVersion, status: o.status, diff: o.diff, secrets: o.secrets })),
  };
  return redactCiphertext(JSON.stringify(doc, null, 2) + '\n');
}
