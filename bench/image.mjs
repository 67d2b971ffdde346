#!/usr/bin/env node
// The sidecar image (issue 14): its size, and how long a cold `generate` takes inside it
// with the image's own Node 24, run exactly as in test/image (the image's user,
// read-only root, only /tmp writable, Argo CD's environment, samples/shop). Every run
// is a fresh process, as Argo CD starts one per app per commit.
//
//   npm run bench:image                      builds the image if needed, rewrites the
//                                            "Sidecar image" block of bench/RESULTS.md
//   node bench/image.mjs --rounds 9 --no-write
//
// Needs what `npm run image` needs (Linux, root; buildah is installed when missing).
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { buildImage, imageSize, inspectImage, mountImage, ROOT, sandboxArgv } from '../scripts/image.mjs';
import { measure, rssMethod } from './measure.mjs';

const RESULTS = join(ROOT, 'bench', 'RESULTS.md');
const argv = process.argv.slice(2);
const ROUNDS = Number(argv.includes('--rounds') ? argv[argv.indexOf('--rounds') + 1] : 15);
const WRITE = !argv.includes('--no-write');
$.verbose = false;
$.quiet = true;

if (!existsSync(join(ROOT, 'dist', 'habitat-cmp.cjs'))) await $({ cwd: ROOT })`node scripts/build.mjs`;
const built = await buildImage({ tag: 'localhost/habitat-cmp:bench' });
const info = await inspectImage(built.id);
const env = Object.fromEntries((info.OCIv1.config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
const baseSize = await imageSize(built.base.ref);

// compressed: what a registry stores and a node pulls (gzip layers, as `buildah push` writes them)
const work = mkdtempSync(join(os.tmpdir(), 'habitat-image-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const archive = join(work, 'image.tar');
await $`buildah push --quiet ${built.id} oci-archive:${archive}`;
const compressed = statSync(archive).size;
rmSync(archive);

const { rootfs, release } = await mountImage(built.id, 'bench');
try {
  const tmp = join(work, 'tmp');
  cpSync(join(ROOT, 'samples', 'shop'), join(tmp, 'app'), { recursive: true });
  cpSync(join(ROOT, 'dist', 'habitat-cmp.cjs'), join(tmp, 'nocache', 'habitat-cmp.cjs'));
  const own = (p) => {
    chownSync(p, 999, 999);
    if (lstatSync(p).isDirectory()) for (const n of readdirSync(p)) own(join(p, n));
  };
  own(tmp);
  chmodSync(tmp, 0o777);
  const argoEnv = {
    ...env,
    ARGOCD_APP_NAME: 'shop',
    ARGOCD_APP_NAMESPACE: 'shop',
    KUBE_VERSION: '1.29.3',
    KUBE_API_VERSIONS: 'apps/v1,bitnami.com/v1alpha1,bitnami.com/v1alpha1/SealedSecret,policy/v1,v1',
  };
  // bash's `time` inside the image times the process alone; the sandbox set-up around it
  // (namespaces, mounts) is timed from outside in its own row.
  const timed = (args) => ['/bin/bash', '-c', 'TIMEFORMAT="%3R %3U %3S"; time "$@" > /dev/null', 'timed', ...args];
  const inImage = (args) => sandboxArgv({ rootfs, tmp, cwd: '/tmp/app', env: argoEnv, argv: args, uid: 999, gid: 999 });
  const hostEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  const cases = [
    { label: '`node -e 0` (the floor of any Node CLI)', cmd: ['/usr/local/bin/node', '-e', '0'] },
    { label: '`generate` of samples/shop, the image as built', cmd: ['/usr/local/bin/node', '/opt/habitat-cmp/habitat-cmp.cjs', 'generate'] },
    { label: 'the same without the code cache', cmd: ['/usr/local/bin/node', '/tmp/nocache/habitat-cmp.cjs', 'generate'] },
    { label: `here: Node ${process.versions.node}, \`node -e 0\` (no sandbox), for comparison`, cmd: [process.execPath, '-e', '0'], here: true },
    {
      label: `here: Node ${process.versions.node}, \`generate\` with dist/ (no sandbox)`,
      cmd: [process.execPath, join(ROOT, 'dist', 'habitat-cmp.cjs'), 'generate'],
      here: true,
    },
  ].map((c) => ({ ...c, wall: [], cpu: [], outer: [], rss: [] }));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Round-robin, so that load on a shared machine hits every row alike; round 0 warms the page cache.
  for (let i = 0; i <= ROUNDS; i++) {
    for (const c of cases) {
      const full = c.here ? timed(c.cmd) : inImage(timed(c.cmd));
      const r = measure(full[0], full.slice(1), c.here ? { env: { ...argoEnv, PATH: hostEnv.PATH }, cwd: join(tmp, 'app') } : { env: hostEnv });
      if (r.status !== 0) throw new Error(`${c.label}: exit ${r.status}: ${r.stderr}`);
      if (i === 0) continue;
      const [real, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      c.wall.push(real * 1000);
      c.cpu.push((user + sys) * 1000);
      c.outer.push(r.ms);
      if (r.rssMB !== null) c.rss.push(r.rssMB);
    }
  }
  const rows = cases.map((c) => ({ label: c.label, median: median(c.wall), min: Math.min(...c.wall), cpu: median(c.cpu), outer: c.here ? null : median(c.outer), rss: c.rss.length ? median(c.rss) : null }));
  for (const r of rows) console.error(`bench:image: ${r.label}: median ${r.median.toFixed(0)} ms`);

  const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
  const nodeVersion = env.NODE_VERSION ?? '?';
  const block = `<!-- image:begin (written by bench/image.mjs; edit outside the markers) -->
Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${os.cpus().length} CPUs (load average ${os.loadavg()[0].toFixed(1)} at the end), ${ROUNDS} runs per row (median, min), Node ${nodeVersion} in the image, base ${built.base.standIn ? `the stand-in \`${built.base.ref}\` of scripts/image.mjs` : `\`${built.base.ref}\``}.

| image | size |
|---|---:|
| \`${built.tag}\`, uncompressed (as \`buildah images\`/\`docker images\` count it) | ${mb(built.size)} |
| of which the base image | ${mb(baseSize)} |
| of which the Dockerfile's own layers | ${mb(built.size - baseSize)} |
| compressed (gzip layers, what a registry stores and a node pulls) | ${mb(compressed)} |

| fresh process per run; inside the image as uid 999 unless said | wall median ms | wall min ms | CPU median ms | with the sandbox, wall median ms | peak RSS MB |
|---|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.label} | ${r.median.toFixed(0)} | ${r.min.toFixed(0)} | ${r.cpu.toFixed(0)} | ${r.outer === null ? '' : r.outer.toFixed(0)} | ${r.rss === null ? 'n/a' : r.rss.toFixed(0)} |`).join('\n')}

Wall and CPU (user + system) of the process alone, from bash's \`time\` inside the image; rows
are measured round-robin. "With the sandbox": the whole run from this machine, including fresh
namespaces and mounts, which Kubernetes pays once per container, not per command. Peak RSS:
${rssMethod()}.
<!-- image:end -->`;
  console.log(block);
  if (WRITE) {
    const doc = readFileSync(RESULTS, 'utf8');
    const re = /<!-- image:begin[^]*?<!-- image:end -->/;
    if (!re.test(doc)) throw new Error('bench/RESULTS.md has no image:begin/image:end markers (section "## Sidecar image")');
    writeFileSync(RESULTS, doc.replace(re, block));
    console.error(`bench:image: wrote ${RESULTS}`);
  }
} finally {
  await release();
}
