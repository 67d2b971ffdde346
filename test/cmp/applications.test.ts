// The example Applications in argocd/applications render through the emulated
// sidecar, and what they render is what `render` previews for the same inputs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { instanceName, type ManifestRequest, type PluginSource } from './argocd-cmp';
import { cli, makeRepo, renderFlags, request, ROOT, server } from './habitat';

type Obj = Record<string, any>;

const dir = join(ROOT, 'argocd', 'applications');
const apps: Obj[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => parse(readFileSync(join(dir, f), 'utf8')));
const repo = makeRepo('apps-repo');
const cmp = server();

/** What the repo-server sends for an Application (controller namespace: argocd). */
function toRequest(a: Obj): ManifestRequest {
  return request(a.spec.source.path, {
    appName: instanceName(a.metadata.name, a.metadata.namespace ?? 'argocd'),
    namespace: a.spec.destination.namespace,
    projectName: a.spec.project,
    repoURL: a.spec.source.repoURL,
    targetRevision: a.spec.source.targetRevision,
    plugin: a.spec.source.plugin as PluginSource,
  });
}

const test = suite('cmp conformance: example Applications');

test('there are example Applications', () => {
  assert.ok(apps.length >= 3);
});

for (const a of apps) {
  test(`${a.metadata.name} renders through the sidecar like render previews it`, async () => {
    const q = toRequest(a);
    const r = await cmp.generate(repo, q);
    assert.ok(r.objects.length > 0);
    const plugin = a.spec.source.plugin as PluginSource;
    const params = plugin.parameters ?? [];
    const envParam = params.find((p) => p.name === 'environment')?.string;
    const env = envParam || plugin.env?.find((e) => e.name === 'HABITAT_ENV')?.value;
    const local = await cli(['render', a.spec.source.path, ...renderFlags(q, env)]);
    assert.is(local.status, 0, local.stderr);
    const images = params.find((p) => p.name === 'images')?.map ?? {};
    const counts = params.find((p) => p.name === 'counts')?.map ?? {};
    if (!Object.keys(images).length && !Object.keys(counts).length) {
      assert.is(r.rawStdout, local.stdout);
      return;
    }
    // parameters without a render flag: the preview plus exactly those fields
    const expected = parseAllDocuments(local.stdout).map((d) => d.toJS());
    for (const [w, image] of Object.entries(images)) {
      expected.find((o) => o.kind === 'StatefulSet' && o.metadata.name === w).spec.template.spec.containers[0].image = image;
    }
    for (const [w, n] of Object.entries(counts)) {
      expected.find((o) => o.kind === 'StatefulSet' && o.metadata.name === w).spec.replicas = Number(n);
      // and the seed data's line for that StatefulSet (`<name> <replicas>`, sorted, none for 0)
      const cm = expected.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-peers'));
      const lines = new Map<string, string>(cm.data.peers.split('\n').filter(Boolean).map((l: string) => l.split(' ') as [string, string]));
      if (Number(n) > 0) lines.set(w, n);
      else lines.delete(w);
      cm.data.peers = [...lines].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${v}\n`).join('');
    }
    assert.equal(parseAllDocuments(r.rawStdout).map((d) => d.toJS()), expected);
  });
}

test.run();
