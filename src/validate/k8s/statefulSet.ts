import { dns1123LabelProblem, labelValueProblem } from '../dnsNames';
import { finding, type Finding } from './finding';
import { dns1123SubdomainProblem } from './formats';
import type { KubeRules } from './kubeRules';
import { validateLabelSelector } from './labelSelector';
import { validateObjectMeta } from './objectMeta';
import { validatePersistentVolumeClaimTemplate } from './persistentVolumeClaim';
import { validatePodTemplate } from './podTemplate';
import { asList, asNum, asObj, asStr, entriesOf, q, type Obj } from './untyped';

const code = 'k8s-statefulset-invalid' as const;
/** pkg/controller/history ControllerRevisionName: "<set>-<hash>", the hash at most 10 characters (a 32-bit FNV hash, SafeEncodeString). */
const REVISION_HASH_LENGTH = 10;

/** metav1.LabelSelectorAsSelector(...).Matches(labels). */
function selects(selector: Obj, labels: Record<string, unknown>): boolean {
  for (const [k, v] of entriesOf(selector.matchLabels)) if (labels[k] === undefined || String(labels[k]) !== String(v)) return false;
  for (const raw of asList(selector.matchExpressions)) {
    const e = asObj(raw) ?? {};
    const key = asStr(e.key) ?? '';
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = asList(e.values).map(String);
    const op = asStr(e.operator);
    if (op === 'In' && !(has && values.includes(String(labels[key])))) return false;
    if (op === 'NotIn' && has && values.includes(String(labels[key]))) return false;
    if (op === 'Exists' && !has) return false;
    if (op === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * The names and labels the StatefulSet controller gives each pod and claim
 * (pkg/controller/statefulset stateful_set_utils.go newStatefulSetPod,
 * getPersistentVolumeClaimName, and the controller-revision-hash label). The API
 * server validates them only when the controller creates the pod, long after
 * Argo CD reported the StatefulSet as synced.
 */
function controllerCreatedNames(name: string, spec: Obj): Finding[] {
  const out: Finding[] = [];
  const replicas = Math.max(1, Math.trunc(asNum(spec.replicas) ?? 1));
  const pod = `${name}-${replicas - 1}`;
  // ValidatePodName (a DNS subdomain) and the pod's hostname, ValidateDNS1123Label.
  const pp = dns1123SubdomainProblem(pod) ?? dns1123LabelProblem(pod);
  if (pp) out.push(finding('k8s-statefulset-pod-name-invalid', ['metadata', 'name'], `pod name ${q(pod)} ${pp}`));
  else if (labelValueProblem(pod)) out.push(finding('k8s-statefulset-pod-name-invalid', ['metadata', 'name'], `pod name ${q(pod)} does not fit the statefulset.kubernetes.io/pod-name label`));
  const revision = `${name}-${'x'.repeat(REVISION_HASH_LENGTH)}`;
  if (labelValueProblem(revision)) out.push(finding('k8s-statefulset-pod-name-invalid', ['metadata', 'name'], `StatefulSet name ${q(name)} leaves no room for the controller-revision-hash label (name, "-" and 10 characters must fit 63)`));
  const service = asStr(spec.serviceName);
  const sp = service ? dns1123LabelProblem(service) : undefined;
  if (sp) out.push(finding(code, ['spec', 'serviceName'], `serviceName ${q(service)} is the pods' subdomain and ${sp}`));
  asList(spec.volumeClaimTemplates).forEach((t, i) => {
    const claim = `${asStr(asObj(asObj(t)?.metadata)?.name) ?? ''}-${pod}`;
    const cp = dns1123SubdomainProblem(claim);
    if (cp) out.push(finding('k8s-statefulset-pod-name-invalid', ['spec', 'volumeClaimTemplates', i, 'metadata', 'name'], `volume claim name ${q(claim)} ${cp}`));
  });
  return out;
}

/** apps ValidateStatefulSet (ValidateStatefulSetSpec), with the pod template and claim template checks. */
export function validateStatefulSet(obj: Obj, rules: KubeRules): Finding[] {
  const out: Finding[] = validateObjectMeta(obj.metadata, 'dns1123-label', 'StatefulSet');
  const spec = asObj(obj.spec) ?? {};
  const name = asStr(asObj(obj.metadata)?.name) ?? '';
  // Defaulting fills podManagementPolicy (OrderedReady), updateStrategy (RollingUpdate) and replicas (1) first.
  const policy = asStr(spec.podManagementPolicy) ?? 'OrderedReady';
  if (policy !== 'OrderedReady' && policy !== 'Parallel') out.push(finding(code, ['spec', 'podManagementPolicy'], `podManagementPolicy ${q(policy)} is not supported`));
  const strategy = asStr(asObj(spec.updateStrategy)?.type) ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate' && strategy !== 'OnDelete') out.push(finding(code, ['spec', 'updateStrategy', 'type'], `updateStrategy ${q(strategy)} is not supported`));
  if ((asNum(spec.replicas) ?? 1) < 0) out.push(finding(code, ['spec', 'replicas'], 'replicas must not be negative'));
  const selector = asObj(spec.selector);
  const template = asObj(spec.template) ?? {};
  const templateLabels = asObj(asObj(template.metadata)?.labels) ?? {};
  if (!selector || Object.keys(asObj(selector.matchLabels) ?? {}).length + asList(selector.matchExpressions).length === 0) {
    out.push(finding(code, ['spec', 'selector'], 'a StatefulSet needs a non-empty selector'));
  } else {
    out.push(...validateLabelSelector(selector, ['spec', 'selector'], code));
    if (!selects(selector, templateLabels)) out.push(finding(code, ['spec', 'template', 'metadata', 'labels'], 'the selector does not match the pod template labels'));
  }
  const tspec = asObj(template.spec) ?? {};
  if ((asStr(tspec.restartPolicy) ?? 'Always') !== 'Always') out.push(finding(code, ['spec', 'template', 'spec', 'restartPolicy'], 'StatefulSet pods must use restartPolicy Always'));
  if (tspec.activeDeadlineSeconds !== undefined) out.push(finding(code, ['spec', 'template', 'spec', 'activeDeadlineSeconds'], 'activeDeadlineSeconds is not supported in a StatefulSet'));
  // The controller adds one volume per claim template to every pod, so mounts may name them.
  const claims = asList(spec.volumeClaimTemplates);
  const withClaims = {
    ...template,
    spec: { ...tspec, volumes: [...asList(tspec.volumes), ...claims.map((c) => ({ name: asStr(asObj(asObj(c)?.metadata)?.name) ?? '', persistentVolumeClaim: { claimName: 'claim' } }))] },
  };
  out.push(...validatePodTemplate(withClaims, rules, ['spec', 'template']));
  claims.forEach((c, i) => out.push(...validatePersistentVolumeClaimTemplate(c, ['spec', 'volumeClaimTemplates', i])));
  out.push(...controllerCreatedNames(name, spec));
  return out;
}
