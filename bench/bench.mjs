#!/usr/bin/env node
// Issue 6: cold-start benchmark of `habitat-cmp render` against `helm template` and
// `kubectl kustomize` on equivalent inputs (see bench/gen.mjs), with `node -e 0` as the
// floor every Node CLI pays. Argo CD runs the plugin as a fresh process per app per
// commit, so every run here is a fresh process too.
//
//   npm run bench                       full run, rewrites the results block of bench/RESULTS.md
//   node bench/bench.mjs --rounds 5 --sizes 1,10,100 --no-write
//   node bench/bench.mjs --profile      also runs bench/profile.mjs (where the time goes)
//
// Options: --rounds N (default 9)  --sizes a,b,c (default 1,10,100,1000)
//          --kustomize-cap S (default 60: a size whose first kustomize run takes longer is
//          not repeated and is reported as "> S s")  --no-write  --keep (keep the temp dir)
// Env: HABITAT_CMP=path/to/habitat-cmp.cjs (default dist/habitat-cmp.cjs, built with
//      `npm run build` when missing and src/cli/main.ts exists), BENCH_RSS=gnu-time|python3|none.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import YAML from 'yaml';
import { kubeTools } from '../scripts/kube-tools.mjs';
import { generate } from './gen.mjs';
import { describeMethod, measure, rssMethod } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'RESULTS.md');
$.verbose = false;
$.quiet = true;

// ------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const flag = (name) => argv.includes(`--${name}`);
const ROUNDS = Number(opt('rounds', 9));
const SIZES = String(opt('sizes', '1,10,100,1000')).split(',').map(Number);
const KUST_CAP_S = Number(opt('kustomize-cap', 60));
const SLOW_MS = 5000; // cells slower than this get at most 3 timed runs (keeps the bench < 5 min)
const SLOW_ROUNDS = 3;

// ------------------------------------------------------------------ commands
const cliPath = process.env.HABITAT_CMP || join(ROOT, 'dist', 'habitat-cmp.cjs');
if (!process.env.HABITAT_CMP && !existsSync(cliPath) && existsSync(join(ROOT, 'src', 'cli', 'main.ts'))) {
  console.error('bench: dist/habitat-cmp.cjs missing, running npm run build');
  await $({ cwd: ROOT, stdio: 'inherit' })`npm run build`;
}
const haveCli = existsSync(cliPath);
if (!haveCli) console.error(`bench: ${cliPath} not found: habitat-cmp is not measured in this run`);

const { helm, kubectl } = kubeTools();

// A clean environment: no Argo CD variables, no NODE_OPTIONS, same for every tool.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ARGOCD_|PARAM_|NODE_OPTIONS$|HABITAT_CMP|KUBE_VERSION$|KUBE_API_VERSIONS$)/.test(k)));

const TOOLS = ['node', 'habitat-cmp', 'helm', 'kustomize'].filter((t) => t !== 'habitat-cmp' || haveCli);
function command(tool, fx) {
  switch (tool) {
    case 'node': return [process.execPath, ['-e', '0']];
    case 'habitat-cmp': return [process.execPath, [cliPath, 'render', fx.habitat]];
    case 'helm': return [helm, ['template', 'bench', fx.helm]];
    case 'kustomize': return [kubectl, ['kustomize', fx.kustomize]];
  }
}

// ------------------------------------------------------------------ fixtures
const tmp = mkdtempSync(join(os.tmpdir(), 'habitat-bench-'));
if (!flag('keep')) process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
else console.error(`bench: fixtures kept in ${tmp}`);
const fixtures = {};
for (const n of SIZES) fixtures[n] = generate(join(tmp, `n${n}`), n);

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

// ------------------------------------------------------------------ check round
// One untimed run per cell: checks exit status and object counts, warms the page
// cache, and decides whether kustomize at this size is too slow to repeat.
const cells = {}; // `${n}/${tool}` -> {samples: [], rss: [], skipped, objects, note}
const key = (n, t) => `${n}/${t}`;
console.error(`bench: RSS via ${rssMethod()}; fixtures in ${tmp}`);
for (const n of SIZES) {
  for (const tool of TOOLS) {
    const [cmd, args] = command(tool, fixtures[n]);
    const out = join(tmp, `out-${n}-${tool}.yaml`);
    const capped = tool === 'kustomize';
    const r = measure(cmd, args, { stdout: out, env, timeoutMs: capped ? KUST_CAP_S * 1000 : 0 });
    const cell = (cells[key(n, tool)] = { samples: [], rss: [], first: r });
    if (r.timedOut) {
      cell.skipped = `> ${KUST_CAP_S} s`;
      cell.note = `killed after ${KUST_CAP_S} s`;
    } else if (r.status !== 0) {
      cell.failed = `exit ${r.status}: ${r.stderr.trim().split('\n').slice(0, 5).join(' | ')}`;
      console.error(`bench: ${tool} at ${n} workloads failed: ${cell.failed}`);
    } else if (capped && r.ms > KUST_CAP_S * 1000) {
      cell.skipped = `> ${KUST_CAP_S} s`;
      cell.note = `single run ${(r.ms / 1000).toFixed(1)} s, ${r.rssMB?.toFixed(0) ?? '?'} MB`;
    }
    if (tool !== 'node' && !cell.failed && !r.timedOut) cell.objects = countKinds(readFileSync(out, 'utf8'));
    rmSync(out, { force: true });
    console.error(`bench: check ${String(n).padStart(4)} ${tool.padEnd(11)} ${r.ms.toFixed(0).padStart(6)} ms${cell.objects ? `  ${cell.objects.total} objects` : ''}${cell.skipped ? `  (${cell.skipped}, not repeated)` : ''}`);
  }
}

// ------------------------------------------------------------------ timed rounds
// Interleaved: every round runs every (size, tool) once, with the order rotated per
// round so no tool always runs right after a particular other one.
const order = SIZES.flatMap((n) => TOOLS.map((t) => [n, t]));
const started = Date.now();
const loadBefore = os.loadavg()[0];
for (let round = 0; round < ROUNDS; round++) {
  const rot = order.map((_, i) => order[(i + round * 3) % order.length]);
  for (const [n, tool] of rot) {
    const cell = cells[key(n, tool)];
    if (cell.skipped || cell.failed) continue;
    if (cell.first.ms > SLOW_MS && cell.samples.length >= SLOW_ROUNDS) continue;
    const [cmd, args] = command(tool, fixtures[n]);
    const r = measure(cmd, args, { env });
    if (r.status !== 0) {
      cell.failed = `exit ${r.status} in round ${round}`;
      continue;
    }
    cell.samples.push(r.ms);
    if (r.rssMB != null) cell.rss.push(r.rssMB);
  }
  console.error(`bench: round ${round + 1}/${ROUNDS} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

// ------------------------------------------------------------------ statistics
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stat = (n, t) => {
  const c = cells[key(n, t)];
  if (!c) return null;
  return { ...c, med: median(c.samples), min: Math.min(...c.samples), max: Math.max(...c.samples), rssMax: c.rss.length ? Math.max(...c.rss) : null, rssMed: median(c.rss) };
};
const fmtMs = (s) => (!s ? 'n/a' : s.failed ? 'FAILED' : s.skipped ? s.skipped : s.med < 100 ? s.med.toFixed(1) : s.med.toFixed(0));
const fmtRange = (s) => (!s || s.failed || s.skipped || !s.samples.length ? '' : `${s.min.toFixed(0)}–${s.max.toFixed(0)}`);
const fmtMB = (s) => (!s || s.failed ? 'n/a' : s.skipped ? (s.first.rssMB != null ? `${s.first.rssMB.toFixed(0)} (1 run)` : 'n/a') : s.rssMax == null ? 'n/a' : s.rssMax.toFixed(0));
const ratio = (a, b) => (a && b && !a.skipped && !b.skipped && !a.failed && !b.failed ? a.med / b.med : null);

// ------------------------------------------------------------------ tables
const lines = [];
lines.push('| workloads | tool | median ms | min–max ms | peak RSS MB | runs |');
lines.push('|---:|---|---:|---:|---:|---:|');
for (const n of SIZES) {
  for (const t of TOOLS) {
    const s = stat(n, t);
    lines.push(`| ${n} | ${t === 'kustomize' ? 'kubectl kustomize' : t === 'helm' ? 'helm template' : t === 'node' ? 'node -e 0' : 'habitat-cmp render'} | ${fmtMs(s)} | ${fmtRange(s)} | ${fmtMB(s)} | ${s.skipped ? 1 : s.samples.length} |`);
  }
}
const table1 = lines.join('\n');

const rl = [];
rl.push('| workloads | habitat-cmp / helm | habitat-cmp / kustomize | habitat-cmp − node -e 0 (ms) | same, best-of-N: / helm, − node (ms) | objects (habitat-cmp / helm / kustomize / expected) |');
rl.push('|---:|---:|---:|---:|---:|---|');
const derived = {};
for (const n of SIZES) {
  const h = stat(n, 'habitat-cmp');
  const hm = stat(n, 'helm');
  const k = stat(n, 'kustomize');
  const nd = stat(n, 'node');
  const rHelm = ratio(h, hm);
  const rKust = ratio(h, k);
  const over = h && nd && !h.failed ? h.med - nd.med : null;
  const ok = (s) => s && !s.failed && !s.skipped && s.samples.length;
  const rHelmMin = ok(h) && ok(hm) ? h.min / hm.min : null;
  const overMin = ok(h) && ok(nd) ? h.min - nd.min : null;
  derived[n] = { rHelm, rKust, over, h, hm, k, nd, rHelmMin, overMin };
  const obj = (s) => (s?.objects ? s.objects.total : s?.skipped ? '—' : 'n/a');
  rl.push(`| ${n} | ${rHelm?.toFixed(2) ?? 'n/a'} | ${rKust != null ? rKust.toFixed(2) : k?.skipped && h?.med ? `< ${(h.med / (KUST_CAP_S * 1000)).toFixed(3)}` : 'n/a'} | ${over?.toFixed(1) ?? 'n/a'} | ${rHelmMin?.toFixed(2) ?? 'n/a'}, ${overMin?.toFixed(1) ?? 'n/a'} | ${obj(h)} / ${obj(hm)} / ${obj(k)} / ${fixtures[n].expected.total} |`);
}
const table2 = rl.join('\n');

// object counts by kind
const ol = [];
const kindsAll = ['Service', 'ConfigMap', 'Secret', 'StatefulSet', 'PodDisruptionBudget'];
ol.push(`| workloads | tool | ${kindsAll.join(' | ')} | other | total | matches expected |`);
ol.push(`|---:|---|${kindsAll.map(() => '---:').join('|')}|---:|---:|---|`);
const mismatches = [];
for (const n of SIZES) {
  const exp = fixtures[n].expected;
  ol.push(`| ${n} | expected | ${kindsAll.map((k) => exp[k]).join(' | ')} | 0 | ${exp.total} | |`);
  for (const t of TOOLS.filter((t) => t !== 'node')) {
    const s = stat(n, t);
    if (!s?.objects) continue;
    const other = Object.entries(s.objects.kinds).filter(([k]) => !kindsAll.includes(k));
    const ok = kindsAll.every((k) => (s.objects.kinds[k] || 0) === exp[k]) && !other.length;
    if (!ok) mismatches.push(`${t} at ${n}`);
    ol.push(`| ${n} | ${t} | ${kindsAll.map((k) => s.objects.kinds[k] || 0).join(' | ')} | ${other.map(([k, v]) => `${k}:${v}`).join(' ') || 0} | ${s.objects.total} | ${ok ? 'yes' : '**no**'} |`);
  }
}
const table3 = ol.join('\n');

// ------------------------------------------------------------------ targets
const tl = [];
const verdict = (ok) => (ok == null ? 'n/a' : ok ? 'PASS' : 'MISS');
const target = (name, value, ok, best = '', okBest = null) => tl.push(`| ${name} | ${value} | ${verdict(ok)} | ${best} | ${best ? verdict(okBest) : ''} |`);
tl.push('| target | median | verdict | best-of-N | verdict |');
tl.push('|---|---:|---|---:|---|');
for (const n of [1, 10]) if (derived[n]) target(`overhead over node -e 0 ≤ 30 ms at ${n}`, derived[n].over != null ? `${derived[n].over.toFixed(1)} ms` : 'n/a', derived[n].over != null ? derived[n].over <= 30 : null, derived[n].overMin != null ? `${derived[n].overMin.toFixed(1)} ms` : '', derived[n].overMin != null ? derived[n].overMin <= 30 : null);
for (const [n, lim] of [[1, 0.9], [10, 0.9], [100, 0.6], [1000, 0.4]]) if (derived[n]) target(`habitat-cmp / helm ≤ ${lim} at ${n}`, derived[n].rHelm?.toFixed(2) ?? 'n/a', derived[n].rHelm != null ? derived[n].rHelm <= lim : null, derived[n].rHelmMin?.toFixed(2) ?? '', derived[n].rHelmMin != null ? derived[n].rHelmMin <= lim : null);
if (derived[1000]) {
  const r = derived[1000].h?.rssMax;
  target('peak RSS ≤ 100 MB at 1000', r != null ? `${r.toFixed(0)} MB` : 'n/a', r != null ? r <= 100 : null);
}
if (derived[10] && derived[100] && derived[1000] && derived[1000].h?.samples.length) {
  // marginal cost per workload; "constant" = the 100→1000 slope is within 1.5x of 10→100
  // (or both under 0.1 ms/workload, where the difference is noise)
  const t10 = derived[10].h.med, t100 = derived[100].h.med, t1000 = derived[1000].h.med;
  const s1 = (t100 - t10) / 90, s2 = (t1000 - t100) / 900;
  derived.slopes = { s1, s2 };
  target('time per added workload constant 100→1000 (slope 100→1000 ≤ 1.5 × slope 10→100)', `${s2.toFixed(3)} vs ${s1.toFixed(3)} ms/workload`, s2 <= 1.5 * Math.max(s1, 0.1 / 1.5));
}
const table4 = tl.join('\n');

// ------------------------------------------------------------------ machine
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (r.stdout || '').trim();
};
const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
const meminfo = readFileSync('/proc/meminfo', 'utf8');
const machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  nproc: sh('nproc', []) || String(os.availableParallelism()),
  cpu: (/^model name\s*:\s*(.*)$/m.exec(cpuinfo) || [])[1] || os.cpus()[0]?.model || 'unknown',
  memory: `${(Number((/^MemTotal:\s*(\d+)/m.exec(meminfo) || [])[1]) / 1024 / 1024).toFixed(1)} GiB`,
  kernel: os.release(),
  node: process.version,
  helm: sh(helm, ['version', '--short']),
  kubectl: sh(kubectl, ['version', '--client']).split('\n').join(', '),
  habitat: haveCli ? `${sh(process.execPath, [cliPath, '--version']) || '?'} (${(readFileSync(cliPath).length / 1024).toFixed(0)} KiB bundle)` : 'not built',
  commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
  rss: describeMethod(),
  load: `${loadBefore.toFixed(2)} before the timed rounds, ${os.loadavg()[0].toFixed(2)} after (1-min load average; other work on the machine inflates and spreads the numbers)`,
};

const block = `<!-- bench:begin (written by bench/bench.mjs; edit outside the markers) -->
## Results (${machine.date})

Machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory} RAM, Linux ${machine.kernel};
node ${machine.node}; helm ${machine.helm}; kubectl ${machine.kubectl};
habitat-cmp ${machine.habitat} at commit ${machine.commit}.
Peak RSS: ${machine.rss}.
Load: ${machine.load}.
${ROUNDS} interleaved rounds after one untimed check run per cell; cells slower than ${SLOW_MS / 1000} s get ${SLOW_ROUNDS} runs.
Verdicts use medians; the best-of-N (minimum) columns estimate the uncontended cost when the machine is shared (load only ever adds time).

### Wall time and memory (fresh process per run)

${table1}

### Ratios

${table2}

### Targets

${table4}

### Object counts (each output parsed as a YAML stream)

${table3}
${mismatches.length ? `\nObject counts differ from the expected set for: ${mismatches.join(', ')}.\n` : '\nAll tools print the same objects by kind, so the comparison is like with like.\n'}${Object.values(cells).filter((c) => c.note).length ? `\nNotes: ${SIZES.filter((n) => cells[key(n, 'kustomize')]?.note).map((n) => `kustomize at ${n}: ${cells[key(n, 'kustomize')].note}`).join('; ')}.\n` : ''}<!-- bench:end -->`;

console.log(block.split('\n').slice(1, -1).join('\n'));

if (!flag('no-write')) {
  let doc = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# habitat-cmp benchmark\n\nSee bench/README section at the top of bench/bench.mjs for how to run.\n\n<!-- bench:begin -->\n<!-- bench:end -->\n';
  const re = /<!-- bench:begin[^]*?<!-- bench:end -->/;
  doc = re.test(doc) ? doc.replace(re, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, doc);
  console.error(`bench: wrote ${RESULTS}`);
}

if (flag('profile')) {
  await $({ cwd: ROOT, stdio: 'inherit' })`node bench/profile.mjs`;
}
