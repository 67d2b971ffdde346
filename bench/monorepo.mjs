#!/usr/bin/env node
// Monorepo scenario (issue 13): N apps (default 200) in one repository, rendered the way
// Argo CD's sidecar renders them after a commit that touches all of them: one process per
// app, the app's directory as cwd, Argo CD's environment (bench/env.mjs), one after the
// other. The same apps as Helm charts, rendered with `helm template` as Argo CD's
// repo-server runs it, are the comparison. The result is the cost per app that sizing
// advice for repo-servers can rest on (wall per app on an idle core, CPU per app).
//
//   node bench/monorepo.mjs [--apps 200] [--rounds 3] [--no-node24] [--no-write]
//   (npm run bench runs it too, unless --no-monorepo)
//
// App sizes cycle through 1, 2, 3, 1, 2, 4, 6, 1, 3, 10 workloads (3.3 on average; the
// workload mix is bench/gen.mjs's). CPU time is the kernel's account of every process a
// batch started (a python3 driver runs the batch and reads getrusage(RUSAGE_CHILDREN));
// without python3 only wall time is reported.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeTools } from '../scripts/kube-tools.mjs';
import { argoEnv, cleanEnv, helmTemplateArgs } from './env.mjs';
import { generate } from './gen.mjs';
import { machineLine, median, waitQuiet, writeBlock } from './report.mjs';
import { prepareRuntimes } from './runtimes.mjs';

export const SIZE_CYCLE = [1, 2, 3, 1, 2, 4, 6, 1, 3, 10];

// Runs a batch of commands one after the other; prints per-command wall ms, exit codes and
// the children's CPU time and peak RSS (RUSAGE_CHILDREN: every reaped descendant).
const DRIVER = `
import json, resource, subprocess, sys, time
jobs = json.load(sys.stdin)
walls, codes = [], []
for j in jobs:
    t = time.perf_counter()
    r = subprocess.run(j["cmd"], cwd=j["cwd"], env=j["env"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    walls.append((time.perf_counter() - t) * 1000)
    codes.append([r.returncode, r.stderr.decode("utf-8", "replace")[:300]])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"walls": walls, "codes": codes, "cpu": (u.ru_utime + u.ru_stime) * 1000, "maxrss": u.ru_maxrss / 1024}, sys.stdout)
`;

function runBatch(jobs) {
  const py = spawnSync('python3', ['-c', DRIVER], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 64 << 20, env: cleanEnv() });
  if (py.status === 0) return JSON.parse(py.stdout);
  // no python3: wall only
  const walls = [], codes = [];
  for (const j of jobs) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(j.cmd[0], j.cmd.slice(1), { cwd: j.cwd, env: j.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    codes.push([r.status, (r.stderr || '').slice(0, 300)]);
  }
  return { walls, codes, cpu: null, maxrss: null };
}

export async function runMonorepo({ root, runtimes, helm, tmp, apps = 200, rounds = 3, log = console.error }) {
  const repo = [];
  for (let i = 0; i < apps; i++) {
    const name = `app-${String(i).padStart(3, '0')}`;
    const fx = generate(join(tmp, name), SIZE_CYCLE[i % SIZE_CYCLE.length], { app: name, namespace: name, kustomize: false });
    repo.push({ ...fx, path: `apps/${name}` });
  }
  const workloads = repo.reduce((a, fx, i) => a + SIZE_CYCLE[i % SIZE_CYCLE.length], 0);
  const tools = [...runtimes.map((rt) => ({ id: `gen:${rt.id}`, name: `${rt.id}: habitat-cmp generate`, job: (fx) => ({ cmd: [rt.bin, rt.cli, 'generate'], cwd: fx.habitat, env: argoEnv(rt.bin, fx) }) })), { id: 'helm', name: 'helm template', job: (fx) => ({ cmd: [helm, ...helmTemplateArgs(fx)], cwd: fx.helm, env: cleanEnv() }) }];
  const results = Object.fromEntries(tools.map((t) => [t.id, []]));
  const loadBefore = os.loadavg();
  // one untimed pass of each (page cache, failures)
  for (const t of tools) {
    const r = runBatch(repo.slice(0, 10).map(t.job));
    const bad = r.codes.find(([c]) => c !== 0);
    if (bad) throw new Error(`monorepo: ${t.name} failed: exit ${bad[0]}: ${bad[1]}`);
  }
  for (let round = 0; round < rounds; round++) {
    const order = tools.map((_, i) => tools[(i + round) % tools.length]);
    for (const t of order) {
      const r = runBatch(repo.map(t.job));
      const bad = r.codes.find(([c]) => c !== 0);
      if (bad) throw new Error(`monorepo: ${t.name} failed: exit ${bad[0]}: ${bad[1]}`);
      results[t.id].push(r);
      log(`monorepo: round ${round + 1}/${rounds} ${t.name}: ${(r.walls.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s wall, load ${os.loadavg()[0].toFixed(2)}`);
    }
  }
  const loadAfter = os.loadavg();
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const rows = tools.map((t) => {
    const rs = results[t.id];
    const total = median(rs.map((r) => sum(r.walls)));
    const cpu = rs[0].cpu == null ? null : median(rs.map((r) => r.cpu));
    const perApp = rs[0].walls.map((_, i) => median(rs.map((r) => r.walls[i])));
    const sorted = [...perApp].sort((a, b) => a - b);
    return { ...t, total, cpu, perAppMean: total / apps, perAppMedian: median(perApp), p90: sorted[Math.floor(0.9 * (sorted.length - 1))], max: sorted.at(-1), maxrss: rs[0].maxrss == null ? null : Math.max(...rs.map((r) => r.maxrss)) };
  });
  const helmRow = rows.find((r) => r.id === 'helm');
  const f = (x, d = 0) => (x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
  const la = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    `## Monorepo: ${apps} apps (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})`,
    '',
    `${apps} apps, ${workloads} workloads in all (sizes cycle ${SIZE_CYCLE.join(', ')}), each rendered by its own process in its own directory with Argo CD's environment, one app after the other as on one busy core; the same apps as Helm charts with \`helm template\` as Argo CD runs it. Medians of ${rounds} round${rounds > 1 ? 's' : ''} (tools interleaved by batch). CPU = user + system time of every process of the batch (getrusage of the children), so it counts Node's helper threads too.`,
    `Load (1/5/15-min averages): ${la(loadBefore)} before, ${la(loadAfter)} after.`,
    '',
    '| command | total wall s | wall per app ms (mean) | median app ms | p90 app ms | slowest app ms | CPU per app ms | peak RSS MB | wall vs helm |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${f(r.total / 1000, 1)} | ${f(r.perAppMean, 1)} | ${f(r.perAppMedian, 1)} | ${f(r.p90, 1)} | ${f(r.max, 0)} | ${f(r.cpu == null ? null : r.cpu / apps, 1)} | ${f(r.maxrss)} | ${f(r.total / helmRow.total, 2)} |`),
    '',
    ...rows.filter((r) => r.id !== 'helm').map((r) => `${r.name}: ${f(r.perAppMean, 0)} ms wall and ${f(r.cpu == null ? null : r.cpu / apps, 0)} ms CPU per app, i.e. about ${f(60000 / (r.cpu != null ? r.cpu / apps : r.perAppMean))} app renders per minute per fully available core.`),
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ROOT = fileURLToPath(new URL('..', import.meta.url));
  const argv = process.argv.slice(2);
  const opt = (name, dflt) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
  const tmp = mkdtempSync(join(os.tmpdir(), 'habitat-monorepo-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const cliPath = process.env.HABITAT_CMP || join(ROOT, 'dist', 'habitat-cmp.cjs');
  const runtimes = prepareRuntimes(ROOT, cliPath, join(tmp, 'runtimes'), { node24: !argv.includes('--no-node24') });
  if (opt('wait-quiet')) await waitQuiet(Number(opt('wait-quiet')), Number(opt('wait-max', 60)));
  const out = await runMonorepo({ root: ROOT, runtimes, helm: kubeTools().helm, tmp: join(tmp, 'apps'), apps: Number(opt('apps', 200)), rounds: Number(opt('rounds', 3)) });
  console.log(`${machineLine(ROOT, cliPath)}\n\n${out}`);
  if (!argv.includes('--no-write')) writeBlock(ROOT, 'monorepo', `${out}\n\n${machineLine(ROOT, cliPath)}`);
}
