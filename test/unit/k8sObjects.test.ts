import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAction } from '../../src/action/render';
import { memFs } from '../../src/load/repoFs';
import type { K8sObject } from '../../src/render/renderApp';
import type { Finding } from '../../src/validate/k8s/finding';
import { kubeRules } from '../../src/validate/k8s/kubeRules';
import { validateRenderedObject } from '../../src/validate/k8s/validateRenderedObject';

/** What habitat-cmp renders for a leader group with ports and persistence: the base every case mutates. */
const rendered = renderAction(
  memFs({
    'habitat.yaml':
      'apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: demo, namespace: ns}\nservices:\n  db:\n    image: x/db\n    topology: leader\n    count: 3\n    ports: [{name: pg, port: 5432}]\n    persistence: {size: 1Gi, mountPath: /data}\n',
  }),
  {},
);
assert.equal(rendered.diagnostics, [], 'the base renders cleanly');
const base = (kind: string): K8sObject => structuredClone(rendered.objects.find((o) => o.kind === kind)!);
const current = kubeRules(undefined);
const check = (o: K8sObject, rules = current): Finding[] => validateRenderedObject(o as Record<string, unknown>, rules);
const codes = (o: K8sObject, rules = current): string[] => check(o, rules).map((f) => f.code);
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const sts = (): Any => base('StatefulSet');
const podSpec = (o: Any): Any => o.spec.template.spec;
const container = (o: Any): Any => podSpec(o).containers[0];

test('every object habitat-cmp rendered passes, at every Kubernetes version', () => {
  for (const v of [undefined, '1.20.15', '1.31.4', '1.34.1']) {
    for (const o of rendered.objects) assert.equal(check(o, kubeRules(v)), [], `${o.kind} ${o.metadata.name} at ${v}`);
  }
});

test('StatefulSet spec: ValidateStatefulSetSpec', () => {
  const a = sts();
  a.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other';
  assert.equal(codes(a), ['k8s-statefulset-invalid']);
  const b = sts();
  b.spec.podManagementPolicy = 'Sometimes';
  b.spec.updateStrategy.type = 'Rolling';
  b.spec.replicas = -1;
  podSpec(b).restartPolicy = 'Never';
  assert.equal(codes(b), ['k8s-statefulset-invalid', 'k8s-statefulset-invalid', 'k8s-statefulset-invalid', 'k8s-statefulset-invalid']);
  const c = sts();
  c.spec.selector = { matchLabels: {} };
  assert.equal(codes(c), ['k8s-statefulset-invalid']);
  const d = sts();
  podSpec(d).restartPolicy = 'Sometimes';
  assert.equal(codes(d), ['k8s-statefulset-invalid', 'k8s-restart-policy-invalid']);
});

test('names the StatefulSet controller derives must fit too', () => {
  const a = sts();
  a.metadata.name = 'w'.repeat(53);
  assert.equal(codes(a), ['k8s-statefulset-pod-name-invalid']);
  const b = sts();
  b.metadata.name = 'w'.repeat(62);
  assert.equal(codes(b), ['k8s-statefulset-pod-name-invalid', 'k8s-statefulset-pod-name-invalid']);
  const c = sts();
  c.metadata.name = 'Db';
  assert.ok(codes(c).includes('k8s-name-invalid'));
});

test('pod template: volumes, containers, mounts, probes, ports', () => {
  const a = sts();
  podSpec(a).volumes.push({ name: 'hab-peers', emptyDir: {} });
  assert.equal(codes(a), ['k8s-volume-invalid']);
  const b = sts();
  container(b).volumeMounts.push({ name: 'nope', mountPath: '/x' });
  assert.equal(codes(b), ['k8s-mount-invalid']);
  const c = sts();
  container(c).image = ' x/db';
  container(c).name = 'Habitat';
  assert.equal(codes(c), ['k8s-container-invalid', 'k8s-container-invalid']);
  const d = sts();
  container(d).readinessProbe = { periodSeconds: -1 };
  assert.equal(codes(d), ['k8s-probe-invalid', 'k8s-probe-invalid']);
  const e = sts();
  container(e).ports.push({ name: 'hab-http', containerPort: 0, protocol: 'HTTP' });
  assert.equal(codes(e), ['k8s-container-port-invalid', 'k8s-container-port-invalid', 'k8s-container-port-invalid']);
  const f = sts();
  container(f).volumeMounts.push({ name: 'persistent', mountPath: '/hab/peers/' });
  const pushed = `spec.template.spec.containers.0.volumeMounts.${container(f).volumeMounts.length - 1}.mountPath`;
  assert.equal(check(f).map((x) => [x.code, x.path.join('.')]), [['k8s-mount-path-duplicate', pushed]], 'a trailing slash is still the same mount point');
  const g = sts();
  container(g).env.push({ name: 'X', valueFrom: { secretKeyRef: { name: 'Bad_Name', key: 'a b' } } });
  assert.equal(codes(g), ['k8s-container-invalid', 'k8s-container-invalid']);
  const h = sts();
  container(h).env.push(
    { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    { name: 'ZONE', valueFrom: { fieldRef: { fieldPath: "metadata.labels['topology.kubernetes.io/zone']" } } },
  );
  assert.equal(codes(h), [], 'downward API env, apiVersion defaulted');
  container(h).env.push({ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } }, { name: 'V', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } });
  assert.equal(codes(h), ['k8s-container-invalid', 'k8s-container-invalid']);
});

test('claim templates: ValidatePersistentVolumeClaimTemplate', () => {
  const a = sts();
  const claim = a.spec.volumeClaimTemplates[0];
  claim.spec.accessModes = [];
  claim.spec.resources.requests.storage = '-1Gi';
  claim.spec.storageClassName = 'UPPER';
  assert.equal(codes(a), ['k8s-access-modes-invalid', 'k8s-storage-size-invalid', 'k8s-storage-class-name-invalid']);
  const b = sts();
  delete b.spec.volumeClaimTemplates[0].spec.resources.requests.storage;
  b.spec.volumeClaimTemplates[0].spec.accessModes = ['ReadWriteSometimes'];
  assert.equal(codes(b), ['k8s-access-modes-invalid', 'k8s-storage-size-invalid']);
  const c = sts();
  c.spec.volumeClaimTemplates[0].spec.storageClassName = '';
  assert.equal(codes(c), [], 'an empty class asks for no class');
});

test('resources: ValidateResourceRequirements', () => {
  const withResources = (requests: object | undefined, limits: object | undefined): string[] => {
    const o = sts();
    container(o).resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
    return codes(o);
  };
  assert.equal(withResources({ cpu: '100m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), []);
  assert.equal(withResources({ cpu: '1001m' }, { cpu: '1' }), ['k8s-resources-request-exceeds-limit']);
  assert.equal(withResources({ cpu: '1000m' }, { cpu: '1' }), [], 'equal after parsing');
  assert.equal(withResources({ memory: '1Gi' }, { memory: '1G' }), ['k8s-resources-request-exceeds-limit']);
  assert.equal(withResources({ cpu: '-1' }, undefined), ['k8s-resource-quantity-invalid']);
  assert.equal(withResources(undefined, { 'example.com/dev': '1' }), [], 'limits alone: requests default to them');
  assert.equal(withResources({ 'example.com/dev': '1' }, undefined), ['k8s-resources-limit-required']);
  assert.equal(withResources({ 'example.com/dev': '1' }, { 'example.com/dev': '2' }), ['k8s-resources-request-must-equal-limit']);
  assert.equal(withResources(undefined, { 'example.com/dev': '1500m' }), ['k8s-resource-quantity-invalid']);
  assert.equal(withResources(undefined, { 'example.com/dev': '2000m' }), [], 'whole in value, whatever the notation');
  assert.equal(withResources({ storage: '1Gi' }, undefined), ['k8s-resource-name-invalid']);
  assert.equal(withResources({ gpu: '1' }, undefined), ['k8s-resource-name-invalid']);
  assert.equal(withResources({ 'bad name': '1' }, undefined), ['k8s-resource-name-invalid']);
  assert.equal(withResources(undefined, { 'requests.example.com/x': '1' }), ['k8s-resource-name-invalid']);
  assert.equal(withResources(undefined, { 'hugepages-2Mi': '4Mi', memory: '1Gi' }), []);
  assert.equal(withResources(undefined, { 'hugepages-2Mi': '3Mi', memory: '1Gi' }), ['k8s-resource-quantity-invalid']);
  assert.equal(withResources({ 'hugepages-2Mi': '2Mi' }, { 'hugepages-2Mi': '4Mi', cpu: '1' }), ['k8s-resources-request-must-equal-limit']);
  assert.equal(withResources(undefined, { 'hugepages-1Gi': '1Gi' }), ['k8s-resources-hugepages-need-cpu-or-memory']);
  assert.equal(withResources(undefined, { cpu: '1x' }), ['k8s-resource-quantity-invalid']);
});

test('pass-through: tolerations, affinity, topology spread', () => {
  const pod = (fields: Record<string, unknown>): string[] => {
    const o = sts();
    Object.assign(podSpec(o), fields);
    return codes(o);
  };
  assert.equal(pod({ tolerations: [{ operator: 'Exists' }, { key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 5 }] }), []);
  assert.equal(pod({ tolerations: [{ key: 'k', value: '-x' }] }), ['k8s-toleration-invalid']);
  assert.equal(pod({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'Sometimes' }] }), ['k8s-toleration-invalid']);
  assert.equal(pod({ tolerations: [{ key: 'a/b/c', operator: 'Exists' }] }), ['k8s-toleration-invalid']);
  const req = (expr: object) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expr] } } } });
  assert.equal(pod(req({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] })), []);
  assert.equal(pod(req({ matchExpressions: [{ key: 'zone', operator: 'Exists', values: ['a'] }] })), ['k8s-affinity-invalid']);
  assert.equal(pod(req({ matchExpressions: [{ key: 'n', operator: 'Gt', values: ['1', '2'] }] })), ['k8s-affinity-invalid']);
  assert.equal(pod(req({ matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['a'] }] })), ['k8s-affinity-invalid']);
  assert.equal(pod(req({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['Node_1'] }] })), ['k8s-affinity-invalid']);
  assert.equal(pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }), ['k8s-affinity-invalid']);
  const anti = (term: object) => ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } });
  assert.equal(pod(anti({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { a: 'b' } } })), []);
  assert.equal(pod(anti({ labelSelector: { matchLabels: { a: 'b' } } })), ['k8s-affinity-invalid']);
  assert.equal(pod(anti({ topologyKey: 'h', namespaces: ['Bad'] })), ['k8s-affinity-invalid']);
  assert.equal(pod(anti({ topologyKey: 'h', matchLabelKeys: ['a'] })), ['k8s-affinity-invalid'], 'matchLabelKeys needs a labelSelector');
  assert.equal(pod(anti({ topologyKey: 'h', labelSelector: {}, matchLabelKeys: ['a'], mismatchLabelKeys: ['a'] })), ['k8s-affinity-invalid']);
  assert.equal(pod(anti({ topologyKey: 'h', labelSelector: { matchExpressions: [{ key: 'a', operator: 'Maybe' }] } })), ['k8s-affinity-invalid']);
  const spread = (c: object[]) => ({ topologySpreadConstraints: c });
  const ok = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' };
  assert.equal(pod(spread([ok, { ...ok, whenUnsatisfiable: 'ScheduleAnyway' }])), []);
  assert.equal(pod(spread([ok, ok])), ['k8s-topology-spread-invalid']);
  assert.equal(pod(spread([{ ...ok, whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }])), ['k8s-topology-spread-invalid']);
  assert.equal(pod(spread([{ ...ok, nodeTaintsPolicy: 'Maybe', topologyKey: '' }])), ['k8s-topology-spread-invalid', 'k8s-topology-spread-invalid']);
  assert.equal(pod(spread([{ ...ok, labelSelector: { matchLabels: { app: 'x' } }, matchLabelKeys: ['app'] }])), ['k8s-topology-spread-invalid']);
});

test('pass-through: security context, DNS, names, host aliases, image pull secrets', () => {
  const pod = (fields: Record<string, unknown>, rules = current): string[] => {
    const o = sts();
    Object.assign(podSpec(o), fields);
    return codes(o, rules);
  };
  assert.equal(pod({ securityContext: { fsGroup: 2 ** 31 - 1, runAsUser: 1000, runAsNonRoot: true, supplementalGroups: [0], seccompProfile: { type: 'RuntimeDefault' } } }), []);
  assert.equal(pod({ securityContext: { runAsUser: -1, runAsGroup: 2 ** 31, supplementalGroups: [-5] } }), ['k8s-security-context-invalid', 'k8s-security-context-invalid', 'k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { seccompProfile: { type: 'Localhost' } } }), ['k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: '../x' } } }), ['k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } } }), ['k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: ' x' } } }), ['k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { appArmorProfile: {} } }), ['k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '0' }, { name: 'Bad', value: '' }] } }), ['k8s-security-context-invalid', 'k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { sysctls: [{ name: 'net/ipv4/ip_local_port_range', value: '1024 65535' }, { name: 'kernel.shm_rmid_forced', value: '1' }] } }), [], 'safe sysctls, also written with slashes');
  const o = sts();
  podSpec(o).securityContext = { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] };
  assert.equal(check(o).map((f) => [f.code, f.warning]), [['k8s-sysctl-not-safe', true]], 'the kubelet refuses unsafe sysctls unless the node allows them: a warning');
  assert.equal(pod({ securityContext: { fsGroupChangePolicy: 'Never', supplementalGroupsPolicy: 'Union', seLinuxChangePolicy: 'Sometimes' } }), ['k8s-security-context-invalid', 'k8s-security-context-invalid', 'k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'a\\b\\c', gmsaCredentialSpecName: 'X' } } }), ['k8s-security-context-invalid', 'k8s-security-context-invalid', 'k8s-security-context-invalid']);
  assert.equal(pod({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }), ['k8s-run-as-non-root-image-root']);
  assert.equal(pod({ dnsPolicy: 'None' }), ['k8s-dns-config-invalid']);
  assert.equal(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }), []);
  assert.equal(pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] } }), ['k8s-dns-config-invalid']);
  assert.equal(pod({ dnsConfig: { searches: ['.', 'a_b.example.com', 'ok.example.com.'] } }), []);
  assert.equal(pod({ dnsConfig: { searches: ['.', 'a_b.example.com', 'ok.example.com.'] } }, kubeRules('1.32.3')), ['k8s-dns-config-invalid', 'k8s-dns-config-invalid']);
  assert.equal(pod({ dnsConfig: { searches: Array.from({ length: 33 }, (_, i) => `s${i}.example.com`) } }), ['k8s-dns-config-invalid']);
  assert.equal(pod({ dnsConfig: { options: [{ value: '2' }] } }), ['k8s-dns-config-invalid']);
  assert.equal(pod({ serviceAccountName: 'x'.repeat(254) }), ['k8s-service-account-name-invalid']);
  assert.equal(pod({ serviceAccountName: '', priorityClassName: '' }), [], 'empty means unset');
  assert.equal(pod({ runtimeClassName: '' }), ['k8s-runtime-class-name-invalid']);
  assert.equal(pod({ hostAliases: [{ ip: '::1', hostnames: ['localhost.localdomain'] }] }), []);
  assert.equal(pod({ imagePullSecrets: [{ name: 'reg', namespace: 'x' }] }), ['k8s-image-pull-secret-invalid']);
  assert.equal(pod({ nodeSelector: { 'kubernetes.io/os': 'linux', 'x/y': '-no' } }), ['k8s-node-selector-invalid']);
});

test('pod annotations: ValidatePodSpecificAnnotations and the field/annotation agreement', () => {
  const ann = (annotations: Record<string, string>, sc?: object): string[] => {
    const o = sts();
    o.spec.template.metadata.annotations = annotations;
    if (sc) podSpec(o).securityContext = sc;
    return codes(o);
  };
  assert.equal(ann({ 'controller.kubernetes.io/pod-deletion-cost': '-2147483648' }), []);
  assert.equal(ann({ 'controller.kubernetes.io/pod-deletion-cost': '2147483648' }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'kubernetes.io/config.mirror': 'x' }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'scheduler.alpha.kubernetes.io/tolerations': '[{"key":"k","operator":"Exists"}]' }), []);
  assert.equal(ann({ 'scheduler.alpha.kubernetes.io/tolerations': '{not json' }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'scheduler.alpha.kubernetes.io/tolerations': '[{"operator":"Equal"}]' }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' }, { seccompProfile: { type: 'RuntimeDefault' } }), []);
  assert.equal(ann({ 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }, { seccompProfile: { type: 'RuntimeDefault' } }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'seccomp.security.alpha.kubernetes.io/pod': 'whatever' }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'container.apparmor.security.beta.kubernetes.io/habitat': 'runtime/default' }), []);
  assert.equal(ann({ 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'container.apparmor.security.beta.kubernetes.io/habitat': 'localhost/p' }, { appArmorProfile: { type: 'RuntimeDefault' } }), ['k8s-annotation-value-invalid']);
  assert.equal(ann({ 'Example.COM/Key': 'v' }), [], 'annotation keys are checked lowercased');
  assert.equal(ann({ 'a/b/c': 'v', 'x/': 'v' }), ['k8s-annotation-key-invalid', 'k8s-annotation-key-invalid']);
});

test('Service, PodDisruptionBudget, ConfigMap, Secret, SealedSecret', () => {
  const svc: Any = base('Service');
  assert.equal(codes(svc), []);
  svc.spec.ports.push({ name: 'pg', port: 5432, targetPort: 'Bad_Name', protocol: 'TCP' }, { port: 1, protocol: 'ICMP' });
  svc.spec.type = 'Headless';
  svc.spec.sessionAffinity = 'Sticky';
  assert.equal(codes(svc), ['k8s-service-invalid', 'k8s-service-port-invalid', 'k8s-service-port-invalid', 'k8s-service-port-invalid', 'k8s-service-port-invalid', 'k8s-service-port-invalid', 'k8s-service-invalid']);
  const named: Any = base('Service');
  named.metadata.name = '1svc';
  named.metadata.namespace = 'Bad_NS';
  assert.equal(codes(named), ['k8s-name-invalid', 'k8s-namespace-invalid']);
  const pdb: Any = base('PodDisruptionBudget');
  assert.equal(codes(pdb), []);
  pdb.spec.minAvailable = '150%';
  assert.equal(codes(pdb), ['k8s-pdb-invalid', 'k8s-pdb-invalid']);
  const cm: Any = base('ConfigMap');
  assert.equal(codes(cm), []);
  cm.data['a b'] = 'x';
  cm.binaryData = { peers: 'eA==' };
  assert.equal(codes(cm), ['k8s-data-key-invalid', 'k8s-data-key-invalid']);
  const big: Any = base('ConfigMap');
  big.data.peers = 'x'.repeat(1024 * 1024 + 1);
  assert.equal(check(big).map((f) => [f.code, f.warning ?? false]), [['k8s-configmap-too-large', false]]);
  const sec: Any = base('Secret');
  assert.equal(codes(sec), []);
  sec.stringData['..'] = 'x';
  assert.equal(codes(sec), ['k8s-data-key-invalid']);
  const sealed: Any = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'x-config' }, spec: { encryptedData: { 'a/b': 'AgB' }, template: { data: { 'user.toml': '' } } } };
  assert.equal(codes(sealed), ['k8s-data-key-invalid']);
});

test('env names follow KUBE_VERSION on the rendered container', () => {
  const o = sts();
  container(o).env.push({ name: '1FOO', value: 'x' });
  assert.equal(codes(o, kubeRules('1.31.0')), ['env-name-invalid']);
  assert.equal(codes(o, kubeRules('1.32.0')), []);
  assert.equal(codes(o), []);
  container(o).env.push({ name: 'A=B', value: 'x' });
  assert.equal(codes(o), ['env-name-invalid']);
});

test.run();
