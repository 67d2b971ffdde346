import { error, type Diagnostic } from '../diag/diagnostic';
import type { Inputs } from '../load/inputs';
import type { RawApp } from '../model/raw';
import { dns1035Problem, dns1123LabelProblem, labelKeyProblem, labelValueProblem } from './dnsNames';
import type { Locator } from './locator';

/** `<app>-ring` must itself be a DNS-1035 label of at most 63 characters. */
export const MAX_APP_NAME = 58;
export const RESERVED_LABELS = new Set([
  'app.kubernetes.io/name',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/instance',
  'habitat.sh/service-group',
  'habitat.sh/topology',
]);

export function checkMetadata(app: RawApp, name: string, nameFrom: 'metadata' | 'input' | 'directory', inputs: Inputs, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const p = dns1035Problem(name, MAX_APP_NAME);
  if (p) {
    const src = nameFrom === 'metadata' ? 'metadata.name' : nameFrom === 'input' ? 'the app name (ARGOCD_APP_NAME / --name)' : 'the directory name used as app name';
    out.push(error('app-name-invalid', `${src} "${name}" ${p}`, nameFrom === 'metadata' ? loc.at(['metadata', 'name']) : loc.at([]), nameFrom === 'metadata' ? 'app names are DNS-1035 labels of at most 58 characters' : 'set metadata.name in habitat.yaml'));
  }
  const ns = app.metadata?.namespace;
  if (ns !== undefined) {
    const q = dns1123LabelProblem(ns);
    if (q) out.push(error('namespace-invalid', `metadata.namespace "${ns}" ${q}`, loc.at(['metadata', 'namespace'])));
  }
  if (inputs.namespace !== undefined) {
    const q = dns1123LabelProblem(inputs.namespace);
    if (q) out.push(error('namespace-invalid', `the destination namespace "${inputs.namespace}" ${q}`));
    else if (ns !== undefined && ns !== inputs.namespace) {
      out.push(error('namespace-mismatch', `habitat.yaml pins namespace "${ns}" but the destination namespace is "${inputs.namespace}"`, loc.at(['metadata', 'namespace']), 'make the Application\'s destination namespace match metadata.namespace, or remove metadata.namespace'));
    }
  }
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
