// argocd/ built with the real `kubectl kustomize` against the real Argo CD v3.5.1
// install (verbatim from the release, in ../shared/reference): every document
// validated against its schema, and the sidecar patch checked against what the
// Argo CD docs require of the real argocd-repo-server Deployment.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as apiextensionsV1 from 'kubernetes-models/apiextensions.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import * as argoV1alpha1 from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { parsePluginConfig, pluginName } from '../cmp/argocd-cmp';
import { ARGOCD_VERSION, buildArgocd, find, INSTALL_SHA256, installDocs, installUrl, kustomization, REFERENCE, ROOT, sha256 } from './argocdBuild';
import { crdValidator } from './crdSchema';

type Obj = Record<string, any>;

const docs = buildArgocd('install');
const install = installDocs('install');
const plugin = parsePluginConfig(readFileSync(join(ROOT, 'plugin.yaml'), 'utf8'));

const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'networking.k8s.io/v1': networkingV1,
  'apiextensions.k8s.io/v1': apiextensionsV1,
  'argoproj.io/v1alpha1': argoV1alpha1,
};
const crdChecks: Record<string, (o: Obj) => string[]> = {
  Application: crdValidator(install, 'argoproj.io', 'v1alpha1', 'Application'),
  ApplicationSet: crdValidator(install, 'argoproj.io', 'v1alpha1', 'ApplicationSet'),
};

/** kubernetes-models / @kubernetes-models/argo-cd, and for Argo CD kinds also the install's own CRD schema. */
function validate(o: Obj): void {
  const Model = MODELS[o.apiVersion]?.[o.kind] as (new (d: object) => { validate(): void }) | undefined;
  if (!Model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}: add one to MODELS`);
  new Model(o).validate();
  const problems = crdChecks[o.kind]?.(o) ?? [];
  if (problems.length) throw new Error(`CRD schema: ${problems.join('; ')}`);
}

const SHIPPED = { 'reposerver.plugin.tar.exclusions': '.git', 'reposerver.plugin.use.manifest.generate.paths': 'true' };
const key = (d: Obj) => `${d.kind}/${d.metadata.name}`;
const repoServer = find(docs, 'Deployment', 'argocd-repo-server')!;
const original = find(install, 'Deployment', 'argocd-repo-server')!;
const podSpec = repoServer?.spec.template.spec;
const sidecar = podSpec?.containers.find((c: Obj) => c.name === 'habitat-cmp');
const apps = docs.filter((d) => d.kind === 'Application');

const test = suite('packaging: argocd/ kustomization on the real Argo CD install');

test(`the kustomization installs Argo CD ${ARGOCD_VERSION} from its release; the reference copy is that file, byte for byte`, () => {
  const remote = (kustomization().resources as string[]).map(installUrl).filter(Boolean);
  assert.equal(remote, [{ version: ARGOCD_VERSION, variant: 'install' }]);
  for (const v of ['install', 'ha-install'] as const) {
    const file = join(REFERENCE, `${v}.yaml`);
    assert.ok(existsSync(file), `${file} (CI has ../shared beside the clone)`);
    assert.is(sha256(file), INSTALL_SHA256[v], `${v}.yaml is not the ${ARGOCD_VERSION} release file`);
  }
});

test('builds into the install plus the example Applications and the ApplicationSet, nothing lost or added', () => {
  const ours = ['Application/shop-prod', 'Application/shop-prod-pinned', 'Application/shop-staging', 'ApplicationSet/habitat-apps'];
  assert.equal(docs.map(key).sort(), [...install.map(key), ...ours].sort());
  assert.is(docs.filter((d) => d.kind === 'Deployment' && d.metadata.name === 'argocd-repo-server').length, 1, 'one repo-server');
  const clusterScoped = new Set(['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);
  for (const d of docs) assert.is(d.metadata.namespace, clusterScoped.has(d.kind) ? undefined : 'argocd', key(d));
});

test('every document is valid against its schema', () => {
  for (const d of docs) {
    try {
      validate(d);
    } catch (e) {
      assert.unreachable(`${key(d)}: ${(e as Error).message}`);
    }
  }
});

test('the validators reject broken documents (negative control)', () => {
  const bad = structuredClone(repoServer);
  bad.spec.template.spec.containers.find((c: Obj) => c.name === 'habitat-cmp').securityContext.runAsUser = '999';
  assert.throws(() => validate(bad), /runAsUser/);
  const badApp = structuredClone(apps[0]!);
  badApp.spec.source.plugin.env = [{ name: 'HABITAT_ENV', value: 1 }];
  assert.throws(() => validate(badApp), /value/);
  const typo = structuredClone(find(docs, 'ApplicationSet', 'habitat-apps')!);
  typo.spec.syncPolicy.preserveResourceOnDeletion = true;
  assert.throws(() => validate(typo), /syncPolicy\.preserveResourceOnDeletion: unknown field/);
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

test("the real Deployment provides what the sidecar relies on: copyutil puts argocd-cmp-server on var-files, the repo-server reads sockets from plugins", () => {
  const spec = original.spec.template.spec;
  const vols = Object.fromEntries(spec.volumes.map((v: Obj) => [v.name, v]));
  assert.equal(vols['var-files'], { name: 'var-files', emptyDir: {} });
  assert.equal(vols['plugins'], { name: 'plugins', emptyDir: {} });
  const copyutil = spec.initContainers.find((c: Obj) => c.name === 'copyutil');
  assert.ok(copyutil.volumeMounts.some((m: Obj) => m.name === 'var-files' && m.mountPath === '/var/run/argocd'));
  assert.match([...copyutil.command, ...copyutil.args].join(' '), /ln -sf \/var\/run\/argocd\/argocd\s+\/var\/run\/argocd\/argocd-cmp-server/);
  const server = spec.containers.find((c: Obj) => c.name === 'argocd-repo-server');
  assert.ok(server.volumeMounts.some((m: Obj) => m.name === 'plugins' && m.mountPath === '/home/argocd/cmp-server/plugins'));
  assert.not.ok(vols['cmp-tmp'], 'the install has no cmp-tmp of its own');
});

test('the patch leaves the install untouched apart from the sidecar, its /tmp volume and the default container', () => {
  const expected = structuredClone(original);
  expected.metadata.namespace = 'argocd';
  const t = expected.spec.template;
  t.metadata.annotations = { ...t.metadata.annotations, 'kubectl.kubernetes.io/default-container': 'argocd-repo-server' };
  t.spec.containers = [sidecar, ...t.spec.containers];
  t.spec.volumes = [{ name: 'cmp-tmp', emptyDir: {} }, ...t.spec.volumes];
  assert.equal(repoServer, expected);
  // the repo-server must not share the sidecar's /tmp (Argo CD >= 2.4)
  for (const c of [...podSpec.containers, ...(podSpec.initContainers ?? [])]) {
    if (c.name === 'habitat-cmp') continue;
    assert.not.ok((c.volumeMounts ?? []).some((m: Obj) => m.name === 'cmp-tmp'), `${c.name} mounts cmp-tmp`);
  }
  assert.ok(podSpec.containers.some((c: Obj) => c.name === repoServer.spec.template.metadata.annotations['kubectl.kubernetes.io/default-container']));
});

test('argocd-cmd-params-cm: no .git and only the manifest-generate-paths for the sidecar, under the keys the real repo-server reads', () => {
  const cm = find(docs, 'ConfigMap', 'argocd-cmd-params-cm')!;
  const before = find(install, 'ConfigMap', 'argocd-cmd-params-cm')!;
  assert.equal({ ...cm, data: undefined, metadata: { ...cm.metadata, namespace: undefined } }, { ...before, data: undefined, metadata: { ...before.metadata, namespace: undefined } });
  assert.equal(cm.data, SHIPPED);
  const env = Object.fromEntries(original.spec.template.spec.containers.find((c: Obj) => c.name === 'argocd-repo-server').env.map((e: Obj) => [e.name, e]));
  for (const [name, k] of [
    ['ARGOCD_REPO_SERVER_PLUGIN_TAR_EXCLUSIONS', 'reposerver.plugin.tar.exclusions'],
    ['ARGOCD_REPO_SERVER_PLUGIN_USE_MANIFEST_GENERATE_PATHS', 'reposerver.plugin.use.manifest.generate.paths'],
    ['ARGOCD_REPO_SERVER_PARALLELISM_LIMIT', 'reposerver.parallelism.limit'],
  ]) {
    assert.equal(env[name!]?.valueFrom?.configMapKeyRef, { name: 'argocd-cmd-params-cm', key: k, optional: true }, name);
  }
});

test('HA install: every repo-server replica carries its own sidecar', () => {
  const ha = buildArgocd('ha-install');
  const rs = find(ha, 'Deployment', 'argocd-repo-server')!;
  assert.ok(rs.spec.replicas >= 2, `replicas ${rs.spec.replicas}`);
  assert.is(rs.spec.replicas, find(installDocs('ha-install'), 'Deployment', 'argocd-repo-server')!.spec.replicas);
  // the sidecar is in the pod template, so each replica's pod runs one
  assert.equal(rs.spec.template.spec.containers.find((c: Obj) => c.name === 'habitat-cmp'), sidecar);
  // merged into the HA install's own settings, which stay
  assert.equal(find(ha, 'ConfigMap', 'argocd-cmd-params-cm')!.data, { ...find(installDocs('ha-install'), 'ConfigMap', 'argocd-cmd-params-cm')!.data, ...SHIPPED });
});

test('Applications name the plugin as Argo CD addresses it and point at a habitat.yaml', () => {
  assert.ok(apps.length >= 3);
  for (const a of apps) {
    const src = a.spec.source;
    assert.is(src.plugin.name, pluginName(plugin));
    assert.is(src.plugin.name, 'habitat-v1');
    assert.ok(existsSync(join(ROOT, src.path, 'habitat.yaml')), `${a.metadata.name}: ${src.path}/habitat.yaml`);
    const app = parse(readFileSync(join(ROOT, src.path, 'habitat.yaml'), 'utf8'));
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
