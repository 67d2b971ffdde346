// Conformance: the built plugin, driven through plugin.yaml by the emulated
// argocd-cmp-server, produces for every sample exactly the bytes `render` prints
// for the same inputs given as flags; parameters, app names, errors and
// concurrency behave as Argo CD users expect.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CmdError, CmpRequestError, instanceName, type GenerateResult, type ManifestRequest } from './argocd-cmp';
import { cli, makeRepo, renderFlags, request, ROOT, sampleNames, server } from './habitat';

type Obj = Record<string, any>;

const EXPECTED_SAMPLES = ['bind', 'bind-config', 'config', 'encrypted', 'env-vars', 'leader-redis', 'namespaced', 'persisted', 'shop', 'standalone-redis'];
const GENERATE_ARGV = '`/usr/local/bin/node --max-semi-space-size=4 /opt/habitat-cmp/habitat-cmp.cjs generate` failed';

const repo = makeRepo();
const cmp = server();
const shopYaml: Obj = parse(readFileSync(join(ROOT, 'samples', 'shop', 'habitat.yaml'), 'utf8'));

/** The Application a user would write for a sample: destination namespace = the pinned one, if any. */
function sampleRequest(name: string, over: Partial<ManifestRequest> = {}): ManifestRequest {
  const app: Obj = parse(readFileSync(join(ROOT, 'samples', name, 'habitat.yaml'), 'utf8'));
  return request(`samples/${name}`, { appName: name, namespace: app.metadata?.namespace ?? `ns-${name}`, ...over });
}

async function renderOf(dir: string, q: ManifestRequest, env?: string): Promise<string> {
  const r = await cli(['render', dir, ...renderFlags(q, env)]);
  assert.is(r.status, 0, `render ${dir} failed: ${r.stderr}`);
  return r.stdout;
}

async function generateError(q: ManifestRequest): Promise<CmpRequestError> {
  try {
    await cmp.generate(repo, q);
  } catch (e) {
    assert.instance(e, CmpRequestError);
    return e as CmpRequestError;
  }
  throw new assert.Assertion({ message: 'generate succeeded but should have failed', operator: 'throws', generated: false, details: '' } as any);
}

function docs(yamlText: string): Obj[] {
  return parseAllDocuments(yamlText).map((d) => d.toJS()).filter((d) => d);
}
function find(objs: Obj[], kind: string, name: string): Obj {
  const o = objs.find((x) => x.kind === kind && x.metadata?.name === name);
  assert.ok(o, `${kind}/${name} not rendered`);
  return o!;
}

// ------------------------------------------------------------------ samples

const samples = suite('cmp conformance: samples');

samples('every sample directory is covered', () => {
  assert.equal(sampleNames(), EXPECTED_SAMPLES);
});

for (const name of EXPECTED_SAMPLES) {
  samples(`${name}: generate through plugin.yaml == render with the same inputs (bytes)`, async () => {
    const q = sampleRequest(name);
    const [r, expected] = await Promise.all([cmp.generate(repo, q), renderOf(`samples/${name}`, q)]);
    assert.ok(r.objects.length > 0, 'no objects: Argo CD would prune the whole app');
    assert.is(r.rawStdout, expected);
    for (const o of r.objects) assert.type(o.metadata, 'object', `${o.kind} without metadata`);
  });
}

samples('discovery finds every sample without a plugin name (fileName: habitat.yaml)', async () => {
  const matches = await Promise.all(EXPECTED_SAMPLES.map((name) => cmp.matchRepository(repo, `samples/${name}`, [])));
  matches.forEach((m, i) => assert.equal(m, { isSupported: true, isDiscoveryEnabled: true }, EXPECTED_SAMPLES[i]));
  assert.equal(await cmp.matchRepository(repo, 'samples', []), { isSupported: false, isDiscoveryEnabled: true });
  const r = await cmp.generate(repo, sampleRequest('bind', { plugin: undefined }));
  assert.is(r.rawStdout, await renderOf('samples/bind', sampleRequest('bind')));
});

// ------------------------------------------------------------------ environments and parameters

const envs = suite('cmp conformance: environments and parameters');

for (const env of ['staging', 'prod']) {
  envs(`shop/${env} via plugin.env HABITAT_ENV == render --env ${env}`, async () => {
    const q = sampleRequest('shop', { appName: `shop-${env}`, plugin: { name: 'habitat-v1', env: [{ name: 'HABITAT_ENV', value: env }] } });
    const [r, expected, base] = await Promise.all([cmp.generate(repo, q), renderOf('samples/shop', q, env), renderOf('samples/shop', q)]);
    assert.is(r.rawStdout, expected);
    // the overlay took effect (oracle: habitat.yaml itself)
    const web = find(r.objects, 'StatefulSet', 'web');
    assert.is(web.spec.replicas, shopYaml.environments[env].services.web.count);
    assert.is.not(r.rawStdout, base);
  });
}

envs('the environment parameter beats ARGOCD_ENV_HABITAT_ENV', async () => {
  const q = sampleRequest('shop', {
    plugin: { name: 'habitat-v1', env: [{ name: 'HABITAT_ENV', value: 'staging' }], parameters: [{ name: 'environment', string: 'prod' }] },
  });
  const r = await cmp.generate(repo, q);
  assert.is(r.rawStdout, await renderOf('samples/shop', q, 'prod'));
});

envs('images and counts maps override workloads on top of the selected environment', async () => {
  const image = 'registry.example.com/shop/web-hab:9.9.9';
  const q = sampleRequest('shop', {
    plugin: {
      name: 'habitat-v1',
      env: [{ name: 'HABITAT_ENV', value: 'prod' }],
      parameters: [
        { name: 'images', map: { web: image } },
        { name: 'counts', map: { web: '6', cache: '3' } },
      ],
    },
  });
  const r = await cmp.generate(repo, q);
  // expected: the prod render with exactly these fields changed
  const expected = docs(await renderOf('samples/shop', q, 'prod'));
  find(expected, 'StatefulSet', 'web').spec.template.spec.containers[0].image = image;
  find(expected, 'StatefulSet', 'web').spec.replicas = 6;
  find(expected, 'StatefulSet', 'cache').spec.replicas = 3;
  // the ring's seed data lists each StatefulSet with its replicas
  find(expected, 'ConfigMap', 'shop-peers').data.peers = 'api 3\ncache 3\ndb 1\nweb 6\n';
  assert.equal(docs(r.rawStdout), expected);
});

envs('the parameters command announces the current values from the reduced env, then the static entries', async () => {
  const q = sampleRequest('shop', { plugin: { name: 'habitat-v1', env: [{ name: 'HABITAT_ENV', value: 'prod' }] } });
  const ann = await cmp.parameters(repo, q);
  const byName = (n: string) => ann.filter((a) => a?.name === n);
  for (const n of ['environment', 'images', 'counts']) assert.is(byName(n).length, 2, `${n}: dynamic + static`);
  const [env, images, counts] = ['environment', 'images', 'counts'].map((n) => byName(n)[0]!);
  assert.is(env!.string, 'prod');
  assert.is(env!.collectionType || 'string', 'string');
  assert.is(images!.collectionType, 'map');
  assert.is(counts!.collectionType, 'map');
  const services = shopYaml.services as Obj;
  const overlay = shopYaml.environments.prod.services as Obj;
  assert.equal(images!.map, Object.fromEntries(Object.keys(services).map((w) => [w, overlay[w]?.image ?? services[w].image])));
  assert.equal(counts!.map, Object.fromEntries(Object.keys(services).map((w) => [w, String(overlay[w]?.count ?? services[w].count ?? 1)])));
  // the UI shows the first announcement of a name, i.e. the dynamic one: it needs a title too
  for (const a of [env, images, counts]) assert.ok(a!.title, `${a!.name}: dynamic announcement without a title`);
  // no env at all: base values, empty environment
  const base = await cmp.parameters(repo, sampleRequest('shop', { plugin: { name: 'habitat-v1' } }));
  assert.is(base.find((a) => a?.name === 'environment')!.string, '');
  assert.is(base.find((a) => a?.name === 'counts')!.map!.web, String(services.web.count));
});

// ------------------------------------------------------------------ app names

const names = suite('cmp conformance: application names');

names('ARGOCD_APP_NAME `<ns>_<name>` names the app `<name>` when habitat.yaml has no metadata.name', async () => {
  const dir = join(repo, 'apps', 'unnamed');
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(join(ROOT, 'samples', 'standalone-redis', 'habitat.yaml'), 'utf8').replace(/^metadata:\n  name: .*\n/m, '');
  assert.not.match(text, /^metadata:/m);
  writeFileSync(join(dir, 'habitat.yaml'), text);
  const q = request('apps/unnamed', { appName: instanceName('cache', 'team-a'), namespace: 'team-a' });
  assert.is(q.appName, 'team-a_cache');
  const r = await cmp.generate(repo, q);
  const objNames = r.objects.map((o) => (o as Obj).metadata.name as string);
  assert.ok(objNames.includes('cache-ring'), objNames.join(','));
  assert.not.ok(r.rawStdout.includes('team-a_cache'));
  const rendered = await cli(['render', dir, '--name', 'cache', '--namespace', 'team-a', '--kube-version', '1.29.3', '--api-versions', (q.apiVersions ?? []).join(',')]);
  assert.is(rendered.status, 0, rendered.stderr);
  assert.is(r.rawStdout, rendered.stdout);
});

// ------------------------------------------------------------------ errors

const errors = suite('cmp conformance: errors reach the Application condition');

errors('unknown environment: exit 1, stderr in Argo error text, same message as render', async () => {
  const q = sampleRequest('shop', { plugin: { name: 'habitat-v1', env: [{ name: 'HABITAT_ENV', value: 'qa' }] } });
  const e = await generateError(q);
  assert.match(e.message, `error generating manifests: ${GENERATE_ARGV} exit status 1: `);
  assert.match(e.message, 'qa');
  assert.match(e.message, 'staging');
  assert.match(e.message, 'prod');
  const local = await cli(['render', 'samples/shop', '--env', 'qa']);
  assert.is(local.status, 1);
  // same diagnostic; the file is named relative to where each ran
  const first = local.stderr.trim().split('\n')[0]!.replace(/samples\/shop\//g, '');
  assert.ok(e.message.includes(first) || e.message.includes(first.replace(/^[^:]*:\s*/, '')), `${first}\n---\n${e.message}`);
});

errors('destination namespace differing from metadata.namespace names both', async () => {
  const e = await generateError(sampleRequest('shop', { namespace: 'shop-staging' }));
  assert.match(e.message, `${GENERATE_ARGV} exit status 1: `);
  assert.match(e.message, 'shop-staging');
  assert.match(e.message, /\bshop\b/);
});

errors('unknown parameter name, unknown workload, non-integer count: exit 1 with the reason', async () => {
  const cases: [string, ManifestRequest['plugin'], RegExp][] = [
    ['unknown parameter', { name: 'habitat-v1', parameters: [{ name: 'replicas', string: '3' }] }, /replicas/],
    ['unknown workload in images', { name: 'habitat-v1', parameters: [{ name: 'images', map: { nope: 'x:1' } }] }, /nope/],
    ['unknown workload in counts', { name: 'habitat-v1', parameters: [{ name: 'counts', map: { nope: '1' } }] }, /nope/],
    ['non-integer count', { name: 'habitat-v1', parameters: [{ name: 'counts', map: { web: 'three' } }] }, /three|integer/],
    ['negative count', { name: 'habitat-v1', parameters: [{ name: 'counts', map: { web: '-1' } }] }, /-1|negative|integer/],
  ];
  for (const [what, plugin, reason] of cases) {
    const e = await generateError(sampleRequest('shop', { plugin }));
    assert.match(e.message, `${GENERATE_ARGV} exit status 1: `, what);
    assert.match(e.message, reason, `${what}: ${e.message}`);
  }
});

errors('a failing generate is a CmdError with the CLI stderr, never empty success', async () => {
  const dir = join(repo, 'apps', 'broken');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'habitat.yaml'), 'apiVersion: habitat-cmp/v1\nkind: App\nservices:\n  web: {imag: x}\n');
  const e = await generateError(request('apps/broken'));
  assert.match(e.message, `${GENERATE_ARGV} exit status 1: `);
  assert.match(e.message, 'imag');
  assert.not.match(e.message, /\n\s*at /, 'no stack trace');
  assert.instance(new CmdError(['a'], 'exit status 1', 'x'), Error);
});

// ------------------------------------------------------------------ concurrency

const conc = suite('cmp conformance: concurrency');

conc('8 concurrent generates of different apps give the same bytes as sequential runs', async () => {
  const qs: ManifestRequest[] = [
    sampleRequest('bind'),
    sampleRequest('bind-config'),
    sampleRequest('config'),
    sampleRequest('encrypted'),
    sampleRequest('leader-redis'),
    sampleRequest('persisted'),
    sampleRequest('shop', { appName: 'shop-staging', plugin: { name: 'habitat-v1', env: [{ name: 'HABITAT_ENV', value: 'staging' }] } }),
    sampleRequest('shop', { appName: 'shop-prod', plugin: { name: 'habitat-v1', env: [{ name: 'HABITAT_ENV', value: 'prod' }] } }),
  ];
  const sequential: GenerateResult[] = [];
  for (const q of qs) sequential.push(await cmp.generate(repo, q));
  const concurrent = await Promise.all(qs.map((q) => cmp.generate(repo, q)));
  assert.is(new Set(sequential.map((r) => r.rawStdout)).size, qs.length, 'the 8 apps must differ');
  concurrent.forEach((r, i) => assert.is(r.rawStdout, sequential[i]!.rawStdout, qs[i]!.path));
});

samples.run();
envs.run();
names.run();
errors.run();
conc.run();
