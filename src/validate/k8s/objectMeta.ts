import { dns1035Problem, dns1123LabelProblem, labelKeyProblem, labelValueProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding } from './finding';
import { dns1123SubdomainProblem, utf8Length } from './formats';
import { asObj, asStr, entriesOf, q } from './untyped';

/** Which name function the kind's validation passes to ValidateObjectMeta. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';

/** apimachinery TotalAnnotationSizeLimitB. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

const nameProblem = (rule: NameRule, name: string): string | undefined =>
  rule === 'dns1123-subdomain' ? dns1123SubdomainProblem(name) : rule === 'dns1123-label' ? dns1123LabelProblem(name) : dns1035Problem(name, 63);

export const LABEL_VALUE_RULE = 'label values are empty, or at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

/** apimachinery ValidateLabels: every key IsQualifiedName, every value IsValidLabelValue. */
export function validateLabels(labels: unknown, path: FieldPath, what = 'label'): Finding[] {
  const out: Finding[] = [];
  for (const [k, v] of entriesOf(labels)) {
    const kp = labelKeyProblem(k);
    if (kp) out.push(finding('k8s-label-key-invalid', [...path, k], `${what} key ${q(k)} ${kp}`, { key: true }));
    const vp = labelValueProblem(String(v));
    if (vp) {
      const why = vp.startsWith('is ') ? `: it ${vp}` : '';
      out.push(finding('k8s-label-value-invalid', [...path, k], `${q(String(v))} is not a valid value for ${what} ${k}${why}`, { hint: LABEL_VALUE_RULE }));
    }
  }
  return out;
}

/** apimachinery ValidateAnnotations: keys are qualified names once lowercased; keys and values together at most 256 KiB. */
export function validateAnnotations(annotations: unknown, path: FieldPath): Finding[] {
  const out: Finding[] = [];
  let total = 0;
  for (const [k, v] of entriesOf(annotations)) {
    const kp = labelKeyProblem(k.toLowerCase());
    if (kp) out.push(finding('k8s-annotation-key-invalid', [...path, k], `annotation key ${q(k)} ${kp}`, { key: true }));
    total += utf8Length(k) + utf8Length(String(v));
  }
  if (total > MAX_ANNOTATIONS_BYTES) {
    out.push(finding('k8s-annotations-too-large', path, `annotations take ${total} bytes (keys and values); Kubernetes allows ${MAX_ANNOTATIONS_BYTES}`, { hint: 'keep large data out of annotations: put it in config, or a ConfigMap of its own' }));
  }
  return out;
}

/** apimachinery ValidateObjectMetaAccessor (the parts a rendered object can get wrong): name, namespace, labels, annotations. */
export function validateObjectMeta(meta: unknown, rule: NameRule, kind: string): Finding[] {
  const m = asObj(meta) ?? {};
  const out: Finding[] = [];
  const name = asStr(m.name) ?? '';
  const np = nameProblem(rule, name);
  if (np) out.push(finding('k8s-name-invalid', ['metadata', 'name'], `${kind} name ${q(name)} ${np}`));
  const ns = asStr(m.namespace);
  // ValidateNamespaceName is NameIsDNSLabel.
  const nsp = ns === undefined ? undefined : dns1123LabelProblem(ns);
  if (nsp) out.push(finding('k8s-namespace-invalid', ['metadata', 'namespace'], `namespace ${q(ns)} ${nsp}`));
  out.push(...validateLabels(m.labels, ['metadata', 'labels']), ...validateAnnotations(m.annotations, ['metadata', 'annotations']));
  return out;
}
