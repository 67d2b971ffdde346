// The sidecar image without a Docker engine: every COPY source exists after
// `npm run build` and survives .dockerignore, the bundle runs on its own, and the
// image's user, paths and entrypoint agree with plugin.yaml and argocd/.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parsePluginConfig } from '../cmp/argocd-cmp';
import { dockerIgnored, readDockerignore, readImage } from './dockerfile';

const root = fileURLToPath(new URL('../..', import.meta.url));
const image = readImage(join(root, 'Dockerfile'));
const ignore = readDockerignore(join(root, '.dockerignore'));
const plugin = parsePluginConfig(readFileSync(join(root, 'plugin.yaml'), 'utf8'));
const patch = parse(readFileSync(join(root, 'argocd', 'repo-server-habitat-cmp.yaml'), 'utf8'));
const sidecar = patch.spec.template.spec.containers.find((c: { name: string }) => c.name === 'habitat-cmp');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const BUNDLE = join(root, 'dist', 'habitat-cmp.cjs');

const test = suite('packaging: Dockerfile');

test('base image is an official Node LTS (even major) slim image', () => {
  const m = /^node:(\d+)-([a-z]+)-slim(@sha256:[0-9a-f]{64})?$/.exec(image.from);
  assert.ok(m, `FROM ${image.from}`);
  const major = Number(m![1]);
  assert.ok(major % 2 === 0 && major >= 22, `node ${major} is not an LTS line`);
});

test('every COPY source exists after the build and is inside the build context', () => {
  assert.ok(image.copies.length > 0);
  for (const c of image.copies) {
    assert.not.ok(c.flags.from, 'multi-stage copies are not expected');
    for (const s of c.sources) {
      assert.ok(existsSync(join(root, s)), `${s} is missing${s.startsWith('dist/') ? ' (run `npm run build`)' : ''}`);
      assert.not.ok(dockerIgnored(ignore, s), `${s} is excluded by .dockerignore`);
    }
  }
});

test('.dockerignore keeps the context to what the image needs', () => {
  for (const p of ['node_modules/yaml/package.json', 'src/cli/main.ts', '.git/HEAD', 'samples/shop/habitat.yaml', 'dist/other.js'])
    assert.ok(dockerIgnored(ignore, p), `${p} would be sent to the Docker daemon`);
  // the matcher itself: a pattern re-including a file under an excluded dir
  assert.not.ok(dockerIgnored(['*', '!a/b'], 'a/b'));
  assert.ok(dockerIgnored(['*', '!a/b'], 'a/c'));
});

test('plugin.yaml is baked in where argocd-cmp-server reads it', () => {
  assert.is(image.files['/home/argocd/cmp-server/config/plugin.yaml'], 'plugin.yaml');
});

/** plugin.yaml's V8 flag (bench/RESULTS.md: Node 24's young generation at 1000 workloads). */
const NODE_FLAGS = '--max-semi-space-size=4';

test('plugin commands run the bundled CLI by absolute path, without a shell', () => {
  const cli = Object.entries(image.files).find(([, src]) => src === 'dist/habitat-cmp.cjs')?.[0];
  assert.ok(cli, 'the image does not contain dist/habitat-cmp.cjs');
  const cmds = [plugin.spec.generate!, plugin.spec.parameters!.dynamic!];
  for (const c of cmds) {
    const argv = [...(c.command ?? []), ...(c.args ?? [])];
    // official node images install the binary at /usr/local/bin/node; V8 flags, then the CLI
    assert.equal([argv[0], argv[2]], ['/usr/local/bin/node', cli]);
    assert.equal(argv[1], NODE_FLAGS);
    for (const a of [argv[0]!, argv[2]!]) assert.ok(a.startsWith('/'), `${a} is not absolute`);
    assert.not.ok(/(^|\/)(ba|da|z)?sh$/.test(argv[0]!), 'no shell');
  }
  assert.equal(plugin.spec.generate!.command!.slice(3), ['generate']);
  assert.equal(plugin.spec.parameters!.dynamic!.command!.slice(3), ['parameters']);
});

test('the code cache is written with the V8 flags the plugin commands run with (V8 rejects it otherwise)', () => {
  const docker = readFileSync(join(root, 'Dockerfile'), 'utf8');
  assert.match(docker, new RegExp(`RUN node ${NODE_FLAGS} /opt/habitat-cmp/habitat-cmp\\.cjs --write-code-cache`));
});

test('files in the image are readable by the non-root user', () => {
  for (const c of image.copies) {
    const mode = c.flags.chmod ? parseInt(c.flags.chmod, 8) : undefined;
    if (mode !== undefined) assert.ok((mode & 0o004) !== 0, `COPY ${c.sources.join(' ')} --chmod=${c.flags.chmod} is not world-readable`);
    if (c.flags.chown) assert.not.ok(c.flags.chown.startsWith('999'), 'the plugin user must not own (and so be able to rewrite) its code');
  }
});

test('user 999 (numeric, for runAsNonRoot), HOME=/tmp, entrypoint argocd-cmp-server: same as argocd/', () => {
  assert.is(image.user, '999');
  assert.is(sidecar.securityContext.runAsUser, Number(image.user));
  assert.is(sidecar.securityContext.runAsNonRoot, true);
  assert.is(image.env.HOME, '/tmp');
  const tmpMount = sidecar.volumeMounts.find((m: { mountPath: string }) => m.mountPath === image.env.HOME);
  assert.ok(tmpMount, 'HOME must be on a mounted (writable) volume: the root file system is read-only');
  assert.equal(image.entrypoint, ['/var/run/argocd/argocd-cmp-server']);
  assert.equal(sidecar.command, image.entrypoint);
  const varFiles = sidecar.volumeMounts.find((m: { name: string }) => m.name === 'var-files');
  assert.is(varFiles.mountPath, '/var/run/argocd');
});

test('no package manager left behind or run', () => {
  for (const r of image.runs) {
    assert.not.match(r, /\b(apt-get|apt|npm|yarn|pnpm|corepack)\s+(install|ci|add)\b/, `RUN ${r}`);
  }
  assert.ok(image.runs.some((r) => r.includes('/usr/local/bin/npm')), 'npm is removed from the base image');
});

test('the sidecar image tag is the package version', () => {
  assert.is(sidecar.image, `habitat-cmp:${pkg.version}`);
});

test('the bundle is self-contained: only Node built-ins are required', () => {
  assert.ok(existsSync(BUNDLE), 'dist/habitat-cmp.cjs missing: run `npm run build`');
  const text = readFileSync(BUNDLE, 'utf8');
  // a quote right before `require(` means code inside a string (ajv keeps such snippets), not a call
  const required = new Set([...text.matchAll(/(?<!['"`])\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!));
  assert.ok(required.has('fs') || required.has('node:fs'), 'the scan finds real requires');
  const builtins = new Set(builtinModules);
  const foreign = [...required].filter((r) => !builtins.has(r.replace(/^node:/, '')));
  assert.equal(foreign, [], `non-builtin requires: ${foreign.join(', ')}`);
});

test('the bundle runs alone, as in the image (no node_modules, cwd elsewhere, HOME=/tmp)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'habitat-image-'));
  try {
    const cli = join(dir, 'habitat-cmp.cjs');
    copyFileSync(BUNDLE, cli);
    assert.ok((statSync(BUNDLE).mode & 0o444) !== 0);
    const env = { PATH: process.env.PATH!, HOME: '/tmp' };
    const v = execFileSync(process.execPath, [cli, '--version'], { cwd: dir, env, encoding: 'utf8' });
    assert.match(v, pkg.version);
    const r = spawnSync(process.execPath, [cli, 'render', join(root, 'samples', 'standalone-redis')], { cwd: dir, env, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, 'kind: StatefulSet');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
