import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUNDLE } from '../helpers/cli';

/** Bounds every hostile run is held to; generous on purpose (timings are reported, not asserted tightly). */
export const TIMEOUT_MS = 10_000;
export const HEAP_MB = 256;
export const MAX_LINES = 40;
export const MAX_LINE_CHARS = 200;

const PROBE = fileURLToPath(new URL('./rss-probe.cjs', import.meta.url));

export interface BoundedResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the CLI process, in MiB (from the child itself). */
  rssMiB: number;
}

/**
 * Runs the built bundle with a small heap and a timeout, the way a hostile
 * repository would meet it in the sidecar; a clean env unless one is given.
 */
export function boundedCli(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }): BoundedResult {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--require', PROBE, BUNDLE, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', ...(opts.env ?? {}) },
    input: opts.input ?? '',
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    timeout: TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  const probe = r.output?.[3]?.toString() ?? '';
  const rssKiB = /"maxRSS":(\d+)/.exec(probe)?.[1];
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout?.toString() ?? '',
    stderr: r.stderr?.toString() ?? '',
    ms,
    rssMiB: rssKiB ? Number(rssKiB) / 1024 : NaN,
  };
}

/** Problems with how a failure was reported; empty when it looks like a clean, bounded error. */
export function reportProblems(r: BoundedResult): string[] {
  const out: string[] = [];
  if (r.signal) out.push(`killed by ${r.signal} (timeout ${TIMEOUT_MS} ms or crash)`);
  if (/^\s+at .*(?:\(|\s)(?:\/|node:)\S*:\d+:\d+\)?$/m.test(r.stderr)) out.push('stack trace on stderr');
  if (/FATAL ERROR|heap out of memory|Maximum call stack/i.test(r.stderr)) out.push('resource exhaustion leaked to stderr');
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  if (lines.length > MAX_LINES) out.push(`${lines.length} lines on stderr (limit ${MAX_LINES})`);
  const long = lines.find((l) => [...l].length > MAX_LINE_CHARS);
  if (long) out.push(`a stderr line of ${[...long].length} characters (limit ${MAX_LINE_CHARS})`);
  // Raw control characters could spoof lines or drive the terminal.
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stderr)) out.push('raw control characters on stderr');
  return out;
}

/** `code file:line:col` (or `code file`, `code habitat-cmp`) for each diagnostic head line. */
export function diagnosticHeads(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => /^(\S+?): (?:error|warning): .* \[([a-z0-9-]+)\]$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[2]} ${m[1]}`);
}
