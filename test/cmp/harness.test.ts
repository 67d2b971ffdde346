// The CMP emulator's own tests, against hand-written expectations from the Argo CD
// contract (not from the emulator) and a probe plugin. They need no habitat-cmp build.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appDetailsEnvEntries,
  appParametersJson,
  CmdError,
  CmpServer,
  escapedParamName,
  execEnv,
  instanceName,
  manifestEnvEntries,
  manifestsToObjects,
  parsePluginConfig,
  pluginName,
  splitYamlToString,
  type ManifestRequest,
} from './argocd-cmp';
import { goExpand, goJsonMarshal, goMatch, goQuote } from './go';

const PROBE = fileURLToPath(new URL('./fixtures/probe.cjs', import.meta.url));
// Paths as they would be in the image; the emulator maps them to this machine.
const IMAGE_NODE = '/usr/local/bin/node';
const IMAGE_PROBE = '/opt/probe/probe.cjs';
const IMAGE_FILES = { [IMAGE_NODE]: process.execPath, [IMAGE_PROBE]: PROBE };

const scratch = mkdtempSync(join(tmpdir(), 'cmp-harness-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
function dir(): string {
  const d = join(scratch, String(n++));
  mkdirSync(d, { recursive: true });
  return d;
}

function pluginYaml(body: string): string {
  const d = dir();
  writeFileSync(join(d, 'plugin.yaml'), body);
  return join(d, 'plugin.yaml');
}

function probeServer(mode: string[], extra = '', opts: Partial<ConstructorParameters<typeof CmpServer>[0]> = {}): CmpServer {
  const cmd = JSON.stringify([IMAGE_NODE, IMAGE_PROBE, ...mode]);
  return new CmpServer({
    pluginYaml: pluginYaml(
      `apiVersion: argoproj.io/v1alpha1
kind: ConfigManagementPlugin
metadata: {name: probe}
spec:
  version: v2
  generate: {command: ${cmd}}
  discover: {fileName: "marker*.txt"}
${extra}`,
    ),
    imageFiles: IMAGE_FILES,
    cmpWorkDir: dir(),
    sidecarEnv: { PATH: process.env.PATH!, HOME: '/tmp', SIDECAR_ONLY: 'yes', ARGOCD_APP_NAME: 'from-sidecar' },
    ...opts,
  });
}

/** A repo with one app dir `apps/a` holding the discovery marker. */
function repo(): string {
  const r = dir();
  mkdirSync(join(r, 'apps', 'a', 'sub'), { recursive: true });
  writeFileSync(join(r, 'apps', 'a', 'marker-1.txt'), 'm');
  writeFileSync(join(r, 'README'), 'r');
  return r;
}

const req = (over: Partial<ManifestRequest> = {}): ManifestRequest => ({
  appName: 'team_web',
  namespace: 'web-ns',
  projectName: 'default',
  revision: '0123456789abcdef0123456789abcdef01234567',
  repoURL: 'https://git.example/r.git',
  path: 'apps/a',
  targetRevision: 'main',
  kubeVersion: 'v1.29.3+k3s1',
  apiVersions: ['v1', 'apps/v1/Deployment', 'apps/v1'],
  plugin: { name: 'probe-v2' },
  ...over,
});

async function reportOf(server: CmpServer, root: string, q: ManifestRequest): Promise<Record<string, any>> {
  const r = await server.generate(root, q);
  assert.is(r.objects.length, 1);
  return JSON.parse((r.objects[0]!.data as Record<string, string>).report!);
}

// ------------------------------------------------------------------ Go semantics

const go = suite('cmp harness: Go semantics');

go('ARGOCD_APP_PARAMETERS marshals like Go: sorted element keys, compact', () => {
  // the example from the contract (§2.2)
  assert.is(
    appParametersJson([
      { name: 'values-files', array: ['values-dev.yaml'] },
      { name: 'helm-parameters', map: { 'image.tag': 'v1.2.3' } },
    ]),
    '[{"array":["values-dev.yaml"],"name":"values-files"},{"map":{"image.tag":"v1.2.3"},"name":"helm-parameters"}]',
  );
  assert.is(
    appParametersJson([{ name: 'x', string: 's', map: { b: '2', a: '1' }, array: [] }, { name: 'e', map: {} }]),
    '[{"array":[],"map":{"a":"1","b":"2"},"name":"x","string":"s"},{"map":{},"name":"e"}]',
  );
  assert.is(appParametersJson([]), 'null');
  assert.is(appParametersJson(undefined), 'null');
});

go('Go JSON escaping: <>& as \\u00XX, control chars, U+2028, quotes', () => {
  assert.is(goJsonMarshal('<a href="x">&</a>'), '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
  assert.is(goJsonMarshal('tab\tnl\ncr\r\u0001\u001f\u2028\\'), '"tab\\tnl\\ncr\\r\\u0001\\u001f\\u2028\\\\"');
  assert.is(goJsonMarshal('é😀'), '"é😀"');
  assert.is(goJsonMarshal({ b: 1, a: [true, null], A: 'x' }), '{"A":"x","a":[true,null],"b":1}');
});

go('escaped(): upper-case, every other rune becomes _', () => {
  assert.is(escapedParamName('images'), 'IMAGES');
  assert.is(escapedParamName('image.tag-v2'), 'IMAGE_TAG_V2');
  assert.is(escapedParamName('straße'), 'STRA_E'); // Go has no simple upper case for ß
  assert.is(escapedParamName('web_1'), 'WEB_1');
  assert.is(escapedParamName('ünï'), '_N_');
});

go('os.Expand semantics used for plugin.env', () => {
  const m = (k: string) => (k === '$' ? '$' : ({ A: 'x', AB: 'y', '1': 'one' } as Record<string, string>)[k] ?? '');
  assert.is(goExpand('$A-$AB/${A}B', m), 'x-y/xB');
  assert.is(goExpand('cost: $$5', m), 'cost: $5');
  assert.is(goExpand('$1x', m), 'onex');
  assert.is(goExpand('a${}b', m), 'ab'); // bad syntax eaten
  assert.is(goExpand('a${A', m), 'aA'); // "${" eaten
  assert.is(goExpand('end$', m), 'end$');
  assert.is(goExpand('$-', m), ''); // special var "-" unknown
  assert.is(goExpand('$UNKNOWN.', m), '.');
  assert.is(goExpand('no dollars', m), 'no dollars');
});

go('strconv.Quote and filepath.Match', () => {
  assert.is(goQuote('a b'), '"a b"');
  assert.is(goQuote('x\ty"\\'), '"x\\ty\\"\\\\"');
  assert.is(goQuote('\u0001é'), '"\\x01é"');
  assert.ok(goMatch('habitat.yaml', 'habitat.yaml'));
  assert.ok(goMatch('*.yaml', 'x.yaml'));
  assert.not.ok(goMatch('*.yaml', 'd/x.yaml'));
  assert.ok(goMatch('.git', '.git'));
  assert.ok(goMatch('[a-c]?', 'b1'));
  assert.not.ok(goMatch('[^a-c]?', 'b1'));
  assert.throws(() => goMatch('[', 'x'));
});

go('CmdError text: argv quoted only when it has spaces; "" for empty args', () => {
  assert.is(
    new CmdError(['node', '/opt/x.cjs', 'generate'], 'exit status 1', 'boom').message,
    '`node /opt/x.cjs generate` failed exit status 1: boom',
  );
  assert.is(new CmdError(['sh', '-c', 'a b', ''], 'signal: killed', '').message, '`sh -c "a b" ""` failed signal: killed');
});

// ------------------------------------------------------------------ plugin.yaml

const cfg = suite('cmp harness: plugin.yaml parsing');

cfg('keys match case-insensitively, unknown keys are ignored, YAML 1.1 booleans', () => {
  const c = parsePluginConfig(`Kind: ConfigManagementPlugin
METADATA: {Name: p, labels: {a: b}}
spec:
  Version: v1
  lockRepo: true
  allowConcurrency: yes
  GENERATE: {Command: [a, b], ARGS: [c]}
  discover: {FILENAME: x.yaml, find: {glob: "**/y", command: [f]}}
  parameters: {STATIC: [{name: p, collectiontype: map, Map: {k: v}, bogus: 1}], dynamic: {command: [d]}}
  preserveFileMode: yes
`);
  assert.is(c.kind, 'ConfigManagementPlugin');
  assert.is(pluginName(c), 'p-v1');
  assert.equal(c.spec.generate, { command: ['a', 'b'], args: ['c'] });
  assert.is(c.spec.discover!.fileName, 'x.yaml');
  assert.is(c.spec.discover!.find!.glob, '**/y');
  assert.equal(c.spec.discover!.find!.command, ['f']);
  assert.equal(c.spec.parameters!.static, [{ name: 'p', collectionType: 'map', map: { k: 'v' } }]);
  assert.equal(c.spec.parameters!.dynamic, { command: ['d'] });
  assert.is(c.spec.preserveFileMode, true);
});

cfg('the three validations, and nothing else', () => {
  assert.throws(() => parsePluginConfig('kind: ConfigManagementPlugin\nspec: {generate: {command: [a]}}'), /metadata.name should be non-empty/);
  assert.throws(() => parsePluginConfig('kind: Plugin\nmetadata: {name: a}\nspec: {generate: {command: [a]}}'), /kind should be ConfigManagementPlugin, found Plugin/);
  assert.throws(() => parsePluginConfig('kind: ConfigManagementPlugin\nmetadata: {name: a}\nspec: {generate: {args: [a]}}'), /spec.generate command should be non-empty/);
  // no apiVersion, no version, no discover: still valid; the name has no suffix
  const c = parsePluginConfig('kind: ConfigManagementPlugin\nmetadata: {name: a}\nspec: {generate: {command: [a]}}');
  assert.is(pluginName(c), 'a');
  assert.throws(() => parsePluginConfig('kind: ConfigManagementPlugin\nmetadata: {name: a}\nspec: {generate: {command: a}}'), /cannot unmarshal string/);
});

cfg('YAML 1.1 scalars as sigs.k8s.io/yaml reads them: an unquoted n is a boolean', () => {
  assert.throws(
    () => parsePluginConfig('kind: ConfigManagementPlugin\nmetadata: {name: n}\nspec: {generate: {command: [x]}}'),
    /cannot unmarshal boolean into Go struct field ObjectMeta.name of type string/,
  );
  assert.is(parsePluginConfig('kind: ConfigManagementPlugin\nmetadata: {name: "n"}\nspec: {generate: {command: [x]}}').metadata.name, 'n');
});

// ------------------------------------------------------------------ environment

const env = suite('cmp harness: environment construction');

env('Argo order: build vars, KUBE_*, ARGOCD_ENV_* (expanded), parameters; sorted API versions', () => {
  const q = req({
    plugin: {
      name: 'probe-v2',
      env: [
        { name: 'HABITAT_ENV', value: 'staging' },
        { name: 'my-var', value: '$ARGOCD_APP_NAMESPACE/${KUBE_VERSION}/$$/$HOME/$ARGOCD_ENV_HABITAT_ENV' },
      ],
      parameters: [
        { name: 'environment', string: 'prod' },
        { name: 'images', map: { web: 'r/web:1', 'db.x': 'r/db<2>' } },
        { name: 'list', array: ['a', 'b'] },
      ],
    },
  });
  assert.equal(manifestEnvEntries(q), [
    'ARGOCD_APP_NAME=team_web',
    'ARGOCD_APP_NAMESPACE=web-ns',
    'ARGOCD_APP_PROJECT_NAME=default',
    'ARGOCD_APP_REVISION=0123456789abcdef0123456789abcdef01234567',
    'ARGOCD_APP_REVISION_SHORT=0123456',
    'ARGOCD_APP_REVISION_SHORT_8=01234567',
    'ARGOCD_APP_SOURCE_REPO_URL=https://git.example/r.git',
    'ARGOCD_APP_SOURCE_PATH=apps/a',
    'ARGOCD_APP_SOURCE_TARGET_REVISION=main',
    'KUBE_VERSION=1.29.3',
    'KUBE_API_VERSIONS=apps/v1,apps/v1/Deployment,v1',
    'ARGOCD_ENV_HABITAT_ENV=staging',
    // sidecar env ($HOME) and other ARGOCD_ENV_* are not visible to the expansion
    'ARGOCD_ENV_my-var=web-ns/1.29.3/$//',
    'ARGOCD_APP_PARAMETERS=[{"name":"environment","string":"prod"},{"map":{"db.x":"r/db\\u003c2\\u003e","web":"r/web:1"},"name":"images"},{"array":["a","b"],"name":"list"}]',
    'PARAM_ENVIRONMENT=prod',
    'PARAM_IMAGES_WEB=r/web:1',
    'PARAM_IMAGES_DB_X=r/db<2>',
    'PARAM_LIST_0=a',
    'PARAM_LIST_1=b',
  ]);
});

env('no plugin section: no ARGOCD_APP_PARAMETERS; empty plugin section: null', () => {
  assert.not.ok(manifestEnvEntries(req({ plugin: undefined })).some((e) => e.startsWith('ARGOCD_APP_PARAMETERS=')));
  assert.ok(manifestEnvEntries(req({ plugin: {} })).includes('ARGOCD_APP_PARAMETERS=null'));
});

env('the parameters command gets the reduced env', () => {
  const e = appDetailsEnvEntries(req({ plugin: { env: [{ name: 'X', value: '$ARGOCD_APP_NAMESPACE|$ARGOCD_APP_NAME' }] } }));
  assert.equal(e, [
    'ARGOCD_APP_NAME=team_web',
    'ARGOCD_APP_SOURCE_REPO_URL=https://git.example/r.git',
    'ARGOCD_APP_SOURCE_PATH=apps/a',
    'ARGOCD_APP_SOURCE_TARGET_REVISION=main',
    'ARGOCD_ENV_X=|team_web',
    'ARGOCD_APP_PARAMETERS=null',
  ]);
});

env('request env overrides the sidecar env; instance names', () => {
  const e = execEnv({ PATH: '/bin', ARGOCD_APP_NAME: 'sidecar' }, ['ARGOCD_APP_NAME=app', 'EMPTY=']);
  assert.equal(e, { PATH: '/bin', ARGOCD_APP_NAME: 'app', EMPTY: '' });
  assert.is(instanceName('shop', 'argocd'), 'shop');
  assert.is(instanceName('shop', 'team-a'), 'team-a_shop');
});

// ------------------------------------------------------------------ output parsing

const parse = suite('cmp harness: output parsing');

parse('YAML stream: separators with comments, empty and null docs dropped', () => {
  const out = splitYamlToString('---\n# only a comment\n---   # c\nkind: A\nmetadata: {name: a}\n---\n---\nnull\n--- \nkind: B\n');
  assert.equal(out.map((s) => JSON.parse(s).kind), ['A', 'B']);
});

parse('YAML stream: text after a separator is an error', () => {
  assert.throws(() => splitYamlToString('kind: A\n--- kind: B\n'), /invalid Yaml document separator: kind: B/);
  assert.throws(() => splitYamlToString('kind: A\n----\n'), /invalid Yaml document separator: -/);
});

parse('JSON stream: concatenated objects when the output starts with {', () => {
  const out = splitYamlToString('  {"kind":"A","s":"}{"}{"kind":"B"}\n{"kind":"C"}');
  assert.equal(out.map((s) => JSON.parse(s).kind), ['A', 'B', 'C']);
});

parse('repo-server conversion: kind required, scalars rejected, lists flattened', () => {
  assert.throws(() => manifestsToObjects(splitYamlToString('apiVersion: v1\nmetadata: {name: x}\n')), /Object 'Kind' is missing/);
  assert.throws(() => manifestsToObjects(splitYamlToString('just a string\n')));
  assert.throws(() => manifestsToObjects(splitYamlToString('- kind: A\n')));
  const objs = manifestsToObjects(splitYamlToString('kind: List\nitems:\n- {kind: A}\n- {kind: B}\n---\nkind: NullList\nitems: null\n---\nkind: C\n'));
  assert.equal(objs.map((o) => o.kind), ['A', 'B', 'C']);
});

// ------------------------------------------------------------------ through a process

const proc = suite('cmp harness: running a plugin');

proc('the plugin sees Argo env, cwd = appPath, /dev/null stdin, its own process group', async () => {
  const server = probeServer(['report']);
  const root = repo();
  const r = await reportOf(server, root, req({ plugin: { name: 'probe-v2', env: [{ name: 'HABITAT_ENV', value: 'prod' }] } }));
  assert.equal(r.argv, [PROBE, 'report']);
  assert.ok(r.cwd.startsWith(server.workBase + '/'), r.cwd);
  assert.ok(r.cwd.endsWith('/apps/a'));
  assert.is(r.stdinIsDevNull, true);
  assert.is(r.pgid, r.pid);
  assert.is(r.env.ARGOCD_APP_NAME, 'team_web'); // request wins over the sidecar's value
  assert.is(r.env.SIDECAR_ONLY, 'yes');
  assert.is(r.env.ARGOCD_ENV_HABITAT_ENV, 'prod');
  assert.is(r.env.ARGOCD_APP_PARAMETERS, 'null');
  assert.is(r.env.KUBE_API_VERSIONS, 'apps/v1,apps/v1/Deployment,v1');
  assert.not.ok('HABITAT_CMP_TEST_LEAK' in r.env);
});

proc('a fresh copy per request: 0644/0755 modes, relative in-bound symlinks, work dir removed', async () => {
  const server = probeServer(['report']);
  const root = repo();
  writeFileSync(join(root, 'apps', 'a', 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(root, 'apps', 'a', 'run.sh'), 0o755);
  chmodSync(join(root, 'apps', 'a', 'sub'), 0o700);
  symlinkSync('../../README', join(root, 'apps', 'a', 'readme-link'));
  const r = await reportOf(server, root, req());
  const byRel = Object.fromEntries((r.tree as { rel: string }[]).map((e) => [e.rel, e]));
  const um = process.umask();
  assert.equal(byRel['apps/a/run.sh'], { rel: 'apps/a/run.sh', type: 'file', mode: (0o644 & ~um).toString(8) });
  assert.equal(byRel['apps/a/sub'], { rel: 'apps/a/sub', type: 'dir', mode: (0o755 & ~um).toString(8) });
  assert.equal(byRel['apps/a/readme-link'], { rel: 'apps/a/readme-link', type: 'symlink', link: '../../README' });
  // the second request gets another uuid dir, the first one is gone
  const r2 = await reportOf(server, root, req());
  assert.is.not(r2.root, r.root);
  assert.throws(() => readFileSync(join(r.root, 'README')));
});

proc('preserveFileMode: true keeps the modes', async () => {
  const server = probeServer(['report'], '  preserveFileMode: true\n');
  const root = repo();
  writeFileSync(join(root, 'apps', 'a', 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(root, 'apps', 'a', 'run.sh'), 0o750);
  const r = await reportOf(server, root, req());
  const f = (r.tree as { rel: string; mode: string }[]).find((e) => e.rel === 'apps/a/run.sh')!;
  assert.is(f.mode, (0o750 & ~process.umask()).toString(8));
});

proc('out-of-bound symlinks fail like Argo', async () => {
  const server = probeServer(['report']);
  const root = repo();
  symlinkSync('../../../etc', join(root, 'apps', 'a', 'escape'));
  // the repo-server refuses first (absolute links too, even in-bound ones)...
  const abs = repo();
  symlinkSync(join(abs, 'README'), join(abs, 'apps', 'a', 'abs'));
  await server.generate(abs, req()).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, 'repository contains out-of-bounds symlinks. file: apps/a/abs'),
  );
  await server.generate(root, req()).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, 'repository contains out-of-bounds symlinks. file: apps/a/escape'),
  );
  // ...and the sidecar's extraction refuses too
  await server.generateManifest(root, 'apps/a', manifestEnvEntries(req())).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /illegal filepath in symlink: .*\/etc$/),
  );
});

proc('excluded paths are not sent', async () => {
  const server = probeServer(['report'], '', { tarExclusions: ['.git', 'apps/a/*.log'] });
  const root = repo();
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'HEAD'), 'x');
  writeFileSync(join(root, 'apps', 'a', 'x.log'), 'x');
  const r = await reportOf(server, root, req());
  const rels = (r.tree as { rel: string }[]).map((e) => e.rel);
  assert.not.ok(rels.some((x) => x.startsWith('.git') || x.endsWith('.log')), rels.join(','));
  assert.ok(rels.includes('apps/a/marker-1.txt'));
});

proc('discovery: fileName glob in appPath; named plugins must still match', async () => {
  const server = probeServer(['report']);
  const root = repo();
  mkdirSync(join(root, 'apps', 'b'));
  assert.equal(await server.matchRepository(root, 'apps/a', []), { isSupported: true, isDiscoveryEnabled: true });
  assert.equal(await server.matchRepository(root, 'apps/b', []), { isSupported: false, isDiscoveryEnabled: true });
  assert.equal(await server.matchRepository(root, '.', []), { isSupported: false, isDiscoveryEnabled: true }); // no "**"
  await server.generate(root, req({ path: 'apps/b' })).then(
    () => assert.unreachable(),
    (e: Error) => assert.is(e.message, 'could not find cmp-server plugin with name "probe-v2" supporting the given repository'),
  );
  await server.generate(root, req({ plugin: { name: 'probe' } })).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, 'with name "probe"'),
  );
  // unnamed: found by discovery
  const r = await server.generate(root, req({ plugin: undefined }));
  assert.is(r.objects[0]!.kind, 'ConfigMap');
});

proc('stdout bytes: one trailing newline trimmed, YAML stream parsed', async () => {
  const server = probeServer(['cat', 'out.txt']);
  const root = repo();
  writeFileSync(join(root, 'apps', 'a', 'out.txt'), 'kind: A\n---\nkind: B\n\n');
  const r = await server.generate(root, req());
  assert.is(r.stdout, 'kind: A\n---\nkind: B\n');
  assert.equal(r.objects.map((o) => o.kind), ['A', 'B']);
});

proc('non-zero exit: Argo error text with argv as in plugin.yaml and trimmed stderr', async () => {
  const server = probeServer(['fail', '3']);
  const root = repo();
  await server.generate(root, req({ plugin: { name: 'probe-v2', env: [{ name: 'MSG', value: 'x' }] } })).then(
    () => assert.unreachable(),
    (e: Error) =>
      assert.is(e.message, 'error generating manifests: `/usr/local/bin/node /opt/probe/probe.cjs fail 3` failed exit status 3: first line\nboom: x'),
  );
});

proc('start failures are Go errors', async () => {
  const server = new CmpServer({
    pluginYaml: pluginYaml('kind: ConfigManagementPlugin\nmetadata: {name: x}\nspec: {generate: {command: [no-such-binary-habitat]}}'),
    cmpWorkDir: dir(),
  });
  await server.generateManifest(repo(), '.', []).then(
    () => assert.unreachable(),
    (e: Error) => assert.is(e.message, 'error generating manifests: exec: "no-such-binary-habitat": executable file not found in $PATH'),
  );
});

proc('deadline: main pid SIGKILLed -> "signal: killed"', async () => {
  const server = probeServer(['sleep'], '', { timeoutMs: 700 });
  const t0 = Date.now();
  await server.generate(repo(), req()).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, '`/usr/local/bin/node /opt/probe/probe.cjs sleep` failed signal: killed'),
  );
  const took = Date.now() - t0;
  assert.ok(took >= 550 && took < 3000, `took ${took} ms`);
});

proc('deadline: a grandchild that ignores SIGTERM is SIGKILLed with the group after the grace period', async () => {
  const pidFile = join(dir(), 'grandchild.pid');
  // A deadline long enough for the probe (a Node start) to have spawned its grandchild even on a loaded machine.
  const server = probeServer(['sleep-group', pidFile], '', { timeoutMs: 3000, killGraceMs: 400 });
  const t0 = Date.now();
  await server.generate(repo(), req()).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, 'failed signal: killed'),
  );
  // the grandchild held stdout open, so the result only came after the group SIGKILL
  const took = Date.now() - t0;
  // the command's deadline is the request's minus Argo CD's 100 ms buffer, then the 400 ms grace
  assert.ok(took >= 3000 - 100 + 400 - 50, `took ${took} ms`);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let state = 'gone';
  try {
    state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.slice(0, 1);
  } catch {
    /* reaped */
  }
  assert.ok(state === 'gone' || state === 'Z', `grandchild state ${state}`);
});

proc('parameters: dynamic first then static; Go decoding of the announcement', async () => {
  const server = probeServer(
    ['report'],
    `  parameters:
    static: [{name: s, title: S}]
    dynamic: {command: ["${IMAGE_NODE}", "${IMAGE_PROBE}", cat, params.json]}
`,
  );
  const root = repo();
  writeFileSync(join(root, 'apps', 'a', 'params.json'), '[{"Name":"d","collectionType":"map","map":{"a":"1"},"extra":true}]\n');
  assert.equal(await server.parameters(root, req()), [
    { name: 'd', collectionType: 'map', map: { a: '1' } },
    { name: 's', title: 'S' },
  ]);
  writeFileSync(join(root, 'apps', 'a', 'params.json'), '[{"name":"d","map":{"a":1}}]');
  await server.parameters(root, req()).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /error unmarshaling dynamic parameter output.*cannot unmarshal number/),
  );
  writeFileSync(join(root, 'apps', 'a', 'params.json'), '');
  await server.parameters(root, req()).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, 'error unmarshaling dynamic parameter output'),
  );
});

proc('init runs before generate in appPath with the same env; its stdout is discarded', async () => {
  const script = "const nl = String.fromCharCode(10); require('fs').writeFileSync('from-init.txt', 'kind: Init' + nl + 'name: ' + process.env.ARGOCD_APP_NAME + nl); console.log('kind: Ignored')";
  const server = probeServer(['cat', 'from-init.txt'], `  init: {command: ["${IMAGE_NODE}", "-e", ${JSON.stringify(script)}]}\n`);
  const r = await server.generate(repo(), req());
  assert.equal(r.objects, [{ kind: 'Init', name: 'team_web' }]);
});

proc('discovery: find.glob supports **; find.command matches on non-empty stdout', async () => {
  const root = repo();
  mkdirSync(join(root, 'apps', 'a', 'sub', 'deep'), { recursive: true });
  writeFileSync(join(root, 'apps', 'a', 'sub', 'deep', 'x.hab'), '');
  const cfgText = (discover: string) =>
    pluginYaml(`kind: ConfigManagementPlugin\nmetadata: {name: g}\nspec:\n  generate: {command: [x]}\n  discover: ${discover}\n`);
  const glob = new CmpServer({ pluginYaml: cfgText('{find: {glob: "**/*.hab"}}'), cmpWorkDir: dir() });
  assert.equal(await glob.matchRepository(root, 'apps/a', []), { isSupported: true, isDiscoveryEnabled: true });
  assert.equal(await glob.matchRepository(root, 'apps', []), { isSupported: true, isDiscoveryEnabled: true });
  const none = new CmpServer({ pluginYaml: cfgText('{find: {glob: "*.hab"}}'), cmpWorkDir: dir() });
  assert.equal(await none.matchRepository(root, 'apps/a', []), { isSupported: false, isDiscoveryEnabled: true });
  const byCmd = (script: string) =>
    new CmpServer({ pluginYaml: cfgText(`{find: {command: ["${IMAGE_NODE}", "-e", ${JSON.stringify(script)}]}}`), cmpWorkDir: dir(), imageFiles: IMAGE_FILES });
  assert.equal(await byCmd("process.stdout.write(require('fs').existsSync('marker-1.txt') ? 'yes\\n' : '')").matchRepository(root, 'apps/a', []), {
    isSupported: true,
    isDiscoveryEnabled: true,
  });
  // a lone newline is trimmed: no match
  assert.equal(await byCmd("process.stdout.write('\\n')").matchRepository(root, 'apps/a', []), { isSupported: false, isDiscoveryEnabled: true });
  const noDiscovery = new CmpServer({ pluginYaml: pluginYaml('kind: ConfigManagementPlugin\nmetadata: {name: nd}\nspec: {generate: {command: [x]}}'), cmpWorkDir: dir() });
  assert.equal(await noDiscovery.matchRepository(root, 'apps/a', []), { isSupported: false, isDiscoveryEnabled: false });
});

go.run();
cfg.run();
env.run();
parse.run();
proc.run();
