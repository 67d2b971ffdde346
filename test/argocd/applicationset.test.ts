// argocd/applicationset.yaml over a fixture monorepo: the git files generator
// (modelled in gitFilesGenerator.ts; its globbing checked against real `git
// ls-files`) yields exactly the expected Applications, each valid for Argo CD's
// models and the v3.5.1 CRD schema, and each renders through the emulated
// sidecar with the repo-server settings argocd/ ships.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Application, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { CmpServer, instanceName, manifestEnvEntries, type ManifestRequest, type PluginSource } from '../cmp/argocd-cmp';
import { request, server } from '../cmp/habitat';
import { buildArgocd, find, installDocs, ROOT } from '../packaging/argocdBuild';
import { crdValidator } from '../packaging/crdSchema';
import { generateApplications, GeneratorError, gitPathspecMatch, goTemplate, lsFiles, RESOURCES_FINALIZER, sanitizeName } from './gitFilesGenerator';

type Obj = Record<string, any>;

const appSet: Obj = parse(readFileSync(join(ROOT, 'argocd/applicationset.yaml'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'habitat-appset-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** The fixture as a Git checkout: tracked files are what `git ls-files` lists. */
function gitRepo(name: string, edit?: (dir: string) => void): { dir: string; files: Map<string, string> } {
  const dir = join(scratch, name);
  cpSync(fileURLToPath(new URL('./fixtures/monorepo', import.meta.url)), dir, { recursive: true });
  edit?.(dir);
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['-C', dir, 'add', '-A']);
  const tracked = execFileSync('git', ['-C', dir, 'ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  return { dir, files: new Map(tracked.map((p) => [p, readFileSync(join(dir, p), 'utf8')])) };
}

const repo = gitRepo('monorepo');

function writeApp(root: string, rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}
const install = installDocs('install');
const crd = { Application: crdValidator(install, 'argoproj.io', 'v1alpha1', 'Application'), ApplicationSet: crdValidator(install, 'argoproj.io', 'v1alpha1', 'ApplicationSet') };
const apps = generateApplications(appSet, repo.files);

const test = suite('argocd: ApplicationSet over a monorepo');

test('the ApplicationSet is valid for the Argo CD models and the v3.5.1 CRD, and is what the kustomization installs', () => {
  new ApplicationSet(appSet as any).validate();
  assert.equal(crd.ApplicationSet(appSet), []);
  const built = find(buildArgocd('install'), 'ApplicationSet', 'habitat-apps');
  assert.equal(built, appSet);
});

test('what it promises: git files over apps/**/habitat.yaml, goTemplate with missingkey=error, the named plugin, metadata.namespace as destination', () => {
  assert.equal(appSet.spec.generators[0].git.files, [{ path: 'apps/**/habitat.yaml' }]);
  assert.is(appSet.spec.goTemplate, true);
  assert.equal(appSet.spec.goTemplateOptions, ['missingkey=error']);
  const t = appSet.spec.template;
  assert.is(t.spec.source.plugin.name, 'habitat-v1');
  assert.is(t.spec.destination.namespace, '{{ .metadata.namespace }}');
  assert.is(t.metadata.annotations['argocd.argoproj.io/manifest-generate-paths'], '.');
});

test('the globbing model agrees with real `git ls-files` (greedy: "*" and "**" cross "/")', () => {
  const tracked = [...repo.files.keys()];
  for (const pattern of ['apps/**/habitat.yaml', 'apps/*/habitat.yaml', 'apps/*.yaml', 'apps/team-?/*', 'apps/[st]*/habitat.yaml', 'apps/[!s]*/habitat.yaml', 'apps/team-a', 'apps/shop/habitat.yaml', '*.md', 'tools']) {
    const real = execFileSync('git', ['-C', repo.dir, 'ls-files', '--full-name', '-z', '--', pattern], { encoding: 'utf8' }).split('\0').filter(Boolean);
    assert.equal(lsFiles(tracked, pattern), real, pattern);
  }
  // what "greedy" means here, stated directly
  assert.ok(gitPathspecMatch('apps/*/habitat.yaml', 'apps/team-b/payments/api/habitat.yaml'));
  assert.not.ok(gitPathspecMatch('apps/**/habitat.yaml', 'apps/habitat.yaml'));
});

test('one Application per habitat.yaml under apps/, at any depth; nothing else', () => {
  const summary = apps.map((a) => ({ name: a.metadata.name, path: a.spec.source.path, namespace: a.spec.destination.namespace }));
  assert.equal(summary, [
    { name: 'web-store', path: 'apps/Web_Store', namespace: 'web-store' },
    { name: 'shop', path: 'apps/shop', namespace: 'shop' },
    { name: 'billing', path: 'apps/team-a/billing', namespace: 'billing' },
    { name: 'api', path: 'apps/team-b/payments/api', namespace: 'payments' },
    { name: 'payments', path: 'apps/team-b/payments', namespace: 'payments' },
  ]);
});

test('a generated Application in full', () => {
  assert.equal(
    apps.find((a) => a.metadata.name === 'billing'),
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'billing', namespace: 'argocd', annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' } },
      spec: {
        project: 'default',
        source: { repoURL: 'https://git.example.com/platform/apps.git', targetRevision: 'main', path: 'apps/team-a/billing', plugin: { name: 'habitat-v1' } },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'billing' },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    },
  );
});

test('every generated Application is valid for the Argo CD models and the v3.5.1 CRD', () => {
  for (const a of apps) {
    new Application(a as any).validate();
    assert.equal(crd.Application(a), [], a.metadata.name);
  }
});

/** What the repo-server sends for a generated Application. */
const toRequest = (a: Obj): ManifestRequest =>
  request(a.spec.source.path, {
    appName: instanceName(a.metadata.name, a.metadata.namespace),
    namespace: a.spec.destination.namespace,
    projectName: a.spec.project,
    repoURL: a.spec.source.repoURL,
    targetRevision: a.spec.source.targetRevision,
    plugin: a.spec.source.plugin as PluginSource,
  });

/**
 * reposerver/repository/utils.go getApplicationRootPath: with
 * reposerver.plugin.use.manifest.generate.paths, generation receives the common
 * root of the annotation's paths (";"-separated; relative to the app path, or to
 * the repository when they start with "/") and of the app path itself.
 */
function generationRoot(repoDir: string, appRel: string, annotation: string | undefined): string {
  const appPath = join(repoDir, appRel);
  const paths = (annotation ?? '').split(';').filter(Boolean).map((p) => normalize(p.startsWith('/') ? join(repoDir, p) : join(appPath, p)));
  if (!paths.length) return repoDir;
  let common = appPath.split(sep);
  for (const p of paths) {
    const parts = p.split(sep);
    let i = 0;
    while (i < Math.min(common.length, parts.length) && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(sep) || sep;
}

test('every generated Application renders through the sidecar, with .git left out as argocd/ configures', async () => {
  const cm = find(buildArgocd('install'), 'ConfigMap', 'argocd-cmd-params-cm')!;
  // ARGOCD_REPO_SERVER_PLUGIN_TAR_EXCLUSIONS is ";"-separated (argocd_repo_server.go)
  const cmp = server({ tarExclusions: cm.data['reposerver.plugin.tar.exclusions'].split(';') });
  for (const a of apps) {
    const r = await cmp.generate(repo.dir, toRequest(a));
    assert.ok(r.objects.length > 0, a.metadata.name);
    for (const o of r.objects) assert.is((o.metadata as Obj).namespace, a.spec.destination.namespace, `${a.metadata.name}: ${o.kind}`);
  }
  // the app without metadata.name takes the Application's name
  const web = await cmp.generate(repo.dir, request('apps/Web_Store', { appName: 'web-store', namespace: 'web-store' }));
  assert.ok(web.objects.some((o) => o.kind === 'Service' && (o.metadata as Obj).name === 'web-store-ring'));
});

test('with use.manifest.generate.paths (shipped) generation receives only the app directory, and renders the same bytes', async () => {
  const cm = find(buildArgocd('install'), 'ConfigMap', 'argocd-cmd-params-cm')!;
  assert.is(cm.data['reposerver.plugin.use.manifest.generate.paths'], 'true');
  const cmp = server({ tarExclusions: cm.data['reposerver.plugin.tar.exclusions'].split(';') });
  for (const a of apps) {
    const q = toRequest(a);
    const root = generationRoot(repo.dir, q.path, a.metadata.annotations?.['argocd.argoproj.io/manifest-generate-paths']);
    assert.is(root, join(repo.dir, q.path), `${a.metadata.name}: only its own directory is sent`);
    const entries = manifestEnvEntries(q);
    // discovery (MatchRepository) still receives the whole repository ...
    assert.equal(await cmp.matchRepository(repo.dir, q.path, entries), { isSupported: true, isDiscoveryEnabled: true });
    // ... generation only the root computed from the annotation
    const reduced = await cmp.generateManifest(root, relative(root, join(repo.dir, q.path)) || '.', entries);
    const full = await cmp.generate(repo.dir, q);
    assert.is(reduced.rawStdout, full.rawStdout, a.metadata.name);
  }
  assert.is(generationRoot('/r', 'apps/a', undefined), '/r', 'no annotation: the whole repository');
  assert.is(generationRoot('/r', 'apps/a', '.;../b'), '/r/apps');
  assert.is(generationRoot('/r', 'apps/a', '/shared'), '/r');
});

test('the sidecar receives no .git with the shipped exclusion', async () => {
  const cm = find(buildArgocd('install'), 'ConfigMap', 'argocd-cmd-params-cm')!;
  const dir = join(scratch, 'probe');
  mkdirSync(dir, { recursive: true });
  const probe = fileURLToPath(new URL('../cmp/fixtures/probe.cjs', import.meta.url));
  writeFileSync(
    join(dir, 'plugin.yaml'),
    `apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata: {name: habitat}\nspec:\n  version: v1\n  generate: {command: [/usr/local/bin/node, /opt/probe.cjs, report]}\n`,
  );
  const cmp = new CmpServer({
    pluginYaml: join(dir, 'plugin.yaml'),
    imageFiles: { '/usr/local/bin/node': process.execPath, '/opt/probe.cjs': probe },
    cmpWorkDir: dir,
    tarExclusions: cm.data['reposerver.plugin.tar.exclusions'].split(';'),
  });
  const r = await cmp.generate(repo.dir, request('apps/shop', { plugin: { name: 'habitat-v1' } }));
  const tree: { rel: string }[] = JSON.parse((r.objects[0]!.data as Obj).report).tree;
  assert.ok(tree.some((e) => e.rel === 'apps/shop/habitat.yaml'));
  assert.not.ok(tree.some((e) => e.rel === '.git' || e.rel.startsWith('.git/')), 'no .git in the tarball');
  // control: without the exclusion the checkout's .git is sent
  const all = new CmpServer({ pluginYaml: join(dir, 'plugin.yaml'), imageFiles: { '/usr/local/bin/node': process.execPath, '/opt/probe.cjs': probe }, cmpWorkDir: dir });
  const r2 = await all.generate(repo.dir, request('apps/shop', { plugin: { name: 'habitat-v1' } }));
  assert.ok((JSON.parse((r2.objects[0]!.data as Obj).report).tree as { rel: string }[]).some((e) => e.rel.startsWith('.git/')));
});

test('a habitat.yaml without metadata.namespace stops the ApplicationSet (missingkey=error) instead of deploying without one', () => {
  const broken = gitRepo('no-namespace', (d) => writeApp(d, 'apps/team-x/habitat.yaml', 'apiVersion: habitat-cmp/v1\nkind: App\nservices:\n  web: {image: a/b}\n'));
  assert.throws(() => generateApplications(appSet, broken.files), (e: Error) => e instanceof GeneratorError && /map has no entry for key "metadata"/.test(e.message));
  const noNs = gitRepo('no-namespace-2', (d) => writeApp(d, 'apps/team-x/habitat.yaml', 'apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: x}\nservices:\n  web: {image: a/b}\n'));
  assert.throws(() => generateApplications(appSet, noNs.files), /map has no entry for key "namespace"/);
  // without the option Go's template prints "<no value>": an Application for namespace "<no value>"
  const lax = { ...appSet, spec: { ...appSet.spec, goTemplateOptions: [] } };
  assert.ok(generateApplications(lax, noNs.files).some((a) => a.spec.destination.namespace === '<no value>'));
});

test('two app directories with the same name are an error, as in Argo CD', () => {
  const dup = gitRepo('duplicate', (d) => {
    mkdirSync(join(d, 'apps/team-c/shop'), { recursive: true });
    writeFileSync(join(d, 'apps/team-c/shop/habitat.yaml'), readFileSync(join(d, 'apps/shop/habitat.yaml')));
  });
  assert.throws(() => generateApplications(appSet, dup.files), /ApplicationSet habitat-apps contains applications with duplicate name: shop/);
});

test('resources are kept when an app directory goes away (no resources finalizer), and would not be without the sync policy', () => {
  for (const a of apps) assert.is(a.metadata.finalizers, undefined);
  const { syncPolicy: _drop, ...rest } = appSet.spec;
  const cascading = generateApplications({ ...appSet, spec: rest }, repo.files);
  for (const a of cascading) assert.equal(a.metadata.finalizers, [RESOURCES_FINALIZER]);
});

test('model details: SanitizeName, Go template trim markers; what it does not model fails loudly', () => {
  assert.is(sanitizeName('Web_Store'), 'web-store');
  assert.is(sanitizeName('-.A.b-'), 'a.b');
  assert.is(sanitizeName('x'.repeat(300)).length, 253);
  assert.is(goTemplate('a {{- .x -}} b', { x: 'X' }, []), 'aXb');
  assert.throws(() => goTemplate('{{ .path.segments }}', { path: { segments: ['a'] } }, []), /not modelled/);
  assert.throws(() => goTemplate('{{ dig "metadata" "namespace" "x" . }}', {}, []), /not modelled/);
  assert.throws(() => generateApplications({ ...appSet, spec: { ...appSet.spec, goTemplate: false } }, repo.files), /not modelled|only goTemplate/);
});

test.run();
