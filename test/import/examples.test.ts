/**
 * Each Habitat example of the operator (v0.8.1, verbatim) imports, validates
 * and renders; its habitat.yaml matches a reviewed golden; and what the
 * example's README says the app does is asserted on the rendered objects,
 * with expected values read from the example itself or quoted from its README.
 */
import TOML from '@iarna/toml';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, UPDATE } from '../helpers/cli';
import { validateK8s } from '../helpers/k8sSchema';
import { fixtureKeyPair, unseal } from '../seal/helpers';
import { container, envOf, exampleFiles, EXAMPLES, find, GOLDEN, importToDir, manifestObjects, maskSealed, render, type Imported, type K8s } from './helpers';

const keys = fixtureKeyPair();
/** What each example needs besides its files: the encrypted one seals its ring key. */
const EXTRA: Record<string, string[]> = { encrypted: ['--cert', keys.certFile, '--namespace', 'habitat-demo'] };
const HABITAT_EXAMPLES = ['bind', 'bind-config', 'config', 'encrypted', 'env-vars', 'leader', 'namespaced', 'persisted', 'standalone'];

const cache = new Map<string, { imported: Imported; objects: K8s[] }>();
function example(name: string) {
  let c = cache.get(name);
  if (!c) {
    const imported = importToDir(exampleFiles(name), EXTRA[name] ?? []);
    assert.is(imported.run.status, 0, imported.run.stderr);
    const r = render(imported.dir);
    assert.is(r.run.status, 0, r.run.stderr);
    c = { imported, objects: r.objects };
    cache.set(name, c);
  }
  return c;
}
const secretOf = (file: string, name: string, key: string) => {
  const s = manifestObjects(file).find((o) => o.kind === 'Secret' && o.metadata.name === name)!;
  return Buffer.from(s.data[key], 'base64').toString('utf8');
};
const userToml = (objects: K8s[], workload: string) => TOML.parse(find(objects, 'Secret', `${workload}-config`).stringData['user.toml']);

mkdirSync(GOLDEN, { recursive: true });
for (const name of HABITAT_EXAMPLES) {
  test(`${name}: imports, validates, renders valid Kubernetes objects, matches the golden habitat.yaml`, () => {
    const { imported, objects } = example(name);
    assert.is(imported.run.stdout, '', 'with --out nothing goes to stdout');
    assert.not.match(imported.run.stderr, /\berror\b/);
    const v = cli(['validate', imported.dir]);
    assert.is(v.status, 0, v.stderr);
    assert.ok(objects.length > 0);
    for (const o of objects) validateK8s(o);
    const golden = join(GOLDEN, `${name}.habitat.yaml`);
    const text = maskSealed(imported.habitatYaml);
    if (UPDATE || !existsSync(golden)) {
      if (!UPDATE) assert.unreachable(`missing golden ${golden}; run UPDATE=1 npm test and review it`);
      writeFileSync(golden, text);
    }
    assert.fixture(text, readFileSync(golden, 'utf8'));
  });
}

test('every Habitat in the examples becomes a StatefulSet of the same name, image, count and service group', () => {
  for (const name of HABITAT_EXAMPLES) {
    const { objects } = example(name);
    for (const file of exampleFiles(name)) {
      for (const h of manifestObjects(file).filter((o) => o.kind === 'Habitat')) {
        const spec = h.spec.v1beta2;
        const sts = find(objects, 'StatefulSet', h.metadata.name);
        const args: string[] = container(sts).args;
        assert.is(container(sts).image, spec.image, `${name}: image`);
        // The leader example runs 1 member, which never elects (its README: "at least 3"); import raises it.
        assert.is(sts.spec.replicas, spec.service.topology === 'leader' ? Math.max(3, spec.count) : spec.count, `${name}: count`);
        assert.is(args[args.indexOf('--group') + 1], spec.service.group ?? 'default', `${name}: group`);
        assert.is(args[args.indexOf('--topology') + 1], spec.service.topology, `${name}: topology`);
        assert.is(sts.metadata.labels['app.kubernetes.io/component'], spec.service.name, `${name}: Habitat package name`);
        assert.is(container(sts).readinessProbe.httpGet.path, `/services/${spec.service.name}/${spec.service.group ?? 'default'}/health`);
      }
    }
  }
});

test('standalone (README: "an instance of a redis Habitat service"): one standalone redis in group foobar', () => {
  const { objects } = example('standalone');
  const stss = objects.filter((o) => o.kind === 'StatefulSet');
  assert.is(stss.length, 1);
  assert.equal(container(stss[0]!).args.slice(0, 4), ['--group', 'foobar', '--topology', 'standalone']);
  assert.not.ok(objects.some((o) => o.kind === 'PodDisruptionBudget'), 'no PDB for standalone');
});

test('leader (README: "at least 3 ... odd"): imported as 3 members electing a leader, with a warning saying why', () => {
  const { imported, objects } = example('leader');
  const sts = find(objects, 'StatefulSet', 'example-leader-follower-habitat');
  assert.is(sts.spec.replicas, 3);
  assert.is(sts.spec.podManagementPolicy, 'Parallel');
  assert.ok(container(sts).args.includes('leader'));
  assert.ok(imported.codes.includes('import-leader-count'));
  assert.match(imported.run.stderr, /leader topology with count 1 never elects a leader; imported with count 3/);
  find(objects, 'PodDisruptionBudget', 'example-leader-follower-habitat');
});

for (const [name, db, web, port] of [['bind', 'db', 'web-app', 6379], ['bind-config', 'example-bind-configured-db', 'example-bind-configured-web-app', 4444]] as const) {
  test(`${name} (README: the Go server is bound to Redis${port === 4444 ? ' and shows the overridden port' : ''}): one ring, bind db -> redis.default, web port 5555`, () => {
    const { objects } = example(name);
    const dbSts = find(objects, 'StatefulSet', db);
    const webSts = find(objects, 'StatefulSet', web);
    const args: string[] = container(webSts).args;
    assert.is(args[args.indexOf('--bind') + 1], 'db:redis.default');
    assert.is(envOf(webSts).HAB_BIND_DB, 'redis.default');
    // Binds resolve only inside one ring: both workloads are members of the same ring Service.
    const rings = objects.filter((o) => o.kind === 'Service' && o.spec.clusterIP === 'None');
    assert.is(rings.length, 1);
    for (const sts of [dbSts, webSts]) {
      assert.is(sts.spec.serviceName, rings[0]!.metadata.name);
      for (const [k, v] of Object.entries(rings[0]!.spec.selector)) assert.is(sts.spec.template.metadata.labels[k], v);
    }
    // The producer is redis.default: the db workload, group default.
    assert.is(dbSts.metadata.labels['habitat.sh/service-group'], 'redis.default');
    // The NodePort Service of the example exposed 5555 of the web app; it is now the web app's own Service.
    assert.equal(find(objects, 'Service', web).spec.ports.map((p: any) => p.port), [5555]);
    if (port === 4444) {
      // "we change this with the configuration stored in the user-toml": the bound db's user.toml.
      assert.equal(userToml(objects, db), TOML.parse(secretOf(exampleFiles(name)[0]!, 'user-toml', 'user.toml')));
      assert.is(userToml(objects, db).port, 4444);
    } else assert.equal(userToml(objects, db), {});
  });
}

test('config (README: port 6999 from user.toml, edits of it reach the Supervisor): user.toml in the config Secret, mounted as a directory', () => {
  const { imported, objects } = example('config');
  const w = 'example-configured-habitat';
  assert.is(userToml(objects, w).port, 6999);
  assert.equal(userToml(objects, w), TOML.parse(secretOf(exampleFiles('config')[0]!, 'user-toml', 'user.toml')));
  const sts = find(objects, 'StatefulSet', w);
  const mount = container(sts).volumeMounts.find((m: any) => m.mountPath === '/hab/user/redis/config');
  assert.ok(mount, 'user.toml directory mounted at /hab/user/redis/config');
  assert.is(mount.subPath, undefined, 'no subPath: Secret edits propagate');
  assert.equal(find(objects, 'Service', w).spec.ports.map((p: any) => p.port), [6999]);
  assert.ok(container(sts).args.includes('redisdb'));
  // The Secret's content went to a configFile, in clear, with a warning naming the Secret.
  const file = join(imported.dir, 'user-toml.toml');
  assert.match(readFileSync(file, 'utf8'), /^port = 6999$/m);
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.match(imported.run.stderr, /user\.toml of Secret user-toml goes in clear to configFile user-toml\.toml \[import-config-in-clear\]/);
  assert.match(imported.habitatYaml, /configFile: user-toml\.toml/);
});

test('encrypted (README: the ring key from the Secret encrypts gossip): sealed for <ns>/<app>-ring-key, decrypts to the example\'s key, every pod gets it', () => {
  const { imported, objects } = example('encrypted');
  const original = secretOf(exampleFiles('encrypted')[0]!, 'example-encrypted-ring-20170829113029', 'ring-key');
  assert.ok(original.startsWith('SYM-SEC-1\nexample-encrypted-ring-20170829113029\n\n'));
  assert.not.ok(imported.habitatYaml.includes(original.split('\n')[3]!), 'the key is not in habitat.yaml in clear');
  const sealed = find(objects, 'SealedSecret', 'habitat-demo-ring-key');
  assert.is(sealed.metadata.namespace, 'habitat-demo');
  assert.is(unseal(sealed.spec.encryptedData['ring-key'], keys.privateKey, 'habitat-demo/habitat-demo-ring-key').toString('utf8'), original);
  const sts = find(objects, 'StatefulSet', 'example-encrypted-habitat');
  assert.equal(envOf(sts).HAB_RING_KEY, { secretKeyRef: { name: 'habitat-demo-ring-key', key: 'ring-key' } });
  assert.is(sts.spec.replicas, 3);
});

test('env-vars (README: HAB_REDIS sets port 6999): the env entry reaches the container verbatim', () => {
  const { objects } = example('env-vars');
  const h = manifestObjects(exampleFiles('env-vars')[0]!).find((o) => o.kind === 'Habitat')!;
  const sts = find(objects, 'StatefulSet', 'example-env-vars-habitat');
  assert.is(envOf(sts).HAB_REDIS, h.spec.v1beta2.env[0].value);
  assert.is(JSON.parse(envOf(sts).HAB_REDIS).port, '6999');
});

test('persisted (README: a PVC per pod from StorageClass example-sc, kept on delete): same claim names as the operator, fsGroup 42', () => {
  const { imported, objects } = example('persisted');
  const sts = find(objects, 'StatefulSet', 'example-persistent-habitat');
  const [vct] = sts.spec.volumeClaimTemplates;
  // The operator's template was named "persistent" on a StatefulSet named after the Habitat:
  // PVCs persistent-example-persistent-habitat-<n> are found again by the new StatefulSet.
  assert.is(vct.metadata.name, 'persistent');
  assert.is(vct.spec.storageClassName, 'example-sc');
  assert.is(vct.spec.resources.requests.storage, '1Gi');
  assert.ok(container(sts).volumeMounts.some((m: any) => m.name === 'persistent' && m.mountPath === '/hab/svc/redis/data'));
  assert.is(sts.spec.template.spec.securityContext.fsGroup, 42);
  assert.is(JSON.parse(envOf(sts).HAB_REDIS)['protected-mode'], 'no');
  assert.match(imported.run.stderr, /minikube\.yml:\d+:\d+: warning: StorageClass example-sc is cluster storage setup; not carried \[import-not-carried\]/);
});

test('namespaced (README: Secrets and the Habitat live in example-namespace): the app is pinned there; the Namespace object is reported', () => {
  const { imported, objects } = example('namespaced');
  for (const o of objects) assert.is(o.metadata.namespace, 'example-namespace', `${o.kind} ${o.metadata.name}`);
  assert.match(imported.habitatYaml, /^ {2}namespace: example-namespace$/m);
  assert.match(imported.run.stderr, /habitat\.yml:4:9: warning: Namespace example-namespace is not created by habitat-cmp; not carried \[import-not-carried\]/);
});

test('every object of every example is either a Habitat, read by one, or reported on stderr by kind and name', () => {
  for (const name of HABITAT_EXAMPLES) {
    const { imported } = example(name);
    for (const file of exampleFiles(name)) {
      for (const o of manifestObjects(file)) {
        if (o.kind === 'Habitat') continue;
        const used = o.kind === 'Secret' && new RegExp(`(configSecretName|ringSecretName): ${o.metadata.name}$`, 'm').test(readFileSync(file, 'utf8'));
        if (used) continue;
        assert.match(imported.run.stderr, new RegExp(`warning: ${o.kind} ${o.metadata.name}\\b[^\\n]*not carried`), `${name}: ${o.kind} ${o.metadata.name}`);
      }
    }
  }
});

test('rbac, rbac-restricted and the CRD hold no Habitat: each object is reported, and the import fails saying so', () => {
  for (const [dir, n] of [['rbac', 3], ['rbac-restricted', 4]] as const) {
    const files = exampleFiles(dir);
    const r = cli(['import', ...files]);
    assert.is(r.status, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /^habitat-cmp: error: the input holds no Habitat object/m);
    assert.is((r.stderr.match(/\[import-not-carried\]/g) ?? []).length, n);
    assert.match(r.stderr, /ClusterRoleBinding cluster-write is RBAC/);
  }
});

test('the operator\'s own objects next to a Habitat: the app imports and every operator object is listed', () => {
  const files = [join(EXAMPLES, 'crd.yml'), ...exampleFiles('rbac'), ...exampleFiles('standalone')];
  const r = importToDir(files);
  assert.is(r.run.status, 0, r.run.stderr);
  assert.match(r.run.stderr, /crd\.yml:5:9: warning: CustomResourceDefinition habitats\.habitat\.sh \(the Habitat CRD\) is not needed by habitat-cmp; not carried/);
  assert.is(r.codes.filter((c) => c === 'import-not-carried').length, 4);
});

test.run();
