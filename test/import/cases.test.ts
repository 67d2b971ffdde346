/**
 * import on hand-written operator manifests: both layouts, every input error
 * with its position (written by hand), what is and is not carried, splitting,
 * output handling, determinism. Most run the pure importManifests; the CLI
 * cases check exit codes and files.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lineCol } from '../../src/diag/format';
import { importManifests, type ImportRequest, type Sealer } from '../../src/import/importManifests';
import { cli } from '../helpers/cli';
import { fixtureKeyPair, tmp, unseal } from '../seal/helpers';
import { sealValue } from '../../src/seal/hybridEncrypt';
import { createPublicKey } from 'node:crypto';
import { codesOf, render } from './helpers';

const REQ: ImportRequest = { split: false, sealConfig: false };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function run(text: string, req: Partial<ImportRequest> = {}, seal?: Sealer, file = 'in.yaml') {
  const r = importManifests([{ file, text }], { ...REQ, ...req }, seal);
  const at = (code: string) =>
    r.diagnostics
      .filter((d) => d.code === code)
      .map((d) => {
        const { line, col } = lineCol(r.sources.get(d.file!)!.text, d.offset!);
        return `${d.file}:${line}:${col}`;
      });
  return { ...r, at, codes: r.diagnostics.map((d) => d.code), errors: r.diagnostics.filter((d) => d.severity === 'error') };
}
const yamlOf = (r: ReturnType<typeof run>, i = 0) => r.apps[i]!.files[0]!.text;

const habitat = (name: string, service: string, extra = '', top = 'customVersion: v1beta2\n') =>
  `apiVersion: habitat.sh/v1beta1
kind: Habitat
metadata:
  name: ${name}
${top}spec:
  v1beta2:
    image: habitat/${service}-hab
    count: 1
    service:
      name: ${service}
      topology: standalone
${extra}`;

test('legacy v1beta1 layout: fields under spec, "" means unset, rendered as a StatefulSet with a warning', () => {
  const text = `apiVersion: habitat.sh/v1beta1
kind: Habitat
metadata: {name: legacy}
spec:
  image: habitat/redis-hab
  count: 3
  service:
    name: redis
    topology: leader
    group: ""
    configSecretName: ""
    ringSecretName: ""
    bind: []
  env:
    - {name: HAB_REDIS, value: 'port = 7000'}
`;
  const r = run(text);
  assert.equal(r.errors, []);
  assert.equal(r.at('import-legacy-layout'), ['in.yaml:3:18']);
  const y = yamlOf(r);
  assert.match(y, /^ {2}legacy:\n {4}image: habitat\/redis-hab\n {4}service: redis\n {4}topology: leader\n {4}count: 3\n {4}env:\n {6}HAB_REDIS: port = 7000\n/m);
  assert.not.match(y, /group:|configFile|ring:/);
});

test('channel and group are carried from v1beta2; the legacy layout had no channel, so there it is an ignored field', () => {
  const r = run(habitat('a', 'redis', '      group: prod\n      channel: stable\n'));
  assert.match(yamlOf(r), / {4}group: prod\n {4}topology: standalone\n {4}count: 1\n {4}channel: stable\n/);
  const legacy = run('apiVersion: habitat.sh/v1beta1\nkind: Habitat\nmetadata: {name: a}\nspec:\n  image: habitat/redis-hab\n  count: 1\n  service: {name: redis, topology: standalone, channel: stable}\n');
  assert.equal(legacy.at('import-field-ignored'), ['in.yaml:7:48']);
  assert.not.match(yamlOf(legacy), /channel/);
});

test('customVersion and spec.v1beta2 must agree, as the operator required', () => {
  const missingSpec = run(`apiVersion: habitat.sh/v1beta1\nkind: Habitat\nmetadata: {name: a}\ncustomVersion: v1beta2\nspec:\n  image: x\n`);
  assert.equal(missingSpec.at('import-habitat-spec-missing'), ['in.yaml:5:1']);
  const noCustom = run(habitat('a', 'redis', '', ''));
  assert.equal(noCustom.at('import-custom-version'), ['in.yaml:6:3']);
  const unknownVersion = run(habitat('a', 'redis', '', 'customVersion: v1\n'));
  assert.equal(unknownVersion.at('import-custom-version'), ['in.yaml:5:16']);
  const api = run(habitat('a', 'redis').replace('habitat.sh/v1beta1', 'habitat.sh/v1'));
  assert.equal(api.at('import-habitat-api-version'), ['in.yaml:1:13']);
});

test('operator validation: topology required and known, ringSecretName <ring>-<14 digits>, types as Go decoded them', () => {
  const r = run(
    habitat('a', 'redis').replace('      topology: standalone\n', '') +
      '---\n' +
      habitat('b', 'redis', '      ringSecretName: my-ring\n').replace('standalone', 'leaderish') +
      '---\n' +
      habitat('c', 'redis').replace('count: 1', 'count: "1"'),
  );
  assert.equal(r.at('import-topology-invalid'), ['in.yaml:10:5', 'in.yaml:24:17']);
  assert.equal(r.at('import-ring-secret-name'), ['in.yaml:25:23']);
  assert.equal(r.at('import-field-type'), ['in.yaml:35:12']);
  assert.equal(r.apps, []);
});

test('fields the operator did not know are warnings at the key (Go ignored them); nothing else changes', () => {
  const r = run(habitat('a', 'redis', '      bindd: []\n').replace('    count: 1\n', '    count: 1\n    replicas: 2\n'));
  assert.equal(r.errors, []);
  assert.equal(r.at('import-field-ignored'), ['in.yaml:10:5', 'in.yaml:14:7']);
  assert.match(r.diagnostics.find((d) => d.code === 'import-field-ignored')!.message, /spec\.v1beta2\.replicas is not a field of the operator's v1beta2 spec/);
});

test('names, images, counts and groups habitat.yaml cannot hold are errors at the Habitat', () => {
  const r = run(
    habitat('Web_App', 'redis') + '---\n' + habitat('b', 'redis').replace('habitat/redis-hab', 'Not An Image') + '---\n' + habitat('c', 'redis', '      group: a.b\n').replace('count: 1', 'count: 5000'),
  );
  assert.equal(r.at('import-name-invalid'), ['in.yaml:4:9']);
  assert.equal(r.at('import-image-invalid'), ['in.yaml:21:12']);
  assert.equal(r.at('import-count-invalid'), ['in.yaml:35:12']);
  assert.equal(r.at('import-group-invalid'), ['in.yaml:39:14']);
});

test('names that would become paths under --out must be DNS names: namespaces, config Secret names', () => {
  const r = run(habitat('a', 'redis').replace('  name: a\n', '  name: a\n  namespace: ../../etc\n') + '---\n' + habitat('b', 'redis', '      configSecretName: ../../x\n'));
  assert.equal(r.at('import-namespace-invalid'), ['in.yaml:5:14']);
  assert.equal(r.at('import-secret-name-invalid'), ['in.yaml:27:25']);
  assert.equal(r.apps, []);
});

test('config Secret: data or stringData; user.toml goes verbatim to <secret>.toml with a header and a warning naming the Secret', () => {
  const toml = '# keep me\nport = 4444\n[save]\nseconds = 900';
  const r = run(
    habitat('db', 'redis', '      configSecretName: db-config\n') +
      `---\napiVersion: v1\nkind: Secret\nmetadata: {name: db-config}\ndata:\n  user.toml: ${b64(toml)}\n  other: ${b64('x')}\n`,
  );
  assert.equal(r.errors, []);
  const [y, f] = r.apps[0]!.files;
  assert.match(y!.text, /configFile: db-config\.toml/);
  assert.is(f!.path, 'db-config.toml');
  assert.ok(f!.text.endsWith(toml + '\n'), 'content verbatim, comments kept');
  assert.match(f!.text, /^# user\.toml of Secret db-config/);
  assert.equal(r.at('import-config-in-clear'), ['in.yaml:13:25']);
  const s = run(habitat('db', 'redis', '      configSecretName: c\n') + `---\napiVersion: v1\nkind: Secret\nmetadata: {name: c}\ndata: {user.toml: ${b64('port = 1')}}\nstringData:\n  user.toml: "port = 2"\n`);
  assert.ok(s.apps[0]!.files[1]!.text.endsWith('port = 2\n'), 'stringData wins over data, as the API server merges them');
});

test('config Secret problems: missing Secret, missing key, bad base64, invalid TOML; positioned, never quoting the content', () => {
  const secretText = 'password = "hunter2-canary"\nport = ';
  const r = run(
    habitat('a', 'redis', '      configSecretName: nope\n') +
      '---\n' +
      habitat('b', 'redis', '      configSecretName: nokey\n') +
      `---\napiVersion: v1\nkind: Secret\nmetadata: {name: nokey}\ndata: {other: ${b64('x')}}\n` +
      '---\n' +
      habitat('c', 'redis', '      configSecretName: bad\n') +
      `---\napiVersion: v1\nkind: Secret\nmetadata: {name: bad}\ndata:\n  user.toml: ${b64(secretText)}\n`,
  );
  assert.equal(r.at('import-secret-missing'), ['in.yaml:13:25']);
  assert.equal(r.at('import-secret-key'), ['in.yaml:31:18']);
  assert.equal(r.at('import-user-toml-invalid'), ['in.yaml:52:3']);
  assert.match(r.errors.find((d) => d.code === 'import-user-toml-invalid')!.message, /not valid TOML \(line 2, column 8 of its text\)/);
  const all = JSON.stringify(r.diagnostics);
  assert.not.ok(all.includes('hunter2') || all.includes(b64(secretText)), 'no secret text in diagnostics');
});

test('ring key: needs a certificate; sealed for <ns>/<app>-ring-key; decrypts to the Secret\'s key; strict scope needs a namespace and an app name', () => {
  const key = `SYM-SEC-1\nshop-20240101010101\n\n${Buffer.alloc(32, 7).toString('base64')}`;
  const text = habitat('db', 'redis', '      ringSecretName: shop-20240101010101\n') + `---\napiVersion: v1\nkind: Secret\nmetadata: {name: shop-20240101010101}\ndata:\n  ring-key: ${b64(key)}\n`;
  assert.equal(run(text).at('import-cert-required'), ['in.yaml:13:23']);
  const kp = fixtureKeyPair();
  const pub = createPublicKey(kp.certPem);
  const seal: Sealer = (p, label) => sealValue(pub, Buffer.from(p), label);
  assert.equal(run(text, {}, seal).at('import-namespace-required'), ['in.yaml:13:23']);
  const r = run(text, { namespace: 'shop' }, seal);
  assert.equal(r.errors, []);
  const sealed = /sealedKey: (\S+)/.exec(yamlOf(r))![1]!;
  assert.is(unseal(sealed, kp.privateKey, 'shop/shop-ring-key').toString(), key);
  assert.not.ok(yamlOf(r).includes(Buffer.alloc(32, 7).toString('base64')));
  const cw = run(text, { scope: 'cluster-wide' }, seal);
  assert.is(unseal(/sealedKey: (\S+)/.exec(yamlOf(cw))![1]!, kp.privateKey, '').toString(), key);
  assert.match(yamlOf(cw), /sealing:\n {2}scope: cluster-wide\n/);
  const two = habitat('a', 'redis', '      ringSecretName: shop-20240101010101\n') + '---\n' + text;
  assert.equal(run(two, { namespace: 'ns', name: undefined }, seal).errors.map((d) => d.code), []);
});

test('ring key problems: missing Secret, not a key file, Habitats of one namespace with different keys (one ring, one key)', () => {
  const canary = 'not-a-key-canary-value';
  const r = run(
    habitat('a', 'redis', '      ringSecretName: r-20240101010101\n') +
      `---\napiVersion: v1\nkind: Secret\nmetadata: {name: r-20240101010101}\ndata: {ring-key: ${b64(canary)}}\n`,
    { namespace: 'n' },
    () => 'x',
  );
  assert.equal(r.at('import-ring-key-invalid'), ['in.yaml:18:8']);
  assert.not.ok(JSON.stringify(r.diagnostics).includes(canary));
  const missing = run(habitat('a', 'redis', '      ringSecretName: r-20240101010101\n'));
  assert.equal(missing.at('import-secret-missing'), ['in.yaml:13:23']);
  const mixed = run(habitat('a', 'redis', '      ringSecretName: r-20240101010101\n') + '---\n' + habitat('b', 'redis'));
  assert.equal(mixed.at('import-ring-mixed'), ['in.yaml:24:5']);
  assert.match(mixed.errors[0]!.hint!, /--split/);
});

test('binds: to a workload by name; a missing provider is an error at the bind; a duplicate bind name too', () => {
  const ok = run(habitat('web', 'nginx', '      bind:\n        - {name: cache, service: redis, group: default}\n') + '---\n' + habitat('cache', 'redis'));
  assert.match(yamlOf(ok), / {4}binds:\n {6}cache: cache\n/);
  const grouped = run(habitat('web', 'nginx', '      bind:\n        - {name: db, service: redis, group: prod}\n') + '---\n' + habitat('db1', 'redis', '      group: prod\n'));
  assert.match(yamlOf(grouped), / {6}db: db1\n/);
  const missing = run(habitat('web', 'nginx', '      bind:\n        - {name: db, service: postgres, group: default}\n'));
  assert.equal(missing.at('import-bind-target-missing'), ['in.yaml:14:11']);
  const dup = run(habitat('web', 'nginx', '      bind:\n        - {name: db, service: nginx, group: default}\n        - {name: db, service: nginx, group: default}\n'));
  assert.equal(dup.at('import-bind-invalid'), ['in.yaml:15:11']);
});

test('env: the list becomes a map; ConfigMap refs in the input are inlined; Secret, Downward API and habitat-cmp\'s own names are reported, never dropped silently', () => {
  const env = `    env:
      - {name: PLAIN, value: "1"}
      - {name: EMPTY}
      - {name: FROM_CM, valueFrom: {configMapKeyRef: {name: settings, key: mode}}}
      - {name: FROM_SECRET, valueFrom: {secretKeyRef: {name: s, key: k}}}
      - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
      - {name: HAB_LICENSE, value: accept}
      - {name: REF, value: "$(PLAIN)/x"}
      - {name: PLAIN, value: "2"}
`;
  const r = run(habitat('a', 'redis').replace('    service:\n', env + '    service:\n') + `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n`);
  assert.equal(r.errors, []);
  assert.match(yamlOf(r), / {4}env:\n {6}EMPTY: ""\n {6}FROM_CM: fast\n {6}PLAIN: '2'\n {6}REF: '\$\(PLAIN\)\/x'\n$/);
  assert.equal(r.at('import-env-not-carried'), ['in.yaml:14:9', 'in.yaml:15:9', 'in.yaml:16:9']);
  assert.equal(r.at('import-env-inlined'), ['in.yaml:13:9']);
  assert.equal(r.at('import-env-expansion'), ['in.yaml:17:9']);
  assert.equal(r.at('import-env-duplicate'), ['in.yaml:18:9']);
  assert.not.ok(r.codes.includes('import-not-carried'), 'the ConfigMap was read, so it is not reported');
});

test('Services: numeric ports of a Service selecting one Habitat become its ports; what is lost is reported', () => {
  const svc = (name: string, selector: string, ports: string, type = 'NodePort') => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  type: ${type}\n  selector: {${selector}}\n  ports:\n${ports}`;
  const r = run(
    habitat('web', 'nginx') +
      habitat('db', 'redis').replace(/^/, '---\n') +
      svc('front', 'habitat-name: web', '    - {name: http, port: 80, targetPort: 8080, nodePort: 30080}\n    - {name: gw, port: 9631}\n    - {port: 81, targetPort: named}\n') +
      svc('all', 'habitat: "true"', '    - {port: 1}\n') +
      svc('other', 'app: x', '    - {port: 2}\n', 'ClusterIP'),
  );
  assert.equal(r.errors, []);
  assert.match(yamlOf(r), / {4}ports:\n {6}- name: http\n {8}port: 80\n {8}targetPort: 8080\n/);
  const messages = r.diagnostics.map((d) => d.message);
  assert.ok(messages.includes('Service front (NodePort, nodePort 30080) is not carried: it selects the operator\'s pod labels'));
  assert.ok(messages.includes('Service front: port 80 becomes services.web.ports (a ClusterIP Service web)'));
  assert.ok(messages.some((m) => /^Service front: port 9631 \(the Supervisor's, on the ring Service\), 81 \(named targetPort/.test(m)));
  assert.ok(messages.includes('Service all (NodePort) is not carried: it selects pods of 2 Habitats (db, web); ports belong to one workload'));
  assert.ok(messages.includes('Service other is not carried: it selects no pod of an imported Habitat'));
});

test('kubectl get -o yaml output: a List of Habitats and Secrets, server fields ignored, JSON too', () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'habitat.sh/v1beta1', kind: 'Habitat', customVersion: 'v1beta2', metadata: { name: 'db', namespace: 'prod', uid: 'u', resourceVersion: '1', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, spec: { v1beta2: { image: 'habitat/redis-hab', count: 1, service: { name: 'redis', topology: 'standalone', configSecretName: 'cfg' } } }, status: { state: 'Processed' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cfg', namespace: 'prod' }, data: { 'user.toml': b64('port = 1\n') } },
    ],
  };
  const r = run(JSON.stringify(list), {}, undefined, 'list.json');
  assert.equal(r.errors, []);
  assert.not.ok(r.codes.includes('import-metadata-not-carried'), 'kubectl\'s last-applied annotation is not news');
  assert.match(yamlOf(r), /metadata:\n {2}name: prod\n {2}namespace: prod\n/);
  assert.is(r.apps[0]!.files[1]!.path, 'cfg.toml');
});

test('what `hab pkg export kubernetes` wrote (its KubernetesManifest.hbs, comments and all) imports as is', () => {
  const text = `---
## Secret for initial configuration.
apiVersion: v1
kind: Secret
metadata:
  name: user-toml-secret
type: Opaque
data:
  ## Each configuration item needs to be encoded in base64.
  user.toml: ${b64('port = 6380\n')}
---
apiVersion: habitat.sh/v1beta1
kind: Habitat
customVersion: v1beta2
metadata:
  ## Name of the Kubernetes resource.
  name: redis-4-0-14-20190116012304
spec:
  v1beta2:
    ## Name of the Habitat service package exported as a Docker image.
    image: core/redis:4.0.14-20190116012304
    ## Number of desired instances.
    count: 3
    ## List of names and values specifying additional environment variables
    ## for the service.
    env:
      - name: HAB_REDIS
        value: "tcp-backlog = 128"
    ## An object containing parameters that affects how the Habitat service
    ## is executed.
    service:
      ## Name of the Habitat service.
      name: redis
      ## Habitat topology of the service.
      topology: leader
      ## Name of the configuration secret.
      configSecretName: user-toml-secret
`;
  const r = run(text);
  assert.equal(r.errors, []);
  assert.match(yamlOf(r), /^ {2}redis-4-0-14-20190116012304:\n {4}image: core\/redis:4\.0\.14-20190116012304\n {4}service: redis\n {4}topology: leader\n {4}count: 3\n {4}configFile: user-toml-secret\.toml\n {4}env:\n {6}HAB_REDIS: tcp-backlog = 128\n/m);
  assert.ok(r.apps[0]!.files[1]!.text.endsWith('port = 6380\n'));
});

test('YAML problems are positioned, and an object defined twice is an error at the second', () => {
  const broken = run('kind: Habitat\nmetadata: [1\n');
  assert.equal(broken.errors.map((d) => d.code.startsWith('import-yaml-')), [true]);
  assert.equal(broken.apps, []);
  assert.equal(run('kind: Secret\nkind: Secret\n').at('import-yaml-duplicate-key'), ['in.yaml:2:1']);
  assert.equal(run('- a\n').at('import-not-object'), ['in.yaml:1:1']);
  const twice = run(habitat('a', 'redis') + '---\n' + habitat('a', 'redis'));
  assert.equal(twice.at('import-object-duplicate'), ['in.yaml:17:9']);
});

test('Habitats of two namespaces become two apps named after them; --split makes one app per Habitat joined where binds need it', () => {
  const text =
    habitat('web', 'nginx', '      bind:\n        - {name: db, service: redis, group: default}\n').replace('  name: web\n', '  name: web\n  namespace: a\n') +
    '---\n' +
    habitat('db', 'redis').replace('  name: db\n', '  name: db\n  namespace: a\n') +
    '---\n' +
    habitat('db', 'redis').replace('  name: db\n', '  name: db\n  namespace: b\n');
  const r = run(text);
  assert.equal(r.apps.map((a) => [a.app.name, a.app.namespace, a.app.dir, a.app.workloads.map((w) => w.name)]), [['a', 'a', 'a', ['db', 'web']], ['b', 'b', 'b', ['db']]]);
  const s = run(text.split('---\n').slice(0, 2).join('---\n'), { split: true });
  assert.equal(s.errors, []);
  assert.equal(s.apps.map((a) => a.app.dir), ['db', 'web']);
  assert.match(yamlOf(s, 1), /ring:\n {2}join:\n {4}- app: db\n {6}groups:\n {8}- redis\.default\n/);
  assert.match(yamlOf(s, 1), / {4}binds:\n {6}db:\n {8}service: redis\n {8}group: default\n/);
});

test('--split: the apps render, the consumer joins the provider\'s ring, and an encrypted ring gets one namespace-wide sealed key in every app', () => {
  const key = `SYM-SEC-1\nshop-20240101010101\n\n${Buffer.alloc(32, 9).toString('base64')}`;
  const ring = '      ringSecretName: shop-20240101010101\n';
  const dir = tmp('habitat-cmp-import-split-');
  writeFileSync(
    join(dir, 'm.yaml'),
    habitat('web', 'nginx', ring + '      bind:\n        - {name: db, service: redis, group: default}\n') +
      '---\n' +
      habitat('db', 'redis', ring) +
      '---\n' +
      habitat('lonely', 'memcached', ring) +
      `---\napiVersion: v1\nkind: Secret\nmetadata: {name: shop-20240101010101}\ndata: {ring-key: ${b64(key)}}\n`,
  );
  const kp = fixtureKeyPair();
  const out = join(dir, 'out');
  const r = cli(['import', join(dir, 'm.yaml'), '--split', '--out', out, '--cert', kp.certFile, '--namespace', 'shop']);
  assert.is(r.status, 0, r.stderr);
  const sealed = new Set<string>();
  for (const app of ['db', 'lonely', 'web']) {
    const y = readFileSync(join(out, app, 'habitat.yaml'), 'utf8');
    assert.match(y, /sealing:\n {2}scope: namespace-wide\n/);
    const v = /sealedKey: (\S+)/.exec(y)![1]!;
    sealed.add(v);
    assert.is(unseal(v, kp.privateKey, 'shop').toString(), key);
    const rendered = render(join(out, app));
    assert.is(rendered.run.status, 0, rendered.run.stderr);
    assert.ok(rendered.objects.some((o) => o.kind === 'SealedSecret' && o.metadata.name === `${app}-ring-key`));
  }
  assert.is(sealed.size, 1, 'one ciphertext shared by every app of the ring');
  assert.match(readFileSync(join(out, 'web', 'habitat.yaml'), 'utf8'), /ring:\n {2}sealedKey: \S+\n {2}join:\n {4}- app: db\n {6}groups:\n {8}- redis\.default\n/);
  assert.not.match(readFileSync(join(out, 'lonely', 'habitat.yaml'), 'utf8'), /join:/);
  const web = render(join(out, 'web')).objects.find((o) => o.kind === 'StatefulSet')!;
  assert.ok(web.spec.template.spec.containers[0].args.includes('db:redis.default'));
});

test('same input, same bytes: object and key order, file names and the environment do not matter', () => {
  const a = habitat('web', 'nginx', '      bind:\n        - {name: db, service: redis, group: default}\n') + '---\n' + habitat('db', 'redis');
  const b = habitat('db', 'redis') + '---\n' + habitat('web', 'nginx', '      bind:\n        - {group: default, service: redis, name: db}\n').replace('    image: habitat/nginx-hab\n    count: 1\n', '    count: 1\n    image: habitat/nginx-hab\n');
  const svc = (name: string, port: number) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {selector: {habitat-name: web}, ports: [{name: p${port}, port: ${port}}]}\n`;
  const withServices = [run(a + svc('one', 81) + svc('two', 80)), run(b + svc('two', 80) + svc('one', 81), {}, undefined, 'other/name.yml')];
  assert.is(yamlOf(withServices[1]!), yamlOf(withServices[0]!));
  assert.match(yamlOf(withServices[0]!), /- name: p81\n {8}port: 81\n {6}- name: p80\n/, 'Services in name order: one, two');
  const dir = tmp('habitat-cmp-import-det-');
  writeFileSync(join(dir, 'm.yaml'), a);
  const outs = [
    cli(['import', join(dir, 'm.yaml')]),
    cli(['import', 'm.yaml'], { cwd: dir, env: { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' } }),
  ];
  assert.is(outs[0]!.status, 0);
  assert.is(outs[1]!.stdout, outs[0]!.stdout);
});

test('CLI: stdout without --out, files with it; existing files are refused unless --force; several apps need --out', () => {
  const dir = tmp('habitat-cmp-import-cli-');
  const m = join(dir, 'm.yaml');
  writeFileSync(m, habitat('db', 'redis', '      configSecretName: cfg\n') + `---\napiVersion: v1\nkind: Secret\nmetadata: {name: cfg}\nstringData: {user.toml: "requirepass = 'canary-pw'"}\n`);
  const s = cli(['import', m]);
  assert.is(s.status, 0, s.stderr);
  assert.match(s.stdout, /^apiVersion: habitat-cmp\/v1$/m);
  assert.not.ok(s.stdout.includes('canary-pw') || s.stderr.includes('canary-pw'), 'Secret content is never printed');
  assert.match(s.stderr, /configFile cfg\.toml \(user\.toml of Secret cfg\) is not printed: it holds Secret content; write it with --out DIR/);
  const out = join(dir, 'out');
  const w = cli(['import', m, '--out', out]);
  assert.is(w.status, 0);
  assert.is(w.stdout, '');
  assert.ok(existsSync(join(out, 'habitat.yaml')) && readFileSync(join(out, 'cfg.toml'), 'utf8').includes("requirepass = 'canary-pw'"));
  const again = cli(['import', m, '--out', out]);
  assert.is(again.status, 1);
  assert.match(again.stderr, /already exist; nothing was written \[import-output-exists\]/);
  assert.is(cli(['import', m, '--out', out, '--force']).status, 0);
  const stdin = cli(['import', '-'], { input: readFileSync(m, 'utf8') });
  assert.is(stdin.stdout, s.stdout);
  const two = join(dir, 'two.yaml');
  writeFileSync(two, habitat('a', 'redis').replace('  name: a\n', '  name: a\n  namespace: x\n') + '---\n' + habitat('b', 'redis').replace('  name: b\n', '  name: b\n  namespace: y\n'));
  const usage = cli(['import', two]);
  assert.is(usage.status, 2);
  assert.match(usage.stderr, /the input makes 2 apps \(x, y\); pass --out DIR/);
  assert.is(cli(['import', two, '--out', join(dir, 'o2'), '--name', 'z']).status, 2);
  const both = cli(['import', two, '--out', join(dir, 'o2')]);
  assert.is(both.status, 0, both.stderr);
  assert.ok(existsSync(join(dir, 'o2', 'x', 'habitat.yaml')) && existsSync(join(dir, 'o2', 'y', 'habitat.yaml')));
  assert.is(render(join(dir, 'o2', 'x')).run.status, 0);
});

test('CLI: bad input never shows a stack trace, usage errors exit 2', () => {
  const dir = tmp('habitat-cmp-import-bad-');
  writeFileSync(join(dir, 'bin'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
  const bad = cli(['import', join(dir, 'bin'), join(dir, 'missing.yaml')]);
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /not valid UTF-8 \[encoding-invalid\]/);
  assert.match(bad.stderr, /missing\.yaml does not exist \[import-file-unreadable\]/);
  assert.not.match(bad.stderr, /\n\s+at /);
  assert.is(cli(['import']).status, 2);
  assert.is(cli(['import', 'x', '--scope', 'wide']).status, 2);
  assert.is(cli(['import', 'x', '--bogus']).status, 2);
});

test('CLI: excerpts never show Secret values, whatever line a problem points at', () => {
  const dir = tmp('habitat-cmp-import-redact-');
  const canary = 'canary-Zx9-secret';
  const m = join(dir, 'm.yaml');
  writeFileSync(
    m,
    habitat('a', 'redis', '      configSecretName: s1\n') +
      `---\napiVersion: v1\nkind: Secret\nmetadata: {name: s1, annotations: {note: ${canary}}}\ndata: {user.toml: "${canary}!!"}\n` +
      '---\n' +
      habitat('b', 'redis', '      configSecretName: s2\n') +
      `---\n{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s2"}, "stringData": {"user.toml": "x = ${canary}"}}\n` +
      `---\napiVersion: v1\nkind: Secret\nmetadata: {name: unused}\nstringData: {k: ${canary}, k2: ${b64(canary)}}\n`,
  );
  const r = cli(['import', m]);
  assert.is(r.status, 1);
  assert.equal(codesOf(r.stderr).filter((c) => c.startsWith('import-secret') || c.startsWith('import-user-toml')), ['import-secret-key', 'import-user-toml-invalid']);
  assert.match(r.stderr, /warning: Secret unused is named by no imported Habitat/);
  assert.not.ok(r.stderr.includes(canary) || r.stderr.includes(b64(canary)), r.stderr);
});

test('the result is checked by rendering it: an app habitat-cmp would refuse is not written', () => {
  const dir = tmp('habitat-cmp-import-check-');
  // App "x" and a Habitat named "x-ring": the ring Service and the workload's Service would share a name.
  writeFileSync(join(dir, 'm.yaml'), habitat('x-ring', 'redis').replace('  name: x-ring\n', '  name: x-ring\n  namespace: x\n') + `---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\nspec:\n  selector: {habitat-name: x-ring}\n  ports: [{name: p, port: 80}]\n`);
  const r = cli(['import', join(dir, 'm.yaml'), '--out', join(dir, 'out')]);
  assert.is(r.status, 1);
  assert.match(r.stderr, /\[import-result-invalid\]/);
  assert.ok(codesOf(r.stderr).some((c) => c !== 'import-result-invalid' && !c.startsWith('import-')), 'render\'s own check is shown');
  assert.not.ok(existsSync(join(dir, 'out')));
});

test.run();
