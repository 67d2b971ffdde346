import { error, type Diagnostic } from '../diag/diagnostic';
import type { RawApp } from '../model/raw';
import { labelKeyProblem, labelValueProblem } from './dnsNames';
import type { Locator } from './locator';

export const RESERVED_LABELS = new Set([
  'app.kubernetes.io/name',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/instance',
  'habitat.sh/service-group',
  'habitat.sh/topology',
]);

/** Labels habitat.yaml adds to every object: valid, and none that habitat-cmp sets itself. */
export function checkMetadata(app: RawApp, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [k, v] of Object.entries(app.metadata?.labels ?? {})) {
    if (RESERVED_LABELS.has(k)) {
      out.push(error('label-reserved', `label "${k}" is set by habitat-cmp${k === 'app.kubernetes.io/instance' ? ' (it is Argo CD\'s tracking label)' : ''}`, loc.at(['metadata', 'labels', k], 'key')));
      continue;
    }
    const kp = labelKeyProblem(k);
    if (kp) out.push(error('label-invalid', `label key "${k}" ${kp}`, loc.at(['metadata', 'labels', k], 'key')));
    const vp = labelValueProblem(String(v));
    if (vp) out.push(error('label-invalid', `value of label "${k}" ${vp}`, loc.at(['metadata', 'labels', k])));
  }
  return out;
}
