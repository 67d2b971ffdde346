import { dns1123LabelProblem } from '../dnsNames';
import { validateAffinity } from './affinity';
import { validateContainer } from './container';
import { finding, type FieldPath, type Finding } from './finding';
import { dns1123SubdomainProblem, ipAddressProblem } from './formats';
import type { KubeRules } from './kubeRules';
import { validateKubeletAdmission } from './kubeletAdmission';
import { validateLabels } from './objectMeta';
import { validatePodDns } from './podDns';
import { validatePodSecurityContext } from './podSecurityContext';
import { validateTolerations } from './tolerations';
import { validateTopologySpreadConstraints } from './topologySpread';
import { asList, asObj, asStr, entriesOf, q } from './untyped';

/** ValidateLocalNonReservedPath: relative, no "..", not starting with "..". */
const localNonReservedPathProblem = (v: string): string | undefined =>
  v === '' ? 'must not be empty' : v.startsWith('/') ? 'must be a relative path' : v.split('/').includes('..') || v.startsWith('..') ? 'must not contain ".."' : undefined;

/** core ValidateVolumes for the volume kinds habitat-cmp renders (configMap, secret, emptyDir); returns the valid names too. */
function volumes(list: unknown, p: FieldPath): [Set<string>, Finding[]] {
  const names = new Set<string>();
  const out: Finding[] = [];
  asList(list).forEach((raw, i) => {
    const v = asObj(raw) ?? {};
    const name = asStr(v.name) ?? '';
    const np = dns1123LabelProblem(name);
    if (np) out.push(finding('k8s-volume-invalid', [...p, i, 'name'], `volume name ${q(name)} ${np}`));
    else if (names.has(name)) out.push(finding('k8s-volume-invalid', [...p, i, 'name'], `volume name ${q(name)} is used twice`));
    names.add(name);
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length !== 1) out.push(finding('k8s-volume-invalid', [...p, i], `volume ${q(name)} needs exactly one source`));
    const src = asObj(v.secret) ?? asObj(v.configMap);
    if (src) {
      const ref = asStr(v.secret !== undefined ? src.secretName : src.name) ?? '';
      if (ref === '') out.push(finding('k8s-volume-invalid', [...p, i], `volume ${q(name)} names no ${v.secret !== undefined ? 'Secret' : 'ConfigMap'}`));
      // validateKeyToPath
      asList(src.items).forEach((it, j) => {
        const item = asObj(it) ?? {};
        if (!asStr(item.key)) out.push(finding('k8s-volume-invalid', [...p, i, v.secret !== undefined ? 'secret' : 'configMap', 'items', j, 'key'], 'a volume item needs a key'));
        const pp = localNonReservedPathProblem(asStr(item.path) ?? '');
        if (pp) out.push(finding('k8s-volume-invalid', [...p, i, v.secret !== undefined ? 'secret' : 'configMap', 'items', j, 'path'], `volume item path ${pp}`));
      });
    }
  });
  return [names, out];
}

function nameOf(spec: Record<string, unknown>, field: string, p: FieldPath, code: 'k8s-service-account-name-invalid' | 'k8s-priority-class-name-invalid' | 'k8s-runtime-class-name-invalid', what: string): Finding[] {
  const v = asStr(spec[field]);
  // An empty serviceAccountName or priorityClassName means "unset"; runtimeClassName, when present, must be valid.
  if (v === undefined || (v === '' && field !== 'runtimeClassName')) return [];
  const np = dns1123SubdomainProblem(v);
  return np ? [finding(code, [...p, field], `${what} ${q(v)} ${np}`)] : [];
}

/** core ValidateHostAliases. */
function hostAliases(list: unknown, p: FieldPath): Finding[] {
  return asList(list).flatMap((raw, i) => {
    const a = asObj(raw) ?? {};
    const out: Finding[] = [];
    const ip = asStr(a.ip) ?? '';
    const ipp = ipAddressProblem(ip);
    if (ipp) out.push(finding('k8s-host-alias-invalid', [...p, i, 'ip'], `host alias IP ${q(ip)} ${ipp}`));
    asList(a.hostnames).forEach((h, j) => {
      const hp = dns1123SubdomainProblem(String(h));
      if (hp) out.push(finding('k8s-host-alias-invalid', [...p, i, 'hostnames', j], `host name ${q(String(h))} ${hp}`));
    });
    return out;
  });
}

/** core validateImagePullSecrets: a LocalObjectReference with only a name. */
function imagePullSecrets(list: unknown, p: FieldPath): Finding[] {
  return asList(list).flatMap((raw, i) =>
    entriesOf(raw).some(([k]) => k !== 'name') ? [finding('k8s-image-pull-secret-invalid', [...p, i], 'an image pull secret reference may only set name')] : [],
  );
}

/** core ValidatePodSpec for what a habitat-cmp pod can contain, then the kubelet's own refusals. */
export function validatePodSpec(raw: unknown, rules: KubeRules, p: FieldPath): Finding[] {
  const spec = asObj(raw) ?? {};
  const [vols, volErrs] = volumes(spec.volumes, [...p, 'volumes']);
  const out: Finding[] = [...volErrs];
  const containers = asList(spec.containers);
  if (containers.length === 0) out.push(finding('k8s-container-invalid', [...p, 'containers'], 'a pod needs at least one container'));
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    out.push(...validateContainer(c, vols, rules, [...p, 'containers', i]));
    const name = asStr(asObj(c)?.name) ?? '';
    if (seen.has(name)) out.push(finding('k8s-container-invalid', [...p, 'containers', i, 'name'], `container name ${q(name)} is used twice`));
    seen.add(name);
  });
  // validateRestartPolicy; an unset policy is defaulted to Always.
  const restart = asStr(spec.restartPolicy) ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) out.push(finding('k8s-restart-policy-invalid', [...p, 'restartPolicy'], `restartPolicy ${q(restart)} is not supported`));
  out.push(
    ...validatePodDns(spec.dnsPolicy, spec.dnsConfig, rules, p),
    ...validateLabels(spec.nodeSelector, [...p, 'nodeSelector'], 'nodeSelector').map((f) => ({ ...f, code: 'k8s-node-selector-invalid' as const })),
    ...validatePodSecurityContext(spec.securityContext, [...p, 'securityContext']),
    ...imagePullSecrets(spec.imagePullSecrets, [...p, 'imagePullSecrets']),
    ...validateAffinity(spec.affinity, [...p, 'affinity']),
    ...validateTopologySpreadConstraints(spec.topologySpreadConstraints, [...p, 'topologySpreadConstraints']),
    ...nameOf(spec, 'serviceAccountName', p, 'k8s-service-account-name-invalid', 'serviceAccountName'),
    ...validateTolerations(spec.tolerations, [...p, 'tolerations']),
    ...hostAliases(spec.hostAliases, [...p, 'hostAliases']),
    ...nameOf(spec, 'priorityClassName', p, 'k8s-priority-class-name-invalid', 'priorityClassName'),
    ...nameOf(spec, 'runtimeClassName', p, 'k8s-runtime-class-name-invalid', 'runtimeClassName'),
  );
  for (const f of ['hostname', 'subdomain'] as const) {
    const v = asStr(spec[f]);
    const np = v ? dns1123LabelProblem(v) : undefined;
    if (np) out.push(finding('k8s-statefulset-pod-name-invalid', [...p, f], `pod ${f} ${q(v)} ${np}`));
  }
  out.push(...validateKubeletAdmission(spec, p));
  return out;
}
