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
import { buildImage, inspectImage, mountImage, ROOT, sandboxArgv } from '../scripts/image.mjs';
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
const baseInfo = await inspectImage(built.base.ref);
const env = Object.fromEntries((info.OCIv1.config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
const baseSize = (await $`buildah images --json ${built.base.ref}`.then((r) => JSON.parse(r.stdout)[0])).size;

// compressed: what a registry stores and a node pulls (gzip layers, as `buildah push` writes them)
const work = mkdtempSync(join(os.tmpdir(), 'habitat-image-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const archive = join(work, 'image.tar');
await $`buildah push --quiet ${built.id} oci-archive:${archive}`;
const compressed = statSync(archive).size;
rmSync(archive);

const { rootfs, release } = await mountImage(built.id, `habitat-cmp-bench-${process.pid}`);
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
  const argoEnv = { ...env, ARGOCD_APP_NAME: 'shop', ARGOCD_APP_NAMESPACE: 'shop', KUBE_VERSION: '1.29.3', KUBE_API_VERSIONS: 'apps/v1,policy/v1,v1' };
  const inImage = (args, cwd = '/tmp/app') => sandboxArgv({ rootfs, tmp, cwd, env: argoEnv, argv: args, uid: 999, gid: 999 });
  const cases = [
    ['sandbox only (`/bin/true`)', inImage(['/bin/true'])],
    ['`node -e 0` (Node floor)', inImage(['/usr/local/bin/node', '-e', '0'])],
    ['`generate`, samples/shop (the image as built)', inImage(['/usr/local/bin/node', '/opt/habitat-cmp/habitat-cmp.cjs', 'generate'])],
    ['`generate` without the code cache', inImage(['/usr/local/bin/node', '/tmp/nocache/habitat-cmp.cjs', 'generate'])],
  ];
  const rows = [];
  for (const [label, cmd] of cases) {
    const runs = [];
    measure(cmd[0], cmd.slice(1), { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } }); // warm the page cache
    for (let i = 0; i < ROUNDS; i++) {
      const r = measure(cmd[0], cmd.slice(1), { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
      if (r.status !== 0) throw new Error(`${label}: exit ${r.status}: ${r.stderr}`);
      runs.push(r);
    }
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const rss = runs.map((r) => r.rssMB).filter((x) => x !== null).sort((a, b) => a - b);
    rows.push({ label, median: ms[Math.floor(ms.length / 2)], min: ms[0], rss: rss.length ? rss[Math.floor(rss.length / 2)] : null });
    console.error(`bench:image: ${label}: median ${rows.at(-1).median.toFixed(0)} ms`);
  }

  const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
  const nodeVersion = env.NODE_VERSION ?? '?';
  const block = `<!-- image:begin (written by bench/image.mjs; edit outside the markers) -->
Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${os.cpus().length} CPUs, ${ROUNDS} runs per row (median, min), Node ${nodeVersion} in the image, base ${built.base.standIn ? `stand-in \`${baseInfo ? built.base.ref : '?'}\` (scripts/image.mjs)` : `\`${built.base.ref}\``}.

| image | size |
|---|---:|
| \`${built.tag}\`, uncompressed (as \`buildah images\`/\`docker images\` count it) | ${mb(built.size)} |
| of which the base image | ${mb(baseSize)} |
| of which the Dockerfile's own layers | ${mb(built.size - baseSize)} |
| compressed (gzip layers, what a registry stores and a node pulls) | ${mb(compressed)} |

| inside the image, fresh process per run | median ms | min ms | peak RSS MB |
|---|---:|---:|---:|
${rows.map((r) => `| ${r.label} | ${r.median.toFixed(0)} | ${r.min.toFixed(0)} | ${r.rss === null ? 'n/a' : r.rss.toFixed(0)} |`).join('\n')}

Wall time includes the sandbox (fresh namespaces, mounts, chroot; first row); peak RSS by ${rssMethod()}.
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
