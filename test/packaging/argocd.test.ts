// argocd/ built with the real `kubectl kustomize`, every document validated against
// its Kubernetes / Argo CD schema, and the sidecar patch checked against what the
// Argo CD docs require (and against the stand-in base it patches).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { kubeTools } from '../../scripts/kube-tools.mjs';
import { parsePluginConfig, pluginName } from '../cmp/argocd-cmp';

type Obj = Record<string, any>;
const root = fileURLToPath(new URL('../..', import.meta.url));

const built = execFileSync(kubeTools().kubectl, ['kustomize', join(root, 'argocd')], { encoding: 'utf8' });
const docs: Obj[] = parseAllDocuments(built).map((d) => d.toJS());
const base: Obj = parse(readFileSync(join(root, 'argocd', 'argocd-repo-server.stand-in.yaml'), 'utf8'));
const plugin = parsePluginConfig(readFileSync(join(root, 'plugin.yaml'), 'utf8'));

const VALIDATORS: Record<string, new (o: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'argoproj.io/v1alpha1/Application': Application,
};

function validate(o: Obj): void {
  const V = VALIDATORS[`${o.apiVersion}/${o.kind}`];
  if (!V) throw new Error(`no schema validator for ${o.apiVersion}/${o.kind}: add one to VALIDATORS`);
  new V(o).validate();
}

const repoServer = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'argocd-repo-server')!;
const podSpec = repoServer?.spec.template.spec;
const sidecar = podSpec?.containers.find((c: Obj) => c.name === 'habitat-cmp');
const apps = docs.filter((d) => d.kind === 'Application');

const test = suite('packaging: argocd/ kustomization');

test('builds with kubectl kustomize into the repo-server Deployment and the example Applications', () => {
  assert.ok(repoServer, 'argocd-repo-server Deployment missing');
  assert.equal(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort(), [
    'Application/shop-prod',
    'Application/shop-prod-pinned',
    'Application/shop-staging',
    'Deployment/argocd-repo-server',
  ]);
  for (const d of docs) assert.is(d.metadata.namespace, 'argocd', `${d.kind}/${d.metadata.name}`);
});

test('every document is valid against its schema', () => {
  for (const d of docs) {
    try {
      validate(d);
    } catch (e) {
      assert.unreachable(`${d.kind}/${d.metadata.name}: ${(e as Error).message}`);
    }
  }
});

test('the validators reject broken documents (negative control)', () => {
  const bad = structuredClone(repoServer);
  bad.spec.template.spec.containers[0].securityContext.runAsUser = '999';
  assert.throws(() => validate(bad), /runAsUser/);
  const badApp = structuredClone(apps[0]!);
  badApp.spec.source.plugin.env = [{ name: 'HABITAT_ENV', value: 1 }];
  assert.throws(() => validate(badApp), /value/);
});

test('sidecar as the Argo CD docs describe: cmp-server entrypoint, uid 999 non-root, var-files + plugins + own /tmp', () => {
  assert.ok(sidecar, 'habitat-cmp container missing');
  assert.equal(sidecar.command, ['/var/run/argocd/argocd-cmp-server']);
  assert.is(sidecar.securityContext.runAsNonRoot, true);
  assert.is(sidecar.securityContext.runAsUser, 999);
  const mounts = Object.fromEntries(sidecar.volumeMounts.map((m: Obj) => [m.mountPath, m]));
  assert.equal(Object.keys(mounts).sort(), ['/home/argocd/cmp-server/plugins', '/tmp', '/var/run/argocd']);
  assert.is(mounts['/var/run/argocd'].name, 'var-files');
  assert.is(mounts['/home/argocd/cmp-server/plugins'].name, 'plugins');
  assert.is(mounts['/tmp'].name, 'cmp-tmp');
  // plugin.yaml is baked into the image: nothing mounted over the config dir
  assert.not.ok(sidecar.volumeMounts.some((m: Obj) => m.mountPath.startsWith('/home/argocd/cmp-server/config')));
});

test('volumes: cmp-tmp is a new emptyDir used only by the sidecar; var-files and plugins come from the install', () => {
  const vols = Object.fromEntries(podSpec.volumes.map((v: Obj) => [v.name, v]));
  assert.equal(vols['cmp-tmp'], { name: 'cmp-tmp', emptyDir: {} });
  const baseVols = base.spec.template.spec.volumes.map((v: Obj) => v.name);
  assert.ok(baseVols.includes('var-files') && baseVols.includes('plugins'), 'stand-in lacks the install volumes');
  assert.not.ok(baseVols.includes('cmp-tmp'));
  for (const name of ['var-files', 'plugins', 'tmp']) assert.equal(vols[name], base.spec.template.spec.volumes.find((v: Obj) => v.name === name));
  // the repo-server must not share the sidecar's /tmp (Argo CD >= 2.4)
  for (const c of [...podSpec.containers, ...(podSpec.initContainers ?? [])]) {
    if (c.name === 'habitat-cmp') continue;
    assert.not.ok((c.volumeMounts ?? []).some((m: Obj) => m.name === 'cmp-tmp'), `${c.name} mounts cmp-tmp`);
  }
});

test('the patch leaves the install untouched apart from the sidecar and its volume', () => {
  const baseSpec = base.spec.template.spec;
  const others = podSpec.containers.filter((c: Obj) => c.name !== 'habitat-cmp');
  assert.equal(others, baseSpec.containers);
  assert.equal(podSpec.initContainers, baseSpec.initContainers);
  assert.equal(repoServer.spec.selector, base.spec.selector);
});

test('Applications name the plugin as Argo CD addresses it and point at a habitat.yaml', () => {
  assert.ok(apps.length >= 3);
  for (const a of apps) {
    const src = a.spec.source;
    assert.is(src.plugin.name, pluginName(plugin));
    assert.is(src.plugin.name, 'habitat-v1');
    assert.ok(existsSync(join(root, src.path, 'habitat.yaml')), `${a.metadata.name}: ${src.path}/habitat.yaml`);
    const app = parse(readFileSync(join(root, src.path, 'habitat.yaml'), 'utf8'));
    if (app.metadata?.namespace) assert.is(a.spec.destination.namespace, app.metadata.namespace, `${a.metadata.name}: destination namespace`);
    for (const e of src.plugin.env ?? []) {
      if (e.name === 'HABITAT_ENV') assert.ok(e.value in (app.environments ?? {}), `${a.metadata.name}: unknown environment ${e.value}`);
    }
    const announced = new Set((plugin.spec.parameters?.static ?? []).map((p) => p!.name));
    for (const p of src.plugin.parameters ?? []) {
      assert.ok(announced.has(p.name), `${a.metadata.name}: parameter ${p.name} is not announced`);
      if (p.name === 'environment') assert.ok(p.string in (app.environments ?? {}));
      if (p.map) for (const w of Object.keys(p.map)) assert.ok(w in app.services, `${a.metadata.name}: ${p.name}.${w} is not a workload`);
    }
  }
  const envOf = (a: Obj) => a.spec.source.plugin.env?.find((e: Obj) => e.name === 'HABITAT_ENV')?.value;
  assert.ok(apps.some((a) => envOf(a) === 'staging' && !a.spec.source.plugin.parameters), 'a staging Application via HABITAT_ENV');
  assert.ok(apps.some((a) => envOf(a) === 'prod' && !a.spec.source.plugin.parameters), 'a prod Application via HABITAT_ENV');
  assert.ok(apps.some((a) => a.spec.source.plugin.parameters?.length), 'an Application using plugin.parameters');
});

test.run();
