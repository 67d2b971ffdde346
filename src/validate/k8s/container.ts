import { dns1123LabelProblem, labelKeyProblem, portNameProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding } from './finding';
import { configMapKeyProblem, dns1123SubdomainProblem, envVarNameProblem } from './formats';
import type { KubeRules } from './kubeRules';
import { validateResourceRequirements } from './resources';
import { asList, asNum, asObj, asStr, q } from './untyped';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const inPortRange = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 1 && n <= 65535;

/** core validateContainerPorts. */
function ports(list: unknown, p: FieldPath): Finding[] {
  const out: Finding[] = [];
  const names = new Set<string>();
  asList(list).forEach((raw, i) => {
    const port = asObj(raw) ?? {};
    const name = asStr(port.name) ?? '';
    if (name) {
      const np = portNameProblem(name);
      if (np) out.push(finding('k8s-container-port-invalid', [...p, i, 'name'], `container port name ${q(name)} ${np}`));
      else if (names.has(name)) out.push(finding('k8s-container-port-invalid', [...p, i, 'name'], `container port name ${q(name)} is used twice`));
      names.add(name);
    }
    if (!inPortRange(asNum(port.containerPort))) out.push(finding('k8s-container-port-invalid', [...p, i, 'containerPort'], `container port ${q(port.containerPort ?? 0)} must be from 1 to 65535`));
    // An unset protocol is defaulted to TCP before validation.
    const protocol = asStr(port.protocol) ?? 'TCP';
    if (!PROTOCOLS.includes(protocol)) out.push(finding('k8s-container-port-invalid', [...p, i, 'protocol'], `protocol ${q(protocol)} is not supported`, { hint: 'use TCP, UDP or SCTP' }));
  });
  return out;
}

/** core validateSecretKeySelector / validateConfigMapKeySelector. */
function keySelector(raw: unknown, p: FieldPath): Finding[] {
  const s = asObj(raw) ?? {};
  const out: Finding[] = [];
  const np = dns1123SubdomainProblem(asStr(s.name) ?? '');
  if (np) out.push(finding('k8s-container-invalid', [...p, 'name'], `referenced object name ${q(s.name ?? '')} ${np}`));
  const kp = configMapKeyProblem(asStr(s.key) ?? '');
  if (kp || !s.key) out.push(finding('k8s-container-invalid', [...p, 'key'], `referenced key ${q(s.key ?? '')} ${kp ?? 'must not be empty'}`));
  return out;
}

/** core validEnvDownwardAPIFieldPathExpressions. */
const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];

/** core validateObjectFieldSelector for env; apiVersion is defaulted to v1 before validation. */
function fieldRef(raw: unknown, p: FieldPath): Finding[] {
  const f = asObj(raw) ?? {};
  const path = asStr(f.fieldPath) ?? '';
  const apiVersion = asStr(f.apiVersion) ?? 'v1';
  if (apiVersion !== 'v1') return [finding('k8s-container-invalid', [...p, 'apiVersion'], `fieldRef apiVersion ${q(apiVersion)} is not supported`)];
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (sub) {
    const key = sub[1] === 'annotations' ? sub[2]!.toLowerCase() : sub[2]!;
    const kp = labelKeyProblem(key);
    return kp ? [finding('k8s-container-invalid', [...p, 'fieldPath'], `fieldRef key ${q(sub[2])} ${kp}`)] : [];
  }
  return ENV_FIELD_PATHS.includes(path) ? [] : [finding('k8s-container-invalid', [...p, 'fieldPath'], `fieldRef fieldPath ${q(path)} is not supported for environment variables`)];
}

/** core ValidateEnv (names by the rules of the cluster's version) and validateEnvVarValueFrom. */
function env(list: unknown, rules: KubeRules, p: FieldPath): Finding[] {
  const out: Finding[] = [];
  asList(list).forEach((raw, i) => {
    const e = asObj(raw) ?? {};
    const name = asStr(e.name) ?? '';
    const np = envVarNameProblem(name, rules.relaxedEnvNames);
    if (np) {
      const hint = rules.relaxedEnvNames ? undefined : `${rules.describe} (KUBE_VERSION) still uses the strict rule; from Kubernetes 1.32 any printable ASCII except "=" is accepted`;
      out.push(finding('env-name-invalid', [...p, i, 'name'], `environment variable name ${q(name)} ${np}`, { key: true, ...(hint ? { hint } : {}) }));
    }
    const from = asObj(e.valueFrom);
    if (!from) return;
    const vp = [...p, i, 'valueFrom'];
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => from[k] !== undefined);
    if (sources.length !== 1) out.push(finding('k8s-container-invalid', vp, 'valueFrom needs exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef'));
    if (asStr(e.value)) out.push(finding('k8s-container-invalid', vp, 'valueFrom may not be set together with a value'));
    for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) if (from[k] !== undefined) out.push(...keySelector(from[k], [...vp, k]));
    if (from.fieldRef !== undefined) out.push(...fieldRef(from.fieldRef, [...vp, 'fieldRef']));
  });
  return out;
}

/** POSIX path.Clean for absolute paths, so "/data/" and "/data" count as one mount point. */
const cleanPath = (s: string): string => {
  const parts: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return (s.startsWith('/') ? '/' : '') + parts.join('/');
};

/**
 * core ValidateVolumeMounts. The API server compares mount paths as written;
 * two mounts at one cleaned path are reported too, because the later one hides
 * the earlier in the container.
 */
function volumeMounts(list: unknown, volumes: ReadonlySet<string>, p: FieldPath): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, string>();
  asList(list).forEach((raw, i) => {
    const m = asObj(raw) ?? {};
    const name = asStr(m.name) ?? '';
    if (!volumes.has(name)) out.push(finding('k8s-mount-invalid', [...p, i, 'name'], `volume mount ${q(name)} names no volume of the pod`));
    const path = asStr(m.mountPath) ?? '';
    if (path === '') {
      out.push(finding('k8s-mount-invalid', [...p, i, 'mountPath'], 'a volume mount needs a mountPath'));
      return;
    }
    const clean = cleanPath(path);
    const prev = seen.get(clean);
    if (prev !== undefined) {
      const others = asList(list).map((o) => asStr(asObj(o)?.mountPath) ?? '').filter((x) => cleanPath(x) !== clean);
      out.push(finding('k8s-mount-path-duplicate', [...p, i, 'mountPath'], `mount path ${q(path)} is already used by the ${q(prev)} volume`, { hint: `choose another mountPath${others.length ? `; also taken: ${others.join(', ')}` : ''}` }));
    } else seen.set(clean, name);
  });
  return out;
}

/** core validateProbe and validateHandler (habitat-cmp's own probes, checked so a render bug cannot ship). */
function probe(raw: unknown, p: FieldPath): Finding[] {
  const pr = asObj(raw);
  if (!pr) return [];
  const out: Finding[] = [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((k) => pr[k] !== undefined);
  if (handlers.length !== 1) out.push(finding('k8s-probe-invalid', p, 'a probe needs exactly one handler'));
  const http = asObj(pr.httpGet);
  if (http) {
    if (!asStr(http.path)) out.push(finding('k8s-probe-invalid', [...p, 'httpGet', 'path'], 'an HTTP probe needs a path'));
    const port = http.port;
    if (typeof port === 'string' ? portNameProblem(port) !== undefined : !inPortRange(asNum(port))) out.push(finding('k8s-probe-invalid', [...p, 'httpGet', 'port'], `probe port ${q(port)} is not a port number or name`));
  }
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const n = asNum(pr[k]);
    if (n !== undefined && n < 0) out.push(finding('k8s-probe-invalid', [...p, k], `${k} must not be negative`));
  }
  if (pr.terminationGracePeriodSeconds !== undefined && !((asNum(pr.terminationGracePeriodSeconds) ?? 0) > 0)) out.push(finding('k8s-probe-invalid', [...p, 'terminationGracePeriodSeconds'], 'a probe terminationGracePeriodSeconds must be greater than zero'));
  return out;
}

/** core validateContainerCommon and validateContainers' per-container checks, plus validateContainerOnlyForPod. */
export function validateContainer(raw: unknown, volumes: ReadonlySet<string>, rules: KubeRules, p: FieldPath): Finding[] {
  const c = asObj(raw) ?? {};
  const out: Finding[] = [];
  const name = asStr(c.name) ?? '';
  const np = dns1123LabelProblem(name);
  if (np) out.push(finding('k8s-container-invalid', [...p, 'name'], `container name ${q(name)} ${np}`));
  const image = asStr(c.image) ?? '';
  if (image === '') out.push(finding('k8s-container-invalid', [...p, 'image'], 'a container needs an image'));
  else if (image.trim() !== image) out.push(finding('k8s-container-invalid', [...p, 'image'], 'the image must not have leading or trailing whitespace'));
  const res = asObj(c.resources) ?? {};
  out.push(
    ...ports(c.ports, [...p, 'ports']),
    ...env(c.env, rules, [...p, 'env']),
    ...volumeMounts(c.volumeMounts, volumes, [...p, 'volumeMounts']),
    ...validateResourceRequirements(res.requests, res.limits, [...p, 'resources']),
    ...probe(c.livenessProbe, [...p, 'livenessProbe']),
    ...probe(c.readinessProbe, [...p, 'readinessProbe']),
    ...probe(c.startupProbe, [...p, 'startupProbe']),
  );
  return out;
}
