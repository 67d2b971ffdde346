// Wall time and peak RSS of one child process.
//
// Peak RSS must come from the kernel's accounting of the *child* (ru_maxrss as returned
// by wait4()). Node cannot read it: spawnSync() reaps the child without exposing its
// rusage, and process.resourceUsage() is the calling process only. Polling
// /proc/<pid>/status (VmHWM) misses whatever happens between the last poll and exit,
// so it is only a lower bound. We therefore use, in this order:
//
//   1. GNU time:  /usr/bin/time -f %M -o FILE cmd...   (ru_maxrss of the child, KiB)
//   2. python3:   a 6-line wrapper that runs the child with subprocess and then reads
//                 resource.getrusage(RUSAGE_CHILDREN).ru_maxrss (same wait4() number;
//                 the wrapper itself is never counted, RUSAGE_CHILDREN is reaped kids only)
//   3. neither:   wall time only, RSS reported as n/a.
//
// Wall time is measured here with hrtime around spawnSync (method 1 and 3; GNU time adds
// one fork+exec, ~1 ms, to every command alike) or inside the python wrapper around
// the child alone (method 2, so python's own start-up is not counted).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PY_WRAPPER = `
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=open(sys.argv[1], 'wb'))
ms = (time.perf_counter() - t) * 1000
sys.stderr.write("\\n__RUSAGE__ %d %.3f %d\\n" % (rc, ms, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
`;

let scratch;
function scratchDir() {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'habitat-bench-rss-'));
    process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  }
  return scratch;
}

function works(cmd, args) {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 10000 }).status === 0;
  } catch {
    return false;
  }
}

let method;
/** 'gnu-time' | 'python3' | 'none' (override with BENCH_RSS=gnu-time|python3|none). */
export function rssMethod() {
  if (method) return method;
  const forced = process.env.BENCH_RSS;
  if (forced) return (method = forced);
  const probe = join(scratchDir(), 'probe');
  if (existsSync('/usr/bin/time') && works('/usr/bin/time', ['-f', '%M', '-o', probe, 'true']) && /^\d+\s*$/.test(readFileSync(probe, 'utf8'))) {
    method = 'gnu-time';
  } else if (works('python3', ['-c', 'import resource, subprocess'])) {
    method = 'python3';
  } else {
    method = 'none';
  }
  return method;
}

export function describeMethod() {
  return {
    'gnu-time': 'GNU time -f %M (ru_maxrss of the child from wait4); wall = hrtime around spawnSync',
    python3: 'python3 wrapper, getrusage(RUSAGE_CHILDREN).ru_maxrss after the child is reaped; wall measured inside the wrapper',
    none: 'no GNU time and no python3: wall only (hrtime around spawnSync), RSS not measured',
  }[rssMethod()];
}

/**
 * Runs cmd once. stdout goes to `stdout`: a file path, or 'pipe' (the default: a pipe
 * read and discarded by this process, as Argo CD reads the plugin's stdout).
 * Returns {ms, rssMB (or null), status, stderr, timedOut}.
 */
export function measure(cmd, args, { stdout = 'pipe', timeoutMs = 0, env = process.env, cwd } = {}) {
  const m = rssMethod();
  const opts = { cwd, env, maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs || undefined, killSignal: 'SIGKILL' };
  if (m === 'python3') {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('python3', ['-c', PY_WRAPPER, stdout === 'pipe' ? '/dev/null' : stdout, cmd, ...args], { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
    const outer = Number(process.hrtime.bigint() - t0) / 1e6;
    const stderr = r.stderr ? r.stderr.toString() : '';
    const match = /\n__RUSAGE__ (-?\d+) ([\d.]+) (\d+)\n$/.exec(stderr);
    if (!match) return { ms: outer, rssMB: null, status: r.status, stderr, timedOut: !!r.error };
    return { ms: Number(match[2]), rssMB: Number(match[3]) / 1024, status: Number(match[1]), stderr: stderr.slice(0, match.index), timedOut: false };
  }
  const fd = stdout === 'pipe' ? 'pipe' : openSync(stdout, 'w');
  try {
    let argv = [cmd, ...args];
    const rssFile = join(scratchDir(), 'rss');
    if (m === 'gnu-time') argv = ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...argv];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { ...opts, stdio: ['ignore', fd, 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    let rssMB = null;
    if (m === 'gnu-time' && !r.error) {
      // GNU time writes "Command exited with non-zero status N" before %M on failure
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
      rssMB = Number(lines[lines.length - 1]) / 1024;
    }
    return { ms, rssMB, status: r.status, stderr: r.stderr ? r.stderr.toString() : '', timedOut: r.error?.code === 'ETIMEDOUT' };
  } finally {
    if (fd !== 'pipe') closeSync(fd);
  }
}
