// The sidecar image itself (issue 14): built from the real Dockerfile by buildah through
// scripts/image.mjs (the code behind `npm run image`), checked from outside (config,
// files, modes, what was removed), then run from inside the way Argo CD runs it: as the
// image's user with a read-only root and only /tmp writable, the commands of the
// plugin.yaml baked into the image, Argo CD's environment. Its output must be the bytes
// that habitat-cmp prints on this machine for the same inputs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, chownSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { parse } from 'yaml';
import { appDetailsEnvEntries, CmpRequestError, execEnv, manifestEnvEntries, parsePluginConfig, type Command, type ManifestRequest, type SpawnSpec } from '../cmp/argocd-cmp';
import { cli, imageLayout, makeRepo, renderFlags, request, ROOT, server, spawnCollect, type CliResult as Run } from '../cmp/habitat';
import { buildImage, inspectImage, mountImage, sandboxArgv, unavailableReason, type OciImage } from '../../scripts/image.mjs';

type Obj = Record<string, any>;

const PLUGIN_YAML = '/home/argocd/cmp-server/config/plugin.yaml';
const CLI = '/opt/habitat-cmp/habitat-cmp.cjs';
const PACKAGE_MANAGERS = ['npm', 'npx', 'corepack', 'yarn', 'yarnpkg'];
const patch = parse(readFileSync(join(ROOT, 'argocd', 'repo-server-habitat-cmp.yaml'), 'utf8'));
const sidecar: Obj = patch.spec.template.spec.containers.find((c: Obj) => c.name === 'habitat-cmp');

interface Mounted {
  rootfs: string;
  config: OciImage['OCIv1']['config'];
  env: Record<string, string>;
  release: () => Promise<unknown>;
}

interface Built {
  image: Mounted;
  base: Mounted;
  /** This machine's side of the image's /tmp (the sidecar's emptyDir). */
  tmp: string;
  uid: number;
  gid: number;
}

let built: Built | undefined;
function need(): Built {
  if (!built) throw new Error('the image was not built (see the first test)');
  return built;
}

function envRecord(env: string[] = []): Record<string, string> {
  return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

async function mounted(ref: string, suffix = ''): Promise<Mounted> {
  const info = await inspectImage(ref);
  assert.ok(info, `${ref} not in local storage`);
  const m = await mountImage(ref, 'test', suffix);
  return { ...m, config: info!.OCIv1.config, env: envRecord(info!.OCIv1.config.Env) };
}

/** USER as the kubelet resolves it: numeric uid; the gid from the image's /etc/passwd. */
function resolveUser(rootfs: string, user: string): { uid: number; gid: number } {
  const [u, g] = user.split(':');
  assert.match(u!, /^\d+$/, `USER ${user} is not numeric: runAsNonRoot needs a numeric user`);
  const line = readFileSync(join(rootfs, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === u);
  return { uid: Number(u), gid: Number(g ?? line?.split(':')[3] ?? 0) };
}

/** This machine's path under the shared tmp -> the same path inside the image. */
function inImage(b: Built, hostPath: string): string {
  const rel = relative(b.tmp, hostPath);
  if (rel.startsWith('..')) throw new Error(`${hostPath} is not under the image's /tmp`);
  return posix.join('/tmp', rel);
}

/** What to spawn on this machine to run `spec` inside the image as its user. */
function wrap(b: Built, spec: SpawnSpec): SpawnSpec {
  return {
    argv: sandboxArgv({ rootfs: b.image.rootfs, tmp: b.tmp, cwd: inImage(b, spec.cwd), env: spec.env, argv: spec.argv, uid: b.uid, gid: b.gid }),
    cwd: '/',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  };
}

/** Runs argv in the image (cwd is a host path under b.tmp) with exactly `env`. */
function runInImage(b: Built, argv: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  const s = wrap(b, { argv, cwd, env });
  return spawnCollect(s.argv, s.cwd, s.env);
}

/** The sidecar's own environment: the image's ENV plus what the kubelet adds. */
function sidecarEnv(b: Built): Record<string, string> {
  return { ...b.image.env, HOSTNAME: 'argocd-repo-server-7d4b9c6f5-x2x9q', KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
}

function imageServer(b: Built) {
  return server({
    pluginYaml: join(b.image.rootfs, PLUGIN_YAML),
    imageFiles: {},
    sidecarEnv: sidecarEnv(b),
    cmpWorkDir: b.tmp,
    owner: { uid: b.uid, gid: b.gid },
    exec: (spec) => wrap(b, spec),
  });
}

/** A copy of an app dir inside the image's /tmp, owned by the image's user (as the sidecar's copy would be). */
function copyIntoTmp(b: Built, src: string, name: string): string {
  const dst = join(b.tmp, 'direct', name);
  rmSync(dst, { recursive: true, force: true });
  cpSync(src, dst, { recursive: true });
  const own = (p: string): void => {
    chownSync(p, b.uid, b.gid);
    if (lstatSync(p).isDirectory()) for (const n of readdirSync(p)) own(join(p, n));
  };
  own(join(b.tmp, 'direct'));
  return dst;
}

/** One plugin.yaml command run directly (no tar transfer): in the image, and here against dist/. */
async function pluginCommandBothWays(b: Built, cmd: Command, appDir: string, entries: string[]): Promise<{ image: Run; local: Run }> {
  const argv = [...(cmd.command ?? []), ...(cmd.args ?? [])];
  const layout = imageLayout();
  const localEnv = execEnv({ PATH: '/usr/local/bin:/usr/bin:/bin', ...layout.env }, entries);
  const [image, local] = await Promise.all([
    runInImage(b, argv, appDir, execEnv(sidecarEnv(b), entries)),
    spawnCollect(
      argv.map((a) => layout.files[a] ?? a),
      appDir,
      localEnv,
    ),
  ]);
  return { image, local };
}

function shopRequest(over: Partial<ManifestRequest> = {}): ManifestRequest {
  return request('samples/shop', { appName: 'shop', namespace: 'shop', ...over });
}

const test = suite('image: the sidecar image, built from the Dockerfile and run as Argo CD runs it');
const why = unavailableReason();

if (why) {
  console.log(`image: SKIPPED, buildah cannot run here: ${why}`);
  test.skip('the sidecar image (buildah)', () => {});
} else {
  test.after(async () => {
    await built?.image.release();
    await built?.base.release();
    if (built) rmSync(built.tmp, { recursive: true, force: true });
  });

  test('builds from the Dockerfile with buildah (chroot isolation, no registry)', async () => {
    const log = (msg: string) => process.stderr.write(`image: ${msg}\n`);
    const r = await buildImage({ tag: 'localhost/habitat-cmp:test', log });
    const image = await mounted(r.id);
    const base = await mounted(r.base.ref, 'base').catch(async (e) => {
      await image.release();
      throw e;
    });
    const tmp = mkdtempSync(join(tmpdir(), 'habitat-cmp-image-tmp-'));
    chmodSync(tmp, 0o777); // an emptyDir
    built = { image, base, tmp, ...resolveUser(image.rootfs, image.config.User ?? '') };
  });

  test('config: user 999 with HOME=/tmp, workdir /tmp, the entrypoint the repo-server patch runs', () => {
    const { image, uid, gid } = need();
    assert.is(image.config.User, String(sidecar.securityContext.runAsUser));
    assert.is(uid, 999);
    assert.is(image.env.HOME, '/tmp');
    assert.is(image.config.WorkingDir, '/tmp');
    assert.equal(image.config.Entrypoint, sidecar.command);
    assert.equal(image.config.Cmd ?? [], [], 'the base image CMD must not leak into the sidecar');
    const passwd = readFileSync(join(image.rootfs, 'etc/passwd'), 'utf8').split('\n').find((l) => l.split(':')[2] === '999');
    assert.ok(passwd, 'no passwd entry for uid 999');
    const [, , , pgid, , home, shell] = passwd!.split(':');
    assert.is(Number(pgid), gid);
    assert.is(gid, 999);
    assert.is(home, '/tmp');
    assert.is(shell, '/usr/sbin/nologin');
    assert.ok(readFileSync(join(image.rootfs, 'etc/group'), 'utf8').split('\n').some((l) => l.split(':')[2] === '999'), 'no group 999');
  });

  test('files the Dockerfile promises: bundle 0755, plugin.yaml 0644, code cache 0644, all root-owned', () => {
    const { image } = need();
    const file = (p: string, mode: number) => {
      const st = lstatSync(join(image.rootfs, p));
      assert.ok(st.isFile(), `${p} is not a regular file`);
      assert.is((st.mode & 0o7777).toString(8), mode.toString(8), `${p} mode`);
      assert.is(`${st.uid}:${st.gid}`, '0:0', `${p} owner`);
      return readFileSync(join(image.rootfs, p));
    };
    assert.ok(file(CLI, 0o755).equals(readFileSync(join(ROOT, 'dist', 'habitat-cmp.cjs'))), 'the bundle differs from dist/habitat-cmp.cjs');
    assert.ok(file(PLUGIN_YAML, 0o644).equals(readFileSync(join(ROOT, 'plugin.yaml'))), 'plugin.yaml differs from the repository');
    const cache = file(`${CLI}.cache`, 0o644);
    assert.ok(cache.length > 0, 'empty code cache');
    assert.not.ok(cache.equals(readFileSync(join(ROOT, 'dist', 'habitat-cmp.cjs.cache'))), 'the code cache was copied, not made by the image');
  });

  test('no package manager is left (the base image has them all)', () => {
    const { image, base } = need();
    const exists = (root: string, p: string) => {
      try {
        lstatSync(join(root, p)); // a dangling symlink counts
        return true;
      } catch {
        return false;
      }
    };
    const onPath = (m: Mounted, name: string) => (m.env.PATH ?? '').split(':').filter((d) => exists(m.rootfs, posix.join(d, name)));
    for (const name of PACKAGE_MANAGERS) {
      assert.ok(onPath(base, name).length > 0, `the base has no ${name}: the check below proves nothing`);
      assert.equal(onPath(image, name), [], `${name} is still on the image's PATH`);
    }
    assert.ok(exists(base.rootfs, 'usr/local/lib/node_modules/npm'));
    assert.not.ok(exists(image.rootfs, 'usr/local/lib/node_modules'), '/usr/local/lib/node_modules is left');
    const yarnDirs = (m: Mounted) => readdirSync(join(m.rootfs, 'opt')).filter((n) => n.startsWith('yarn-'));
    assert.ok(yarnDirs(base).length > 0);
    assert.equal(yarnDirs(image), []);
  });

  test('inside: uid 999 without capabilities, read-only root, /tmp writable, no network', async () => {
    const b = need();
    const script = 'id -u; id -g; id -G; grep CapEff /proc/self/status; touch /opt/x 2>/dev/null || echo root-ro; touch /tmp/w && echo tmp-rw; rm /tmp/w; cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " "';
    const r = await runInImage(b, ['/bin/sh', '-c', script], b.tmp, { PATH: '/usr/bin:/bin' });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, '999\n999\n999\nCapEff:\t0000000000000000\nroot-ro\ntmp-rw\nlo\n');
  });

  test("the image's Node is the base's Node 24, and it accepts the image's code cache (a cache from another Node is rejected)", async () => {
    const b = need();
    const version = await runInImage(b, ['/usr/local/bin/node', '--version'], b.tmp, sidecarEnv(b));
    assert.is(version.stdout, `v${b.base.env.NODE_VERSION}\n`);
    assert.match(version.stdout, /^v24\./);
    // Reports what V8 did with the cached data the CLI's loader hands to vm.Script.
    const probe = join(b.tmp, 'probe.cjs');
    writeFileSync(
      probe,
      `const vm = require('node:vm');
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, opts) {
    super(code, opts);
    if (opts && opts.cachedData) require('node:fs').writeSync(2, 'code cache: ' + (this.cachedDataRejected ? 'rejected' : 'accepted') + '\\n');
  }
};
`,
    );
    chmodSync(probe, 0o644);
    const withProbe = (cli: string) => runInImage(b, ['/usr/local/bin/node', '--require', '/tmp/probe.cjs', cli, 'schema'], b.tmp, sidecarEnv(b));
    const own = await withProbe(CLI);
    assert.is(own.status, 0, own.stderr);
    assert.is(own.stderr, 'code cache: accepted\n');
    assert.ok(JSON.parse(own.stdout), 'schema output');
    if (process.version !== version.stdout.trim()) {
      const other = join(b.tmp, 'other');
      mkdirSync(other, { recursive: true });
      for (const f of ['habitat-cmp.cjs', 'habitat-cmp.cjs.cache']) cpSync(join(ROOT, 'dist', f), join(other, f));
      chmodSync(other, 0o755);
      const foreign = await withProbe('/tmp/other/habitat-cmp.cjs');
      assert.is(foreign.status, 0, foreign.stderr);
      assert.is(foreign.stderr, `code cache: rejected\n`, `a cache made by ${process.version} must not be accepted by ${version.stdout.trim()}`);
    }
  });

  test('generate through the plugin.yaml in the image == local render of samples/shop (bytes)', async () => {
    const b = need();
    const repo = makeRepo('image-repo');
    const cmp = imageServer(b);
    assert.equal(cmp.config.spec.generate?.command, ['/usr/local/bin/node', '--max-semi-space-size=4', CLI, 'generate']);
    const q = shopRequest();
    const [r, local] = await Promise.all([cmp.generate(repo, q), cli(['render', 'samples/shop', ...renderFlags(q)])]);
    assert.is(local.status, 0, local.stderr);
    assert.ok(r.objects.length > 0);
    assert.is(r.rawStdout, local.stdout);
    // an overlay through ARGOCD_ENV_HABITAT_ENV
    const prod = shopRequest({ appName: 'shop-prod', plugin: { name: 'habitat-v1', env: [{ name: 'HABITAT_ENV', value: 'prod' }] } });
    const [rp, lp] = await Promise.all([cmp.generate(repo, prod), cli(['render', 'samples/shop', ...renderFlags(prod, 'prod')])]);
    assert.is(lp.status, 0, lp.stderr);
    assert.is(rp.rawStdout, lp.stdout);
    assert.is.not(rp.rawStdout, r.rawStdout);
  });

  test('parameters (ARGOCD_APP_PARAMETERS) and the parameters command: the same in the image as here', async () => {
    const b = need();
    const repo = makeRepo('image-repo-params');
    const [inImg, here] = [imageServer(b), server()];
    const q = shopRequest({
      plugin: {
        name: 'habitat-v1',
        env: [{ name: 'HABITAT_ENV', value: 'staging' }],
        parameters: [
          { name: 'environment', string: 'prod' },
          { name: 'images', map: { web: 'registry.example.com/shop/web-hab:9.9.9' } },
          { name: 'counts', map: { web: '6' } },
        ],
      },
    });
    const [gi, gh] = await Promise.all([inImg.generate(repo, q), here.generate(repo, q)]);
    assert.is(gi.rawStdout, gh.rawStdout);
    assert.ok(gi.rawStdout.includes('registry.example.com/shop/web-hab:9.9.9'));
    const [pi, ph] = await Promise.all([inImg.parameters(repo, q), here.parameters(repo, q)]);
    assert.equal(pi, ph);
    assert.is(pi.find((a) => a?.name === 'environment')?.string, 'prod');
    // the dynamic command's bytes, and generate's, run directly in a copy of samples/shop
    const cfg = parsePluginConfig(readFileSync(join(b.image.rootfs, PLUGIN_YAML), 'utf8'));
    const app = copyIntoTmp(b, join(ROOT, 'samples', 'shop'), 'shop');
    const params = await pluginCommandBothWays(b, cfg.spec.parameters!.dynamic!, app, appDetailsEnvEntries(q));
    assert.is(params.image.status, 0, params.image.stderr);
    assert.is(params.image.stdout, params.local.stdout);
    assert.ok(Array.isArray(JSON.parse(params.image.stdout)));
    const gen = await pluginCommandBothWays(b, cfg.spec.generate!, app, manifestEnvEntries(q));
    assert.is(gen.image.status, 0, gen.image.stderr);
    assert.is(gen.image.stdout, gen.local.stdout);
    assert.is(gen.image.stdout, gi.rawStdout);
  });

  test('a broken habitat.yaml: the same positioned error in the image as here, exit 1, nothing on stdout', async () => {
    const b = need();
    const repo = makeRepo('image-repo-broken');
    const shop = join(repo, 'samples', 'shop', 'habitat.yaml');
    const text = readFileSync(shop, 'utf8');
    assert.match(text, /^ {4}count:/m);
    writeFileSync(shop, text.replace(/^( {4})count:/m, '$1cout:'));
    const q = shopRequest();
    const local = await cli(['render', '.', ...renderFlags(q)], join(repo, 'samples', 'shop'));
    assert.is(local.status, 1);
    assert.is(local.stdout, '');
    assert.match(local.stderr, /^habitat\.yaml:\d+:\d+: error: unknown key "cout" in services\.\w+; did you mean "count"\? \[schema-unknown-key\]\n/);
    const cfg = parsePluginConfig(readFileSync(join(b.image.rootfs, PLUGIN_YAML), 'utf8'));
    const direct = await pluginCommandBothWays(b, cfg.spec.generate!, copyIntoTmp(b, join(repo, 'samples', 'shop'), 'broken'), manifestEnvEntries(q));
    assert.is(direct.image.status, 1);
    assert.is(direct.image.stdout, '');
    assert.is(direct.image.stderr, local.stderr);
    let err: unknown;
    await imageServer(b)
      .generate(repo, q)
      .catch((e) => (err = e));
    assert.instance(err, CmpRequestError);
    assert.ok((err as Error).message.endsWith(`exit status 1: ${local.stderr.trim()}`), (err as Error).message);
  });
}

test.run();

