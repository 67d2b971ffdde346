import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAction } from '../../src/action/render';
import { lineCol } from '../../src/diag/format';
import { nodeFs } from '../../src/load/nodeFs';
import { memFs } from '../../src/load/repoFs';
import { ROOT } from '../helpers/cli';
import { validateK8s } from '../helpers/k8sSchema';
import { sampleCases } from '../helpers/samples';

const VERSIONS = [undefined, '1.20.15', '1.31.4', '1.32.0', '1.34.1'];

test('every sample, in every environment, passes the rendered-object checks at every Kubernetes version', () => {
  for (const c of sampleCases()) {
    for (const kubeVersion of VERSIONS) {
      const r = renderAction(nodeFs(join(ROOT, 'samples', c.sample)), { ...(c.env ? { environment: c.env } : {}), ...(kubeVersion ? { kubeVersion } : {}) });
      assert.equal(r.diagnostics.map((d) => `${d.code}: ${d.message}`), [], `${c.golden} at ${kubeVersion ?? 'no version'}`);
    }
  }
});

const app = (service: string) => `apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: demo}\nservices:\n  api:\n    image: x/api\n${service}`;
const render = (text: string, kubeVersion?: string) => renderAction(memFs({ 'habitat.yaml': text }), kubeVersion ? { kubeVersion } : {});
const where = (text: string, r: ReturnType<typeof render>) => r.diagnostics.map((d) => {
  const { line, col } = lineCol(text, d.offset ?? 0);
  return `${d.code} ${line}:${col}`;
});

test('the env name rule follows KUBE_VERSION; unknown versions get the current rule', () => {
  const text = app('    env: {1FOO: x}\n');
  assert.equal(where(text, render(text, '1.31.4')), ['env-name-invalid 7:11']);
  assert.equal(render(text, '1.32.0').diagnostics, []);
  assert.equal(render(text, 'not-a-version').diagnostics, []);
  assert.equal(render(text).diagnostics, []);
});

test('a valid pod pass-through renders, passes the Kubernetes OpenAPI schema, and nodeSelector scalars become strings', () => {
  const text = app(
    '    resources: {requests: {cpu: 0.5, nvidia.com/gpu: 1}, limits: {cpu: 1, nvidia.com/gpu: 1, hugepages-2Mi: 4Mi}}\n' +
      '    pod:\n' +
      '      nodeSelector: {gpu: true, gen: 3}\n' +
      '      tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]\n' +
      '      affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app.kubernetes.io/name: api}}}}]}}\n' +
      '      topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}]\n' +
      '      securityContext: {runAsNonRoot: true, runAsUser: 42, runAsGroup: 0, fsGroup: 42, sysctls: [{name: net.ipv4.tcp_syncookies, value: "1"}]}\n' +
      '      dnsConfig: {options: [{name: ndots, value: "2"}]}\n' +
      '      hostAliases: [{ip: 10.0.0.1, hostnames: [db.local]}]\n' +
      '      priorityClassName: high\n',
  );
  const r = render(text);
  assert.equal(r.diagnostics, []);
  const sts = r.objects.find((o) => o.kind === 'StatefulSet') as unknown as { spec: { template: { spec: { nodeSelector: object } } } };
  assert.equal(sts.spec.template.spec.nodeSelector, { gpu: 'true', gen: '3' });
  for (const o of r.objects) validateK8s(o);
});

test('a Service port exposed twice is reported at the later port number', () => {
  const text = app('    ports: [{name: a, port: 80}, {name: b, port: 8080, targetPort: 80}, {name: c, port: 80}]\n');
  assert.equal(where(text, render(text)), ['k8s-service-port-invalid 7:89']);
});

test.run();
