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
// workload mix is bench/gen.mjs's). A python3 driver runs each batch and reads every
// child's CPU time and peak RSS from wait4(); without python3 only wall time is reported.
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

// Runs a batch of commands one after the other, stdout a pipe read to the end (as Argo CD
// reads it); per command: wall ms, CPU ms (user + system of the child and its threads, from
// wait4) and peak RSS, plus exit code and the start of stderr.
const DRIVER = `
import json, os, subprocess, sys, tempfile, time
jobs = json.load(sys.stdin)
out = []
for j in jobs:
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(j["cmd"], cwd=j["cwd"], env=j["env"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
        while p.stdout.read(1 << 16):
            pass
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = (time.perf_counter() - t) * 1000
        err.seek(0)
        out.append([wall, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss / 1024, p.returncode, err.read(300).decode("utf-8", "replace")])
json.dump(out, sys.stdout)
`;

/** [{wall, cpu, rss, code, stderr}] per job; without python3, wall only. */
function runBatch(jobs) {
  const py = spawnSync('python3', ['-c', DRIVER], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 64 << 20, env: cleanEnv() });
  if (py.status === 0) return JSON.parse(py.stdout).map(([wall, cpu, rss, code, stderr]) => ({ wall, cpu, rss, code, stderr }));
  return jobs.map((j) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(j.cmd[0], j.cmd.slice(1), { cwd: j.cwd, env: j.env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
    return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: null, rss: null, code: r.status, stderr: String(r.stderr || '').slice(0, 300) };
  });
}

export async function runMonorepo({ root, runtimes, helm, tmp, apps = 200, rounds = 3, log = console.error }) {
  const repo = [];
  for (let i = 0; i < apps; i++) {
    const name = `app-${String(i).padStart(3, '0')}`;
    const fx = generate(join(tmp, name), SIZE_CYCLE[i % SIZE_CYCLE.length], { app: name, namespace: name, kustomize: false });
    repo.push({ ...fx, path: `apps/${name}` });
  }
  const workloads = repo.reduce((a, fx, i) => a + SIZE_CYCLE[i % SIZE_CYCLE.length], 0);
  const tools = [...runtimes.map((rt) => ({ id: `gen:${rt.id}`, name: `${rt.id}: habitat-cmp generate`, job: (fx) => ({ cmd: [rt.bin, ...rt.flags, rt.cli, 'generate'], cwd: fx.habitat, env: argoEnv(rt.bin, fx) }) })), { id: 'helm', name: 'helm template', job: (fx) => ({ cmd: [helm, ...helmTemplateArgs(fx)], cwd: fx.helm, env: cleanEnv() }) }];
  // results[tool][round][app] = {wall, cpu, rss}
  const results = Object.fromEntries(tools.map((t) => [t.id, []]));
  const loadBefore = os.loadavg();
  // one untimed pass over the first apps (page cache, failures)
  const check = runBatch(repo.slice(0, 10).flatMap((fx) => tools.map((t) => t.job(fx))));
  const bad = check.find((r) => r.code !== 0);
  if (bad) throw new Error(`monorepo: a command failed: exit ${bad.code}: ${bad.stderr}`);
  for (let round = 0; round < rounds; round++) {
    // per app, every tool once, the order rotated per app and round: a change of the
    // machine's load during the batch hits all tools alike
    const jobs = [];
    repo.forEach((fx, i) => tools.forEach((_, k) => {
      const t = tools[(k + i + round) % tools.length];
      jobs.push({ t, i, job: t.job(fx) });
    }));
    const rs = runBatch(jobs.map((j) => j.job));
    for (const t of tools) results[t.id][round] = [];
    rs.forEach((r, n) => {
      if (r.code !== 0) throw new Error(`monorepo: ${jobs[n].t.name} failed on ${repo[jobs[n].i].app}: exit ${r.code}: ${r.stderr}`);
      results[jobs[n].t.id][round][jobs[n].i] = r;
    });
    log(`monorepo: round ${round + 1}/${rounds} done, load ${os.loadavg()[0].toFixed(2)}`);
  }
  const loadAfter = os.loadavg();
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const rows = tools.map((t) => {
    const rs = results[t.id];
    const total = median(rs.map((r) => sum(r.map((x) => x.wall))));
    const cpu = rs[0][0].cpu == null ? null : median(rs.map((r) => sum(r.map((x) => x.cpu))));
    const perApp = repo.map((_, i) => median(rs.map((r) => r[i].wall)));
    const sorted = [...perApp].sort((a, b) => a - b);
    return { ...t, total, cpu, perAppMean: total / apps, perAppMedian: median(perApp), p90: sorted[Math.floor(0.9 * (sorted.length - 1))], max: sorted.at(-1), maxrss: rs[0][0].rss == null ? null : Math.max(...rs.flatMap((r) => r.map((x) => x.rss))) };
  });
  const helmRow = rows.find((r) => r.id === 'helm');
  const f = (x, d = 0) => (x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
  const la = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    `## Monorepo: ${apps} apps (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})`,
    '',
    `${apps} apps, ${workloads} workloads in all (sizes cycle ${SIZE_CYCLE.join(', ')}), each rendered by its own process in its own directory with Argo CD's environment, one app after the other as on one busy core; the same apps as Helm charts with \`helm template\` as Argo CD runs it. Medians of ${rounds} round${rounds > 1 ? 's' : ''}; the tools alternate app by app (order rotated). stdout is a pipe read to the end. CPU = user + system time of each process (wait4), so it counts Node's and Go's helper threads too.`,
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
