import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import TOML from '@iarna/toml';
import { renderAction } from '../../src/action/render';
import { memFs } from '../../src/load/repoFs';
import { toYamlStream } from '../../src/serialize/toYaml';
import { validateK8s } from '../helpers/k8sSchema';

const app = (services: string, extra = '') => `apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: demo, namespace: ns}\n${extra}services:\n${services}`;

test('in memory: configFile merged under config, config wins, TOML of the Secret parses', () => {
  const fs = memFs({
    'habitat.yaml': app('  db:\n    image: core/redis\n    configFile: conf/db.toml\n    config: {port: 7000, tls: {enabled: true}}\n'),
    'conf/db.toml': 'port = 6379\nname = "x"\n[tls]\nenabled = false\ncert = "/c"\n',
  });
  const r = renderAction(fs, {});
  assert.equal(r.diagnostics, []);
  const secret = r.objects.find((o) => o.kind === 'Secret')! as unknown as { stringData: Record<string, string> };
  assert.equal(JSON.parse(JSON.stringify(TOML.parse(secret.stringData['user.toml']!))), { name: 'x', port: 7000, tls: { cert: '/c', enabled: true } });
});

test('in memory: symlink out of the app directory is refused', () => {
  const fs = memFs({
    'habitat.yaml': app('  db:\n    image: core/redis\n    configFile: link/db.toml\n'),
    link: { symlink: '../../etc' },
  });
  assert.equal(renderAction(fs, {}).diagnostics.map((d) => d.code), ['config-file-outside']);
});

test('peers list every StatefulSet with replicas (count >= 1), sorted, no blank line; rings list joined ring Services', () => {
  const fs = memFs({ 'habitat.yaml': app('  b:\n    image: x/b\n  a:\n    image: x/a\n    count: 0\n  c:\n    image: x/c\n    count: 2\n') });
  const r = renderAction(fs, {});
  const cm = r.objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
  const { 'seed.sh': script, ...data } = cm.data;
  assert.equal(data, { peers: 'b 1\nc 2\n', service: 'demo-ring' });
  assert.match(script!, /^# habitat-cmp: /);
  const joined = memFs({ 'habitat.yaml': app('  b:\n    image: x/b\n', 'ring:\n  join: [{app: zed, namespace: ns}, {app: billing, namespace: money}, {app: acct}]\n') });
  const cm2 = renderAction(joined, {}).objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
  // Same namespace as the app: relative to the pod's namespace; elsewhere: <service>.<namespace>.
  assert.is(cm2.data.rings, 'acct-ring\nbilling-ring.money\nzed-ring\n');
});

test('bind env: producer in the app with ports gets HOST and PORT; a joined ring\'s group only the service group', () => {
  const fs = memFs({
    'habitat.yaml': app('  web:\n    image: x/web\n    binds: {db: db, legacy: {service: redis, group: old}}\n    bindingMode: relaxed\n  db:\n    image: x/db\n    service: postgresql\n    ports: [{name: pg, port: 5432}]\n', 'ring:\n  join: [{app: legacy, groups: [redis.old]}]\n'),
  });
  const r = renderAction(fs, {});
  const sts = r.objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'web') as unknown as { spec: { template: { spec: { containers: { args: string[]; env: { name: string; value?: string }[] }[] } } } };
  const c = sts.spec.template.spec.containers[0]!;
  assert.equal(c.args, ['--group', 'default', '--topology', 'standalone', '--peer-watch-file', '/hab/seed/peers', '--bind', 'db:postgresql.default', '--bind', 'legacy:redis.old', '--binding-mode', 'relaxed']);
  assert.equal(c.env.filter((e) => e.name.startsWith('HAB_BIND')), [
    { name: 'HAB_BIND_DB', value: 'postgresql.default' },
    { name: 'HAB_BIND_DB_HOST', value: 'db' },
    { name: 'HAB_BIND_DB_PORT', value: '5432' },
    { name: 'HAB_BIND_LEGACY', value: 'redis.old' },
  ]);
});

test('PodDisruptionBudget API version follows KUBE_VERSION', () => {
  const fs = memFs({ 'habitat.yaml': app('  r:\n    image: x/r\n    topology: leader\n    count: 3\n') });
  const pdb = (v?: string) => renderAction(fs, v ? { kubeVersion: v } : {}).objects.find((o) => o.kind === 'PodDisruptionBudget')!;
  assert.is(pdb('1.20.15').apiVersion, 'policy/v1beta1');
  assert.is(pdb('1.21.0').apiVersion, 'policy/v1');
  assert.is(pdb('v1.29.3+k3s1').apiVersion, 'policy/v1');
  assert.is(pdb().apiVersion, 'policy/v1');
  validateK8s(pdb('1.20.15'));
});

test('configUpdate restart: the hash annotation changes with the config, reload has none', () => {
  const hash = (port: number, mode: string) => {
    const fs = memFs({ 'habitat.yaml': app(`  r:\n    image: x/r\n    configUpdate: ${mode}\n    config: {port: ${port}}\n`) });
    const sts = renderAction(fs, {}).objects.find((o) => o.kind === 'StatefulSet') as unknown as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    return sts.spec.template.metadata.annotations?.['habitat.sh/config-hash'];
  };
  assert.ok(hash(1, 'restart'));
  assert.is.not(hash(1, 'restart'), hash(2, 'restart'));
  assert.is(hash(1, 'reload'), undefined);
});

test('the pod pass-through lands in the pod spec and fsGroup defaults to 42 with persistence', () => {
  const fs = memFs({
    'habitat.yaml': app('  r:\n    image: x/r\n    persistence: {size: 1Gi, mountPath: /data}\n    pod:\n      tolerations: [{key: a, operator: Exists}]\n      securityContext: {runAsNonRoot: true, runAsUser: 42}\n      annotations: {x: "1"}\n'),
  });
  const r = renderAction(fs, {});
  const sts = r.objects.find((o) => o.kind === 'StatefulSet') as unknown as { spec: { template: { metadata: { annotations: object }; spec: Record<string, unknown> } } };
  assert.equal(sts.spec.template.spec.securityContext, { fsGroup: 42, runAsNonRoot: true, runAsUser: 42 });
  assert.equal(sts.spec.template.spec.tolerations, [{ key: 'a', operator: 'Exists' }]);
  assert.equal(sts.spec.template.metadata.annotations, { x: '1' });
  for (const o of r.objects) validateK8s(o);
});

test('sealed config: SealedSecret with toJson actions, literal {{ escaped, scope annotations', () => {
  // The hybrid layout: a 512-byte RSA block announced by its length, then AES-GCM output.
  const sealed = Buffer.concat([Buffer.from([2, 0]), Buffer.alloc(512, 7), Buffer.alloc(20, 9)]).toString('base64');
  const fs = memFs({
    'habitat.yaml': app(`  r:\n    image: x/r\n    config: {motd: "hi {{name}}"}\n    secrets: {auth.password: "${sealed}"}\n`, 'sealing: {scope: namespace-wide}\n'),
  });
  const r = renderAction(fs, {});
  assert.equal(r.diagnostics, []);
  const ss = r.objects.find((o) => o.kind === 'SealedSecret') as unknown as { metadata: { annotations: object }; spec: { encryptedData: object; template: { metadata: { annotations: object }; data: Record<string, string> } } };
  assert.equal(ss.spec.encryptedData, { 'auth.password': sealed });
  assert.is(ss.spec.template.data['user.toml'], 'motd = "hi {{"{{"}}name}}"\n\n[auth]\npassword = {{ toJson (index . "auth.password") }}\n');
  assert.equal(ss.metadata.annotations, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
  assert.equal(ss.spec.template.metadata.annotations, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
  validateK8s(ss as never);
});

test('environment overlay: maps merge, lists replace, null removes a config key', () => {
  const fs = memFs({
    'habitat.yaml': app('  r:\n    image: x/r\n    config: {a: 1, b: 2}\n    env: {A: "1", B: "2"}\n    ports: [{name: a, port: 1000}, {name: b, port: 2000}]\n', '') +
      'environments:\n  prod:\n    services:\n      r:\n        env: {C: "3"}\n        config: {b: null}\n        ports: [{name: c, port: 3000}]\n',
  });
  const r = renderAction(fs, { environment: 'prod' });
  assert.equal(r.diagnostics, []);
  const out = parse(toYamlStream(r.objects).split('---\n').find((d) => d.includes('kind: StatefulSet'))!);
  const c = out.spec.template.spec.containers[0];
  assert.equal(c.env.filter((e: { name: string }) => !e.name.startsWith('HAB_')), [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }]);
  const secret = r.objects.find((o) => o.kind === 'Secret') as unknown as { stringData: Record<string, string> };
  assert.is(secret.stringData['user.toml'], 'a = 1\n');
  assert.equal(c.ports.slice(3), [{ name: 'c', containerPort: 3000, protocol: 'TCP' }]);
});

test('the Kubernetes schema check can fail', () => {
  assert.throws(() => validateK8s({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { replicas: 'three', selector: {}, template: {} } }));
  assert.throws(() => validateK8s({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'x' }, spec: { encryptedData: { a: 1 } } }));
  assert.throws(() => validateK8s({ apiVersion: 'v9', kind: 'Nope' }));
});


test('a bind to a group outside the app needs ring.join naming that group', () => {
  const services = '  web:\n    image: x/web\n    binds: {legacy: {service: redis, group: old}}\n';
  const codes = (extra: string) => renderAction(memFs({ 'habitat.yaml': app(services, extra) }), {}).diagnostics.map((d) => d.code);
  assert.equal(codes(''), ['bind-target-outside-ring']);
  assert.equal(codes('ring:\n  join: [{app: legacy, groups: [redis.other]}]\n'), ['bind-target-outside-ring']);
  assert.equal(codes('ring:\n  join: [{app: legacy, groups: [redis.old]}]\n'), []);
  // A workload's own group is in this ring already.
  assert.equal(renderAction(memFs({ 'habitat.yaml': app('  web:\n    image: x/web\n    binds: {c: {service: redis}}\n  cache:\n    image: x/r\n    service: redis\n') }), {}).diagnostics.map((d) => d.code), []);
});

test.run();
