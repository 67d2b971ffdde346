#!/usr/bin/env node
// Builds the sidecar image from ./Dockerfile where there is no Docker engine (issue 14):
// Debian's buildah runs the Dockerfile with `--isolation chroot` (the default OCI
// isolation needs a runtime such as crun, which fails in this sandbox: "cgroups in hybrid
// mode not supported") and never pulls.
// When the Dockerfile's base (node:24-bookworm-slim) is not in buildah's local storage,
// a stand-in of the same name and layout is assembled from Debian's and npm's packages:
// the only two registries these machines reach. Ingredients are cached outside the
// repository, so only the first run downloads anything.
//
//   npm run image                                   builds localhost/habitat-cmp:<version>
//   npm run image -- --tag registry.example.com/platform/habitat-cmp:0.1.0
//   buildah push registry.example.com/platform/habitat-cmp:0.1.0   (after `buildah login`)
//
// Needs Linux and root (buildah's storage, the stand-in's rootfs). Installs buildah
// (with netavark) and mmdebstrap with apt-get when they are missing. Cache: $HABITAT_CMP_CACHE, else
// $XDG_CACHE_HOME/habitat-cmp, else ~/.cache/habitat-cmp; here the image/ folder.
// Exports the pieces the image test and bench/image.mjs use.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $, which } from 'zx';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
$.verbose = false;
$.quiet = true;

/**
 * What the stand-in is made of. Versions are pinned so a cached stand-in stays valid;
 * `revision` changes whenever the assembly below does, and a stand-in in local storage
 * from another recipe is rebuilt.
 */
export const STAND_IN = {
  image: 'node:24-bookworm-slim',
  suite: 'bookworm',
  // `npm install node@24` resolves to 24.21.0, whose install script fetches the
  // platform package node-linux-<arch>@24.21.0; we take that package directly.
  node: '24.21.0',
  npm: '11.19.0', // the npm that Node 24.21.0 bundles
  corepack: '0.34.7',
  yarn: '1.22.22', // YARN_VERSION of the official image
  revision: 2,
};
export const STAND_IN_LABEL = 'habitat-cmp.stand-in';
const DEBIAN_MIRROR = process.env.HABITAT_CMP_DEBIAN_MIRROR || 'http://deb.debian.org/debian';

/** The build machine cannot run buildah at all (as opposed to a failing build). */
export class ImageUnavailable extends Error {}

const stderrLog = (msg) => process.stderr.write(`image: ${msg}\n`);

export function cacheDir() {
  const base = process.env.HABITAT_CMP_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'habitat-cmp');
  return join(base, 'image');
}

const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Why this machine cannot build here, or null. */
export function unavailableReason() {
  if (process.platform !== 'linux') return `buildah needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'building needs root (buildah storage and the stand-in rootfs); run as root';
  if (!which.sync('buildah', { nothrow: true }) && !which.sync('apt-get', { nothrow: true })) return 'buildah is not installed and there is no apt-get to install it';
  return null;
}

/**
 * apt-get installs what is missing: `needs` maps a command (or an absolute path) to the
 * Debian package that provides it. Says what it installed.
 */
export async function ensureCommands(needs, log = stderrLog) {
  const missing = Object.entries(needs).filter(([what]) => (what.startsWith('/') ? !existsSync(what) : !which.sync(what, { nothrow: true })));
  if (missing.length === 0) return;
  const why = unavailableReason();
  if (why) throw new ImageUnavailable(why);
  const pkgs = [...new Set(missing.map(([, pkg]) => pkg))];
  const t0 = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = ['-y', '-o', 'DPkg::Lock::Timeout=300']; // wait for another apt instead of failing
  const install = () => $({ env, nothrow: true })`apt-get ${apt} install --no-install-recommends ${pkgs}`;
  let r = await install();
  if (r.exitCode !== 0) {
    // a fresh machine may have no (or stale) package lists
    await $({ env, nothrow: true })`apt-get ${apt} update`;
    r = await install();
  }
  if (r.exitCode !== 0) throw new Error(`apt-get install ${pkgs.join(' ')} failed:\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  log(`installed ${pkgs.join(', ')} with apt-get (${seconds(t0)})`);
}

// Debian's buildah 1.28 with no CNI network configured looks for netavark, even with
// chroot isolation, and fails without it; apt leaves it out with --no-install-recommends.
const BUILDAH = { buildah: 'buildah', '/usr/lib/podman/netavark': 'netavark' };

/** The final stage's base image as written in the Dockerfile (ARG defaults resolved). */
export function dockerfileBase(dockerfile = join(ROOT, 'Dockerfile')) {
  const text = readFileSync(dockerfile, 'utf8');
  const args = Object.fromEntries([...text.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));
  const froms = [...text.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  if (froms.length === 0) throw new Error('Dockerfile has no FROM');
  return froms.at(-1).replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
}

/** docker.io/library/ for official short names: the name `FROM` resolves to. */
export function qualify(ref) {
  const first = ref.split('/')[0];
  if (!ref.includes('/')) return `docker.io/library/${ref}`;
  if (!/[.:]/.test(first) && first !== 'localhost') return `docker.io/${ref}`;
  return ref;
}

/** `buildah inspect` of an image in local storage, or null when there is no such image. */
export async function inspectImage(ref) {
  const r = await $({ nothrow: true })`buildah inspect --type image ${ref}`;
  if (r.exitCode === 0) return JSON.parse(r.stdout);
  if (/image not known/.test(r.stderr)) return null;
  throw new Error(`buildah inspect ${ref} failed: ${r.stderr.trim()}`);
}

export function standInKey() {
  return createHash('sha256').update(JSON.stringify(STAND_IN)).digest('hex').slice(0, 16);
}

/** Makes sure the Dockerfile's base is in local storage: the real one if present, else the stand-in. */
export async function ensureBase(log = stderrLog) {
  const base = dockerfileBase();
  const ref = qualify(base);
  const found = await inspectImage(ref);
  const label = found?.OCIv1?.config?.Labels?.[STAND_IN_LABEL];
  if (found && !label) {
    log(`base: ${base} is in local storage (not a stand-in), used as is`);
    return { ref, standIn: false };
  }
  if (found && label === standInKey()) {
    log(`base: stand-in ${base} (Node ${STAND_IN.node}) is in local storage`);
    return { ref, standIn: true };
  }
  if (qualify(STAND_IN.image) !== ref) {
    throw new Error(`the Dockerfile builds on ${base}, but the stand-in recipe is for ${STAND_IN.image}: update STAND_IN in scripts/image.mjs, or put ${base} into buildah's storage (buildah pull)`);
  }
  log(found ? `base: the stand-in ${base} in local storage is from another recipe; rebuilding it` : `base: ${base} is not in local storage and there is no registry; assembling a stand-in`);
  await assembleStandIn(ref, log);
  return { ref, standIn: true };
}

// ------------------------------------------------------------------ the stand-in

/**
 * Debian minbase rootfs, slimmed like the official *-slim images, as a cached tarball.
 * mmdebstrap rather than debootstrap: the same packages from the same archive, but it
 * resolves and downloads with apt; measured here it needs half of debootstrap's CPU
 * time (40 s against 85 s), which is most of a cold build.
 */
async function debianRootfs(log) {
  const file = join(cacheDir(), `debian-${STAND_IN.suite}-minbase-r${STAND_IN.revision}.tar`);
  if (existsSync(file)) {
    log(`base: Debian ${STAND_IN.suite} rootfs from the cache (${file})`);
    return file;
  }
  await ensureCommands({ mmdebstrap: 'mmdebstrap' }, log);
  mkdirSync(cacheDir(), { recursive: true });
  const work = mkdtempSync(join(cacheDir(), 'bootstrap-'));
  const rootfs = join(work, 'rootfs');
  const t0 = Date.now();
  try {
    // merged /usr by directory symlinks plus the usr-is-merged package, as debootstrap and
    // the official images do; mmdebstrap's default for bookworm installs usrmerge, which
    // pulls in 46 MB of Perl that bookworm-slim does not have.
    const r = await $({ nothrow: true })`mmdebstrap --quiet --mode=root --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr ${STAND_IN.suite} ${rootfs} ${DEBIAN_MIRROR}`;
    if (r.exitCode !== 0) throw new Error(`mmdebstrap failed:\n${(r.stdout + r.stderr).trim().split('\n').slice(-8).join('\n')}`);
    slimRootfs(rootfs);
    await $`tar --numeric-owner -C ${rootfs} -cf ${join(work, 'rootfs.tar')} .`;
    renameSync(join(work, 'rootfs.tar'), file);
    for (const old of readdirSync(cacheDir())) if (/^debian-.*\.tar$/.test(old) && join(cacheDir(), old) !== file) rmSync(join(cacheDir(), old));
  } finally {
    await removeTree(work);
  }
  log(`base: Debian ${STAND_IN.suite} (minbase) bootstrapped from ${DEBIAN_MIRROR} with mmdebstrap (${seconds(t0)}), cached as ${file}`);
  return file;
}

/** rm -rf that never follows a mount out of the tree (a failed bootstrap may leave /proc or /dev mounted in it). */
async function removeTree(dir) {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p) => p && (p === dir || p.startsWith(dir + '/')))
    .sort()
    .reverse();
  for (const m of mounts) await $({ nothrow: true })`umount -l ${m}`;
  await $({ nothrow: true })`rm -rf --one-file-system ${dir}`;
}

function emptyDir(dir, keep = () => false) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (!keep(name)) rmSync(join(dir, name), { recursive: true, force: true });
}

/** What debuerreotype does for the -slim variants, plus what the bootstrap copied from this host. */
function slimRootfs(rootfs) {
  const at = (p) => join(rootfs, p);
  for (const d of ['usr/share/man', 'usr/share/info', 'usr/share/groff', 'usr/share/lintian', 'usr/share/linda', 'usr/share/locale']) emptyDir(at(d));
  for (const pkg of existsSync(at('usr/share/doc')) ? readdirSync(at('usr/share/doc')) : []) emptyDir(at(`usr/share/doc/${pkg}`), (n) => n === 'copyright');
  for (const d of ['dev', 'proc', 'sys', 'run', 'tmp', 'var/lib/apt/lists', 'var/log']) emptyDir(at(d));
  emptyDir(at('var/cache/apt/archives'), (n) => !n.endsWith('.deb'));
  for (const f of ['etc/hostname', 'etc/resolv.conf']) rmSync(at(f), { force: true });
  mkdirSync(at('etc/dpkg/dpkg.cfg.d'), { recursive: true });
  writeFileSync(
    at('etc/dpkg/dpkg.cfg.d/docker'),
    ['# slim image: later package installs leave these out too', ...['doc/*', 'man/*', 'info/*', 'groff/*', 'lintian/*', 'linda/*', 'locale/*'].map((p) => `path-exclude /usr/share/${p}`), 'path-include /usr/share/doc/*/copyright', ''].join('\n'),
  );
}

/** An npm package tarball (`npm pack`), cached. */
async function npmTarball(name, version, log) {
  const dir = join(cacheDir(), 'npm');
  const file = join(dir, `${name}-${version}.tgz`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'pack-'));
  const t0 = Date.now();
  try {
    const out = await $({ cwd: work })`npm pack --silent ${`${name}@${version}`} --pack-destination ${work}`;
    renameSync(join(work, out.stdout.trim().split('\n').at(-1)), file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`base: ${name}@${version} from the npm registry (${seconds(t0)}), cached`);
  return file;
}

// A stand-in for the official image's docker-entrypoint.sh: arguments that are options
// or not a command are given to node.
const ENTRYPOINT_SH = `#!/bin/sh
set -e
if [ "\${1#-}" != "$1" ] || ! command -v -- "$1" > /dev/null 2>&1; then
  set -- node "$@"
fi
exec "$@"
`;

const NODE_ARCH = { x64: ['x64', 'linux-x86_64'], arm64: ['arm64', 'linux-aarch64'] };

/** The official image's layout: Node's release tree in /usr/local, yarn in /opt, user node (1000). */
async function assembleStandIn(ref, log) {
  const [arch, opensslArch] = NODE_ARCH[process.arch] ?? [];
  if (!arch) throw new Error(`no Node package for ${process.arch}`);
  await ensureCommands(BUILDAH, log);
  const rootfsTar = await debianRootfs(log);
  const [node, npm, corepack, yarn] = await Promise.all([
    npmTarball(`node-linux-${arch}`, STAND_IN.node, log),
    npmTarball('npm', STAND_IN.npm, log),
    npmTarball('corepack', STAND_IN.corepack, log),
    npmTarball('yarn', STAND_IN.yarn, log),
  ]);
  const tgz = { node, npm, corepack, yarn };
  const t0 = Date.now();
  const ctr = (await $`buildah from --pull=never scratch`).stdout.trim();
  try {
    const mnt = (await $`buildah mount ${ctr}`).stdout.trim();
    const at = (p) => join(mnt, p);
    await $`tar --numeric-owner -xf ${rootfsTar} -C ${mnt}`;
    const untar = async (file, dest) => {
      mkdirSync(at(dest), { recursive: true });
      await $`tar -xzf ${file} -C ${at(dest)} --strip-components=1 --no-same-owner`;
    };
    await untar(tgz.node, 'usr/local');
    rmSync(at('usr/local/package.json')); // the npm wrapper's, not part of Node's release tree
    // the official image keeps only this machine's OpenSSL headers
    emptyDir(at('usr/local/include/node/openssl/archs'), (n) => n === opensslArch);
    await untar(tgz.npm, 'usr/local/lib/node_modules/npm');
    await untar(tgz.corepack, 'usr/local/lib/node_modules/corepack');
    await untar(tgz.yarn, `opt/yarn-v${STAND_IN.yarn}`);
    const links = {
      npm: '../lib/node_modules/npm/bin/npm-cli.js',
      npx: '../lib/node_modules/npm/bin/npx-cli.js',
      corepack: '../lib/node_modules/corepack/dist/corepack.js',
      nodejs: '/usr/local/bin/node',
      yarn: `/opt/yarn-v${STAND_IN.yarn}/bin/yarn`,
      yarnpkg: `/opt/yarn-v${STAND_IN.yarn}/bin/yarnpkg`,
    };
    for (const [name, target] of Object.entries(links)) symlinkSync(target, at(`usr/local/bin/${name}`));
    writeFileSync(at('usr/local/bin/docker-entrypoint.sh'), ENTRYPOINT_SH);
    chmodSync(at('usr/local/bin/docker-entrypoint.sh'), 0o755);
    await $`buildah umount ${ctr}`;
    // user node as in the official image, and its smoke tests: every tool starts
    const setup = 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node && node --version && npm --version && yarn --version && corepack --version && rm -rf /tmp/*';
    const smoke = await $`buildah run --isolation chroot ${ctr} -- sh -ec ${setup}`;
    const config = [
      ['--env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['--env', `NODE_VERSION=${STAND_IN.node}`],
      ['--env', `YARN_VERSION=${STAND_IN.yarn}`],
      ['--entrypoint', '["docker-entrypoint.sh"]'],
      ['--cmd', '["node"]'],
      ['--label', `${STAND_IN_LABEL}=${standInKey()}`],
    ].flat();
    await $`buildah config ${config} ${ctr}`;
    await $`buildah commit --rm ${ctr} ${ref}`;
    log(`base: stand-in ${ref} committed (${seconds(t0)}); node, npm, yarn, corepack: ${smoke.stdout.trim().split('\n').join(', ')}`);
  } catch (e) {
    await $({ nothrow: true })`buildah rm ${ctr}`;
    throw e;
  }
}

// ------------------------------------------------------------------ the image

/** Sizes of an image's layers in local storage, in bytes (uncompressed tars, what `docker images` adds up). */
export async function layerSizes(ref) {
  const info = await inspectImage(ref);
  if (!info) throw new Error(`${ref} is not in local storage`);
  return JSON.parse(info.Manifest).layers.map((l) => l.size);
}

export async function imageSize(ref) {
  return (await layerSizes(ref)).reduce((a, b) => a + b, 0);
}

/**
 * The whole build: tools, base, then `buildah bud` on the real Dockerfile. `--layers`
 * caches each step, so a rebuild with an unchanged bundle takes seconds.
 */
export async function buildImage({ tag = `localhost/habitat-cmp:${packageVersion()}`, log = stderrLog } = {}) {
  const why = unavailableReason();
  if (why) throw new ImageUnavailable(why);
  if (!existsSync(join(ROOT, 'dist', 'habitat-cmp.cjs'))) throw new Error('dist/habitat-cmp.cjs is missing: run `npm run build` first');
  await ensureCommands(BUILDAH, log);
  const base = await ensureBase(log);
  const t0 = Date.now();
  mkdirSync(cacheDir(), { recursive: true });
  const work = mkdtempSync(join(cacheDir(), 'bud-'));
  try {
    const iid = join(work, 'iid');
    const r = await $({ cwd: ROOT, nothrow: true })`buildah bud --isolation chroot --pull=never --layers --iidfile ${iid} -t ${tag} -f Dockerfile .`;
    if (r.exitCode !== 0) throw new Error(`buildah bud failed:\n${(r.stdout + r.stderr).trim().split('\n').slice(-15).join('\n')}`);
    const id = readFileSync(iid, 'utf8').trim().replace(/^sha256:/, '');
    const size = await imageSize(id);
    log(`built ${tag} (${id.slice(0, 12)}, ${(size / 1e6).toFixed(0)} MB) from the Dockerfile with buildah bud --isolation chroot (${seconds(t0)})`);
    return { id, tag, size, base };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function packageVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
}

// ------------------------------------------------------------------ running inside

const CONTAINER_NAME = /^habitat-cmp-[a-z]+-(\d+)(?:-|$)/;

/** Containers of killed test or bench runs (named habitat-cmp-<what>-<pid>…, that pid gone) are still mounted: remove them. */
async function removeStaleContainers() {
  const r = await $({ nothrow: true })`buildah containers --json`;
  for (const c of (r.exitCode === 0 && JSON.parse(r.stdout)) || []) {
    const pid = Number(CONTAINER_NAME.exec(c.containername)?.[1] ?? 0);
    if (pid && !alive(pid)) await $({ nothrow: true })`buildah rm ${c.containername}`;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * A container of `image` named habitat-cmp-<what>-<this pid>[-<suffix>], its rootfs
 * mounted on this machine; `release()` removes both.
 */
export async function mountImage(image, what, suffix = '') {
  await removeStaleContainers();
  const name = `habitat-cmp-${what}-${process.pid}${suffix ? `-${suffix}` : ''}`;
  await $({ nothrow: true })`buildah rm ${name}`;
  await $`buildah from --pull=never --name ${name} ${image}`;
  const rootfs = (await $`buildah mount ${name}`).stdout.trim();
  return { rootfs, release: () => $({ nothrow: true })`buildah rm ${name}` };
}

// Runs as root in fresh mount/pid/net/ipc/uts namespaces, so nothing it mounts outlives
// it: the rootfs read-only and nosuid, TMP as the only writable place at /tmp (the
// sidecar's emptyDir), a new /proc and a minimal /dev. The command itself runs as a
// child (not pid 1, as under argocd-cmp-server) and its status is passed on.
const SANDBOX_SETUP = `
root=$1 tmp=$2; shift 2
mount --bind "$tmp" "$root/tmp"
mount -o remount,bind,nosuid,nodev "$root/tmp"
mount -o remount,bind,ro,nosuid,nodev "$root"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t tmpfs -o nosuid,noexec,mode=0755 dev "$root/dev"
for d in null zero full random urandom; do : > "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"; done
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"; ln -s /proc/self/fd/1 "$root/dev/stdout"; ln -s /proc/self/fd/2 "$root/dev/stderr"
mkdir "$root/dev/shm"; mount -t tmpfs -o nosuid,nodev,noexec,mode=1777 shm "$root/dev/shm"
"$@"
`;

let unsharePath;
/**
 * argv (to spawn as root) that runs `argv` in `rootfs` as uid:gid with cwd `cwd` (a path
 * inside the image) and exactly the environment `env`: no shell touches it, env -i
 * sets it, and unshare chroots, drops to the user (and its supplementary groups) and execs.
 */
export function sandboxArgv({ rootfs, tmp, cwd, env, argv, uid, gid }) {
  unsharePath ??= which.sync('unshare');
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [
    unsharePath, '--mount', '--pid', '--fork', '--kill-child', '--net', '--ipc', '--uts', '--',
    '/bin/sh', '-ec', SANDBOX_SETUP, 'sandbox', rootfs, tmp,
    '/usr/bin/env', '-i', ...vars,
    unsharePath, `--root=${rootfs}`, `--wd=${cwd}`, `--setgid=${gid}`, `--setuid=${uid}`, '--', ...argv,
  ];
}

// ------------------------------------------------------------------ CLI

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const ti = args.indexOf('--tag');
  const tag = ti >= 0 ? args[ti + 1] : undefined;
  if (args.includes('--help') || (ti >= 0 && !tag)) {
    console.log('usage: npm run image [-- --tag NAME[:TAG]]   (default localhost/habitat-cmp:<package version>)');
    process.exit(ti >= 0 && !tag ? 2 : 0);
  }
  try {
    const built = await buildImage({ tag });
    console.log(built.tag);
    stderrLog(`push it with: buildah push ${built.tag} docker://<registry>/<repository>:<tag> (after buildah login <registry>)`);
  } catch (e) {
    stderrLog(`error: ${e.message}`);
    process.exit(1);
  }
}
