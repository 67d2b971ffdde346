#!/usr/bin/env node
// Cold-start benchmark of habitat-cmp as Argo CD's sidecar runs it (issue 13), against
// `helm template` (and `kubectl kustomize`) on equivalent inputs (bench/gen.mjs).
//
// Argo CD starts the plugin as a fresh process per app per commit, so every run here is a
// fresh process, in the environment the sidecar gives it (bench/env.mjs): only PATH and
// HOME (no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS), plus Argo CD's request variables for
// `habitat-cmp generate`, run with the app's directory as cwd. Every round also runs
// `node -e 0` (Node's floor) on each runtime, so the overhead over the floor is measured
// in the same conditions. Runtimes: the Node that runs the tests and Node 24 (the sidecar
// image's major), fetched from npm into ~/.cache/habitat-cmp when missing (bench/runtimes.mjs).
//
//   npm run bench                         full run (≈ 5 min), rewrites the blocks of bench/RESULTS.md
//   npm run bench -- --quick              3 rounds, sizes 1,10,100, 50 monorepo apps, no kustomize, no write
//   node bench/bench.mjs --rounds 5 --sizes 1,10,100 --no-write
//
// Options: --rounds N (default 9)  --sizes a,b,c (default 1,10,100,1000)
//          --no-node24 (test Node only)  --no-kustomize  --kustomize-cap S (default 20: a size
//          whose first kustomize run is slower is not repeated)  --no-monorepo
//          --apps N --monorepo-rounds N (bench/monorepo.mjs)  --profile (also bench/profile.mjs)
//          --wait-quiet L [--wait-max MIN] (wait, up to MIN minutes (60), until the 1-min load average is below L)
//          --no-write  --keep (keep the temp dir)
// Env: HABITAT_CMP=path/to/habitat-cmp.cjs (default dist/, built when missing),
//      HABITAT_CMP_NODE24=/path/to/node (skip the fetch), HABITAT_CMP_CACHE=dir,
//      BENCH_RSS=gnu-time|python3|none.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import YAML from 'yaml';
import { kubeTools } from '../scripts/kube-tools.mjs';
import { argoEnv, cleanEnv, helmTemplateArgs, KUBE_VERSION } from './env.mjs';
import { generate } from './gen.mjs';
import { describeMethod, measure, rssMethod } from './measure.mjs';
import { runMonorepo } from './monorepo.mjs';
import { prepareRuntimes } from './runtimes.mjs';
import { machineLine, median, waitQuiet, writeBlock } from './report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
$.verbose = false;
$.quiet = true;

// ------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const flag = (name) => argv.includes(`--${name}`);
const QUICK = flag('quick');
const ROUNDS = Number(opt('rounds', QUICK ? 3 : 9));
const SIZES = String(opt('sizes', QUICK ? '1,10,100' : '1,10,100,1000')).split(',').map(Number);
const KUSTOMIZE = !flag('no-kustomize') && !QUICK;
const KUST_CAP_S = Number(opt('kustomize-cap', 20));
const WRITE = !flag('no-write') && !QUICK;
const SLOW_MS = 5000; // cells slower than this get at most 3 timed runs
const SLOW_ROUNDS = 3;

// ------------------------------------------------------------------ commands
const cliPath = process.env.HABITAT_CMP || join(ROOT, 'dist', 'habitat-cmp.cjs');
if (!process.env.HABITAT_CMP && !existsSync(cliPath)) {
  console.error('bench: dist/habitat-cmp.cjs missing, running npm run build');
  await $({ cwd: ROOT, stdio: 'inherit' })`npm run build`;
}
const { helm, kubectl } = kubeTools();
const tmp = mkdtempSync(join(os.tmpdir(), 'habitat-bench-'));
if (!flag('keep')) process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
else console.error(`bench: fixtures kept in ${tmp}`);

const runtimes = prepareRuntimes(ROOT, cliPath, join(tmp, 'runtimes'), { node24: !flag('no-node24') });
for (const rt of runtimes) console.error(`bench: ${rt.id}: ${rt.bin} (${rt.version}, ${rt.role}; code cache ${rt.codeCache ? 'made by this Node' : 'missing'})`);

// tool ids: `floor:<rt>`, `gen:<rt>`, `helm`, `kustomize`
const TOOLS = [...runtimes.flatMap((rt) => [`floor:${rt.id}`, `gen:${rt.id}`]), 'helm', ...(KUSTOMIZE ? ['kustomize'] : [])];
const rtOf = (tool) => runtimes.find((rt) => rt.id === tool.split(':')[1]);
const toolName = (tool) => {
  const [kind, id] = tool.split(':');
  return kind === 'floor' ? `${id}: node -e 0` : kind === 'gen' ? `${id}: habitat-cmp generate` : tool === 'helm' ? 'helm template' : 'kubectl kustomize';
};
function command(tool, fx) {
  const [kind] = tool.split(':');
  const rt = rtOf(tool);
  switch (kind) {
    case 'floor': return { cmd: rt.bin, args: ['-e', '0'], env: cleanEnv(rt.bin), cwd: fx.habitat };
    case 'gen': return { cmd: rt.bin, args: [...rt.flags, rt.cli, 'generate'], env: argoEnv(rt.bin, { app: fx.app, namespace: fx.namespace, path: 'apps/bench' }), cwd: fx.habitat };
    case 'helm': return { cmd: helm, args: helmTemplateArgs(fx), env: cleanEnv(), cwd: fx.helm };
    case 'kustomize': return { cmd: kubectl, args: ['kustomize', '.'], env: cleanEnv(), cwd: fx.kustomize };
  }
}

// ------------------------------------------------------------------ fixtures
const fixtures = {};
for (const n of SIZES) fixtures[n] = generate(join(tmp, `n${n}`), n, { kustomize: KUSTOMIZE });

function countKinds(text) {
  const kinds = {};
  let total = 0;
  for (const doc of YAML.parseAllDocuments(text, { uniqueKeys: false })) {
    const o = doc.toJS({ maxAliasCount: -1 });
    if (o == null) continue;
    total++;
    kinds[o.kind] = (kinds[o.kind] || 0) + 1;
  }
  return { total, kinds };
}

if (opt('wait-quiet')) await waitQuiet(Number(opt('wait-quiet')), Number(opt('wait-max', 60)));

// ------------------------------------------------------------------ check round
// One untimed run per cell: exit status, object counts, page cache warm, and whether
// kustomize at this size is too slow to repeat.
const cells = {};
const key = (n, t) => `${n}/${t}`;
console.error(`bench: RSS via ${rssMethod()}; fixtures in ${tmp}`);
for (const n of SIZES) {
  for (const tool of TOOLS) {
    const c = command(tool, fixtures[n]);
    const out = join(tmp, `out-${n}.yaml`);
    const capped = tool === 'kustomize';
    const r = measure(c.cmd, c.args, { stdout: out, env: c.env, cwd: c.cwd, timeoutMs: capped ? KUST_CAP_S * 1000 : 0 });
    const cell = (cells[key(n, tool)] = { samples: [], rss: [], first: r });
    if (r.timedOut) {
      cell.skipped = `> ${KUST_CAP_S} s`;
      cell.note = `killed after ${KUST_CAP_S} s`;
    } else if (r.status !== 0) {
      cell.failed = `exit ${r.status}: ${r.stderr.trim().split('\n').slice(0, 5).join(' | ')}`;
      console.error(`bench: ${toolName(tool)} at ${n} workloads failed: ${cell.failed}`);
    } else if (capped && r.ms > KUST_CAP_S * 1000) {
      cell.skipped = `> ${KUST_CAP_S} s`;
      cell.note = `single run ${(r.ms / 1000).toFixed(1)} s, ${r.rssMB?.toFixed(0) ?? '?'} MB`;
    }
    if (!tool.startsWith('floor') && !cell.failed && !r.timedOut) cell.objects = countKinds(readFileSync(out, 'utf8'));
    rmSync(out, { force: true });
    console.error(`bench: check ${String(n).padStart(4)} ${toolName(tool).padEnd(30)} ${r.ms.toFixed(0).padStart(6)} ms${cell.objects ? `  ${cell.objects.total} objects` : ''}${cell.skipped ? `  (${cell.skipped}, not repeated)` : ''}`);
  }
}

// ------------------------------------------------------------------ timed rounds
// Interleaved: every round runs every (size, tool) once, the order rotated per round.
// The floor of each runtime is measured in every round at every size, so the overhead
// is a paired difference (same round, same moment's machine load).
const order = SIZES.flatMap((n) => TOOLS.map((t) => [n, t]));
const started = Date.now();
const loadBefore = os.loadavg();
for (let round = 0; round < ROUNDS; round++) {
  const rot = order.map((_, i) => order[(i + round * 3) % order.length]);
  for (const [n, tool] of rot) {
    const cell = cells[key(n, tool)];
    if (cell.skipped || cell.failed) continue;
    if (cell.first.ms > SLOW_MS && cell.samples.length >= SLOW_ROUNDS) continue;
    const c = command(tool, fixtures[n]);
    const r = measure(c.cmd, c.args, { env: c.env, cwd: c.cwd });
    if (r.status !== 0) {
      cell.failed = `exit ${r.status} in round ${round}`;
      continue;
    }
    cell.samples[round] = r.ms;
    if (r.rssMB != null) cell.rss.push(r.rssMB);
  }
  console.error(`bench: round ${round + 1}/${ROUNDS} done (${((Date.now() - started) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(2)})`);
}
const loadAfter = os.loadavg();

// ------------------------------------------------------------------ statistics
const vals = (c) => c.samples.filter((x) => x !== undefined);
const stat = (n, t) => {
  const c = cells[key(n, t)];
  if (!c) return null;
  const xs = vals(c);
  return { ...c, n: xs.length, med: median(xs), min: Math.min(...xs), max: Math.max(...xs), rssMax: c.rss.length ? Math.max(...c.rss) : null };
};
const usable = (s) => s && !s.failed && !s.skipped && s.n > 0;
/** Median over rounds of (habitat-cmp − node -e 0), both measured in the same round. */
function pairedOverhead(n, rt) {
  const g = cells[key(n, `gen:${rt.id}`)], f = cells[key(n, `floor:${rt.id}`)];
  if (!usable(stat(n, `gen:${rt.id}`)) || !usable(stat(n, `floor:${rt.id}`))) return null;
  const d = g.samples.map((x, i) => (x !== undefined && f.samples[i] !== undefined ? x - f.samples[i] : undefined)).filter((x) => x !== undefined);
  return d.length ? median(d) : null;
}
/** Median over rounds of habitat-cmp / helm, paired by round. */
function pairedRatio(n, rt) {
  const g = cells[key(n, `gen:${rt.id}`)], h = cells[key(n, 'helm')];
  if (!usable(stat(n, `gen:${rt.id}`)) || !usable(stat(n, 'helm'))) return null;
  const d = g.samples.map((x, i) => (x !== undefined && h.samples[i] !== undefined ? x / h.samples[i] : undefined)).filter((x) => x !== undefined);
  return d.length ? median(d) : null;
}
const fmt = (x, d = 1) => (x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const fmtMs = (s) => (!s ? 'n/a' : s.failed ? 'FAILED' : s.skipped ? s.skipped : s.med < 100 ? s.med.toFixed(1) : s.med.toFixed(0));
const fmtRange = (s) => (usable(s) ? `${s.min.toFixed(0)}–${s.max.toFixed(0)}` : '');
const fmtMB = (s) => (!s || s.failed ? 'n/a' : s.skipped ? (s.first.rssMB != null ? `${s.first.rssMB.toFixed(0)} (1 run)` : 'n/a') : s.rssMax == null ? 'n/a' : s.rssMax.toFixed(0));

// ------------------------------------------------------------------ tables
const t1 = ['| workloads | command | median ms | min–max ms | peak RSS MB | runs |', '|---:|---|---:|---:|---:|---:|'];
for (const n of SIZES) for (const t of TOOLS) {
  const s = stat(n, t);
  t1.push(`| ${n} | ${toolName(t)} | ${fmtMs(s)} | ${fmtRange(s)} | ${fmtMB(s)} | ${s.skipped ? 1 : s.n} |`);
}

const targets = [];
const verdict = (ok) => (ok == null ? 'n/a' : ok ? 'met' : '**not met**');
const t2 = ['| runtime | workloads | generate − `node -e 0` (ms, paired) | generate / helm (paired) | generate / helm (medians) | peak RSS generate / helm (MB) | ms per workload |', '|---|---:|---:|---:|---:|---:|---:|'];
const derived = {};
for (const rt of runtimes) {
  derived[rt.id] = {};
  for (const n of SIZES) {
    const g = stat(n, `gen:${rt.id}`), h = stat(n, 'helm');
    const d = (derived[rt.id][n] = { over: pairedOverhead(n, rt), ratio: pairedRatio(n, rt), ratioMed: usable(g) && usable(h) ? g.med / h.med : null, rss: g?.rssMax, rssHelm: h?.rssMax, med: g?.med });
    t2.push(`| ${rt.id} | ${n} | ${fmt(d.over)} | ${fmt(d.ratio, 2)} | ${fmt(d.ratioMed, 2)} | ${fmt(d.rss, 0)} / ${fmt(d.rssHelm, 0)} | ${usable(g) ? fmt(g.med / n, n >= 100 ? 2 : 1) : 'n/a'} |`);
  }
  const D = derived[rt.id];
  for (const n of [1, 10]) if (D[n]) targets.push([rt.id, `overhead over \`node -e 0\` ≤ 12 ms at ${n}`, `${fmt(D[n].over)} ms`, D[n].over != null ? D[n].over <= 12 : null]);
  for (const [n, lim] of [[1, 0.6], [10, 0.6], [100, 0.5], [1000, 0.25]]) if (D[n]) targets.push([rt.id, `generate / helm ≤ ${lim} at ${n}`, fmt(D[n].ratio, 2), D[n].ratio != null ? D[n].ratio <= lim : null]);
  for (const n of SIZES) if (D[n]) targets.push([rt.id, `peak RSS ≤ helm's at ${n}`, `${fmt(D[n].rss, 0)} vs ${fmt(D[n].rssHelm, 0)} MB`, D[n].rss != null && D[n].rssHelm != null ? D[n].rss <= D[n].rssHelm : null]);
  if (D[1000]) targets.push([rt.id, 'peak RSS ≤ 100 MB at 1000', `${fmt(D[1000].rss, 0)} MB`, D[1000].rss != null ? D[1000].rss <= 100 : null]);
  if (D[10] && D[100] && D[1000] && D[1000].med != null) {
    // linear: the marginal cost per workload does not grow with size (100→1000 within
    // 1.5 × 10→100); a superlinear step (quadratic key checks, say) fails it
    const s1 = (D[100].med - D[10].med) / 90, s2 = (D[1000].med - D[100].med) / 900;
    D.slopes = { s1, s2 };
    targets.push([rt.id, 'time linear in workloads (ms per added workload, 100→1000 ≤ 1.5 × 10→100)', `${s2.toFixed(3)} vs ${s1.toFixed(3)}`, s2 <= 1.5 * Math.max(s1, 0.1 / 1.5)]);
  }
}
const t3 = ['| runtime | target | measured | verdict |', '|---|---|---:|---|', ...targets.map(([rt, name, v, ok]) => `| ${rt} | ${name} | ${v} | ${verdict(ok)} |`)];

const kindsAll = ['Service', 'ConfigMap', 'Secret', 'StatefulSet', 'PodDisruptionBudget'];
const t4 = [`| workloads | command | ${kindsAll.join(' | ')} | other | total | as expected |`, `|---:|---|${kindsAll.map(() => '---:').join('|')}|---:|---:|---|`];
const mismatches = [];
for (const n of SIZES) {
  const exp = fixtures[n].expected;
  t4.push(`| ${n} | expected | ${kindsAll.map((k) => exp[k]).join(' | ')} | 0 | ${exp.total} | |`);
  for (const t of TOOLS.filter((t) => !t.startsWith('floor'))) {
    const s = stat(n, t);
    if (!s?.objects) continue;
    const other = Object.entries(s.objects.kinds).filter(([k]) => !kindsAll.includes(k));
    const ok = kindsAll.every((k) => (s.objects.kinds[k] || 0) === exp[k]) && !other.length;
    if (!ok) mismatches.push(`${toolName(t)} at ${n}`);
    t4.push(`| ${n} | ${toolName(t)} | ${kindsAll.map((k) => s.objects.kinds[k] || 0).join(' | ')} | ${other.map(([k, v]) => `${k}:${v}`).join(' ') || 0} | ${s.objects.total} | ${ok ? 'yes' : '**no**'} |`);
  }
}

const sh = (cmd, args) => (spawnSync(cmd, args, { encoding: 'utf8', env: cleanEnv() }).stdout || '').trim();
const la = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const block = [
  `## Sizes (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})`,
  '',
  machineLine(ROOT, cliPath),
  `Runtimes: ${runtimes.map((rt) => `${rt.id} = ${rt.label} (${rt.role}, \`${rt.bin.replace(os.homedir(), '~')}\`)`).join('; ')}. Each runtime runs its own copy of the CLI with a code cache made by that Node (as the image does).`,
  `helm ${sh(helm, ['version', '--short'])}${KUSTOMIZE ? `; kubectl ${sh(kubectl, ['version', '--client']).split('\n').join(', ')}` : ''}.`,
  `Environment: \`env -i PATH HOME=/tmp\` for every command; \`generate\` adds Argo CD's request variables (ARGOCD_APP_*, KUBE_VERSION=${KUBE_VERSION}, KUBE_API_VERSIONS with ${argoEnv(process.execPath, { app: 'a', namespace: 'a', path: 'a' }).KUBE_API_VERSIONS.split(',').length} entries, ARGOCD_APP_PARAMETERS=null) and runs in the app's directory; \`helm template . --name-template … --namespace … --kube-version … --api-versions …(each) --include-crds\` in the chart's directory, as Argo CD runs it.`,
  `Peak RSS: ${describeMethod()}.`,
  `Load (1/5/15-min averages): ${la(loadBefore)} before the timed rounds, ${la(loadAfter)} after.`,
  `${ROUNDS} interleaved rounds (order rotated per round) after one untimed check run per cell; cells slower than ${SLOW_MS / 1000} s get ${SLOW_ROUNDS} runs. Overheads and ratios are medians of per-round paired values.`,
  '',
  '### Wall time and memory (fresh process per run)',
  '',
  ...t1,
  '',
  '### Against the floor and against helm',
  '',
  ...t2,
  '',
  '### Targets (reported, never asserted in tests)',
  '',
  ...t3,
  '',
  '### Object counts (each output parsed as a YAML stream)',
  '',
  ...t4,
  '',
  mismatches.length ? `Object counts differ from the expected set for: ${mismatches.join(', ')}.` : 'Every command prints the same objects by kind, so the comparison is like with like.',
  ...(SIZES.some((n) => cells[key(n, 'kustomize')]?.note) ? ['', `Notes: ${SIZES.filter((n) => cells[key(n, 'kustomize')]?.note).map((n) => `kustomize at ${n}: ${cells[key(n, 'kustomize')].note}`).join('; ')}.`] : []),
].join('\n');
console.log(block);
if (WRITE) writeBlock(ROOT, 'bench', block);

// ------------------------------------------------------------------ monorepo
if (!flag('no-monorepo')) {
  const mono = await runMonorepo({ root: ROOT, runtimes, helm, tmp: join(tmp, 'monorepo'), apps: Number(opt('apps', QUICK ? 50 : 200)), rounds: Number(opt('monorepo-rounds', QUICK ? 1 : 3)) });
  console.log(mono);
  if (WRITE) writeBlock(ROOT, 'monorepo', `${mono}\n\n${machineLine(ROOT, cliPath)}`);
}
if (flag('profile')) await $({ cwd: ROOT, stdio: 'inherit' })`node bench/profile.mjs`;
