#!/usr/bin/env node
// Where does habitat-cmp's time go? (issue 6, profile-guided pass)
//
//   node bench/profile.mjs [--sizes 1,1000] [--runs 7] [--no-write]
//
// For each size:
//   1. wall: `node -e 0` (the floor), `habitat-cmp --version` (floor + loading and
//      compiling the bundle), `habitat-cmp generate` (everything: the app directory as cwd, Argo CD's env);
//   2. stages: HABITAT_CMP_TIMING=1 makes the CLI print `timing <stage> <ms>` lines on
//      stderr (load, parse, validate, model, render, serialize, total); medians of N runs.
//      Start-up (module load) = wall(--version) - wall(node -e 0); what remains of the
//      render wall after floor + start-up + total is exit/teardown (flushing stdout, GC).
//   3. CPU profile: the CLI rebuilt *unminified* with esbuild into a temp dir (same entry
//      and options as scripts/build.mjs except minify), run under
//      `node --cpu-prof --cpu-prof-interval 100`; self time summed per source module (the
//      bundle's `// path` comments map lines back to src/** and node_modules/<pkg>),
//      plus the top functions. This works whether or not the CLI honours
//      HABITAT_CMP_TIMING.
// Writes the block between <!-- profile:begin --> and <!-- profile:end --> in bench/RESULTS.md
// (--block NAME: another block; --no-write: print only).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { argoEnv, cleanEnv } from './env.mjs';
import { generate } from './gen.mjs';
import { machineLine, writeBlock } from './report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'RESULTS.md');
$.verbose = false;
$.quiet = true;

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const SIZES = String(opt('sizes', '1,1000')).split(',').map(Number);
const RUNS = Number(opt('runs', 7));
const STAGES = ['load', 'parse', 'validate', 'model', 'render', 'serialize', 'total'];

// HABITAT_CMP / HABITAT_CMP_ENTRY: another bundle / entry point (for testing this script)
const cliPath = process.env.HABITAT_CMP || join(ROOT, 'dist', 'habitat-cmp.cjs');
if (!existsSync(cliPath)) {
  if (!existsSync(join(ROOT, 'src', 'cli', 'main.ts'))) {
    console.error('profile: no dist/habitat-cmp.cjs and no src/cli/main.ts yet; nothing to profile');
    process.exit(1);
  }
  await $({ cwd: ROOT, stdio: 'inherit' })`npm run build`;
}

const tmp = mkdtempSync(join(os.tmpdir(), 'habitat-profile-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
// As in bench/bench.mjs: PATH and HOME only, plus Argo CD's variables and the app's
// directory as cwd for `generate` (see bench/env.mjs).
const env = cleanEnv();
const genEnv = (fx) => argoEnv(process.execPath, { app: fx.app, namespace: fx.namespace, path: 'apps/bench' });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length ? (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) : NaN;
};
function run(args, extraEnv = {}, cwd = tmp, baseEnv = env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env: { ...baseEnv, ...extraEnv }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: r.stderr, bytes: Buffer.byteLength(r.stdout) };
}

// ------------------------------------------------------------------ 1+2: wall and stages
const fixtures = Object.fromEntries(SIZES.map((n) => [n, generate(join(tmp, `n${n}`), n)]));
const wall = { floor: [], version: [] };
const perSize = {};
for (const n of SIZES) perSize[n] = { wall: [], stages: Object.fromEntries(STAGES.map((s) => [s, []])), other: {}, bytes: 0 };
const gen = (n, extraEnv = {}) => run([cliPath, 'generate'], extraEnv, fixtures[n].habitat, genEnv(fixtures[n]));
gen(SIZES[0]); // warm the page cache
for (let i = 0; i < RUNS; i++) {
  wall.floor.push(run(['-e', '0']).ms);
  wall.version.push(run([cliPath, '--version']).ms);
  for (const n of SIZES) {
    const r = gen(n, { HABITAT_CMP_TIMING: '1' });
    const p = perSize[n];
    p.wall.push(r.ms);
    p.bytes = r.bytes;
    for (const m of r.stderr.matchAll(/^timing (\S+) ([\d.]+)\s*$/gm)) {
      (p.stages[m[1]] ||= []).push(Number(m[2]));
    }
  }
}
const floor = median(wall.floor);
const startup = median(wall.version) - floor;
const haveTiming = SIZES.some((n) => perSize[n].stages.total.length);

// ------------------------------------------------------------------ 3: CPU profile
// Unminified twin of dist/habitat-cmp.cjs so that profile lines map to modules.
let profBundle = null;
let profNote = '';
try {
  const { build } = await import('esbuild');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  profBundle = join(tmp, 'habitat-cmp.prof.cjs');
  await build({
    entryPoints: [process.env.HABITAT_CMP_ENTRY || join(ROOT, 'src/cli/main.ts')],
    outfile: profBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: false,
    keepNames: false,
    define: { HABITAT_CMP_VERSION: JSON.stringify(version) },
    logLevel: 'error',
    // module paths in the twin are relative to the entry's checkout (an older build's, say)
    absWorkingDir: (process.env.HABITAT_CMP_ENTRY || '').replace(/\/src\/cli\/main\.ts$/, '') || ROOT,
  });
} catch (e) {
  profNote = `unminified profiling build failed (${String(e.message).split('\n')[0]}); profiling the dist bundle without module attribution`;
  profBundle = null;
}
const bundle = profBundle || cliPath;
const bundleLines = readFileSync(bundle, 'utf8').split('\n');
// esbuild (unminified) starts each module with a comment line "// path/to/file.ext"
const marks = [];
bundleLines.forEach((l, i) => {
  const m = /^\s*\/\/ ((?:src|node_modules)\/\S+\.(?:[cm]?[jt]s|json))$/.exec(l);
  if (m) marks.push([i, m[1]]);
});
function moduleOf(url, line) {
  if (!url) return null;
  if (url.startsWith('node:') || !url.startsWith('file://')) return 'node internals';
  if (!url.endsWith(bundle.split('/').pop())) return url.replace(/^file:\/\//, '');
  let lo = 0, hi = marks.length - 1, best = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid][0] <= line) { best = marks[mid][1]; lo = mid + 1; } else hi = mid - 1;
  }
  return best || 'bundle (runtime helpers)';
}
const group = (mod) => {
  if (!mod) return mod;
  const nm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(mod);
  if (nm) return `node_modules/${nm[1]}`;
  const src = /^src\/([^/]+)\//.exec(mod);
  return src ? `src/${src[1]}/` : mod;
};

function cpuProfile(args, fx) {
  const dir = mkdtempSync(join(tmp, 'prof-'));
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, ...args], { cwd: fx ? fx.habitat : tmp, env: fx ? genEnv(fx) : env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) || 0) + (prof.timeDeltas[i] || 0) / 1000));
  const byGroup = new Map();
  const byFn = new Map();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const { callFrame: cf } = byId.get(id);
    totalMs += ms;
    let g;
    if (['(garbage collector)', '(program)', '(idle)', '(root)'].includes(cf.functionName)) g = cf.functionName;
    else g = group(moduleOf(cf.url, cf.lineNumber)) || '(native / V8 builtins)';
    byGroup.set(g, (byGroup.get(g) || 0) + ms);
    const mod = moduleOf(cf.url, cf.lineNumber);
    const fk = `${cf.functionName || '(anonymous)'} — ${mod || cf.functionName}${mod && mod !== 'node internals' ? `:${cf.lineNumber + 1}` : ''}`;
    byFn.set(fk, (byFn.get(fk) || 0) + ms);
  }
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs, groups: sort(byGroup), fns: sort(byFn), spanMs: (prof.endTime - prof.startTime) / 1000 };
}
// several profiled runs per size, summed, to smooth out sampling noise
function profileMany(args, times, fx) {
  const acc = { totalMs: 0, spanMs: 0, groups: new Map(), fns: new Map() };
  for (let i = 0; i < times; i++) {
    const p = cpuProfile(args, fx);
    acc.totalMs += p.totalMs / times;
    acc.spanMs += p.spanMs / times;
    for (const [k, v] of p.groups) acc.groups.set(k, (acc.groups.get(k) || 0) + v / times);
    for (const [k, v] of p.fns) acc.fns.set(k, (acc.fns.get(k) || 0) + v / times);
  }
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return { ...acc, groups: sort(acc.groups), fns: sort(acc.fns) };
}
const profiles = {};
profiles.version = profileMany([bundle, '--version'], 3);
for (const n of SIZES) profiles[n] = profileMany([bundle, 'generate'], n >= 1000 ? 3 : 5, fixtures[n]);

// ------------------------------------------------------------------ report
const f = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : x.toFixed(0)) : 'n/a');
const out = [];
out.push('');
out.push(`## Where the time goes (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, node ${process.version}, ${os.availableParallelism()} CPUs, load ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')})`);
out.push('');
out.push(machineLine(ROOT, cliPath));
out.push('');
out.push(`Bundle: ${(readFileSync(cliPath).length / 1024).toFixed(0)} KiB (dist, minified)${profBundle ? `, ${(readFileSync(profBundle).length / 1024).toFixed(0)} KiB unminified twin used for the CPU profiles` : ''}. Medians of ${RUNS} runs.`);
out.push('');
out.push('| phase | ' + SIZES.map((n) => `${n} workload${n > 1 ? 's' : ''} (ms)`).join(' | ') + ' |');
out.push('|---|' + SIZES.map(() => '---:').join('|') + '|');
out.push(`| node start-up (\`node -e 0\`) | ${SIZES.map(() => f(floor)).join(' | ')} |`);
out.push(`| module load + compile (\`--version\` − \`node -e 0\`) | ${SIZES.map(() => f(startup)).join(' | ')} |`);
if (haveTiming) {
  for (const s of STAGES) out.push(`| ${s === 'total' ? '**in-process total** (`timing total`)' : `stage \`${s}\``} | ${SIZES.map((n) => f(median(perSize[n].stages[s] || []))).join(' | ')} |`);
  const extra = [...new Set(SIZES.flatMap((n) => Object.keys(perSize[n].stages)))].filter((s) => !STAGES.includes(s));
  for (const s of extra) out.push(`| stage \`${s}\` | ${SIZES.map((n) => f(median(perSize[n].stages[s] || []))).join(' | ')} |`);
  out.push(`| rest (exit, stdout flush, untimed glue) | ${SIZES.map((n) => f(median(perSize[n].wall) - floor - startup - median(perSize[n].stages.total))).join(' | ')} |`);
} else {
  out.push(`| render (wall − floor − start-up; HABITAT_CMP_TIMING not honoured) | ${SIZES.map((n) => f(median(perSize[n].wall) - floor - startup)).join(' | ')} |`);
}
out.push(`| **wall, \`habitat-cmp generate\`** | ${SIZES.map((n) => `**${f(median(perSize[n].wall))}**`).join(' | ')} |`);
out.push(`| output size | ${SIZES.map((n) => `${(perSize[n].bytes / 1024).toFixed(0)} KiB`).join(' | ')} |`);
out.push('');
out.push(`CPU profiles (\`--cpu-prof --cpu-prof-interval 100\`, self time per module, averaged over 3–5 runs; ${profNote || 'unminified build, lines mapped to modules'}):`);
out.push('');
const cols = ['version', ...SIZES];
const allGroups = [...new Set(cols.flatMap((c) => profiles[c].groups.filter(([, v]) => v >= 0.5).map(([k]) => k)))];
allGroups.sort((a, b) => (profiles[SIZES.at(-1)].groups.find(([k]) => k === b)?.[1] || 0) - (profiles[SIZES.at(-1)].groups.find(([k]) => k === a)?.[1] || 0));
out.push(`| module (self ms) | \`--version\` | ${SIZES.map((n) => `generate ${n}`).join(' | ')} |`);
out.push(`|---|---:|${SIZES.map(() => '---:').join('|')}|`);
for (const g of allGroups) out.push(`| ${g} | ${cols.map((c) => f(profiles[c].groups.find(([k]) => k === g)?.[1] || 0)).join(' | ')} |`);
out.push(`| **profiled total** | ${cols.map((c) => `**${f(profiles[c].totalMs)}**`).join(' | ')} |`);
for (const n of SIZES) {
  out.push('');
  out.push(`Top functions by self time, generate ${n}:`);
  out.push('');
  out.push('| self ms | function — module:line |');
  out.push('|---:|---|');
  for (const [k, v] of profiles[n].fns.filter(([k]) => !/^\((idle|root)\)/.test(k)).slice(0, 15)) out.push(`| ${f(v)} | ${k.replace(/\|/g, '\\|')} |`);
}
const block = out.slice(1).join('\n');
console.log(block);
// --block NAME writes another marked block (e.g. profile-before for a profile of an older build)
if (!argv.includes('--no-write')) writeBlock(ROOT, opt('block', 'profile'), block);
