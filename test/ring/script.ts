/**
 * Runs a container's `/bin/sh FILE ARGS...` (or `-c SCRIPT`) for real under busybox `sh`
 * (Debian's dynamically linked busybox, which looks commands up in PATH, so the
 * stubs below are called), inside bubblewrap so that the pod's volumes, the
 * image's /init.sh and /etc/resolv.conf sit at their real paths.
 *
 * Stubs model what the simulator owns: `nslookup` answers from the simulated DNS
 * at the simulated clock, in the output format of busybox's own-resolver nslookup
 * (the image's core/busybox-static has FEATURE_NSLOOKUP_BIG: "Name:\t<n>" then
 * "Address: <ip>"; an unknown name prints "** server can't find"); `date +%s`
 * reads the clock; `sleep N` advances it; /init.sh records its arguments, which the
 * simulator then hands to the Supervisor model.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DnsRecord {
  fqdn: string;
  ip: string;
  /** Seconds on the simulated clock: visible from `from` (inclusive) to `to` (exclusive). */
  from: number;
  to: number;
}

export interface Mount {
  path: string;
  hostDir: string;
  readOnly: boolean;
}

export interface ScriptRun {
  /** The script's own exit status when it did not exec /init.sh. */
  status: number;
  /** Arguments /init.sh received, when the script exec'd it. */
  initArgs?: string[];
  /** Simulated seconds the script spent (its `sleep`s). */
  elapsed: number;
  /** Every name it looked up, in order. */
  lookups: string[];
  stderr: string;
}

const BUSYBOX = '/usr/bin/busybox';

export function busyboxProblem(): string | undefined {
  if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (Debian package "busybox"; .ci/run installs it)`;
  const bw = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', 'true'], { encoding: 'utf8' });
  if (bw.error || bw.status !== 0) return `bubblewrap does not run here: ${bw.error?.message ?? bw.stderr.trim()}`;
  return undefined;
}

let toolsDir: string | undefined;

/** Stub commands and busybox applet links, made once per test process. */
function tools(): string {
  if (toolsDir) return toolsDir;
  const dir = mkdtempSync(join(tmpdir(), 'ring-sim-tools-'));
  const stubs = join(dir, 'stubs');
  const applets = join(dir, 'applets');
  mkdirSync(stubs);
  mkdirSync(applets);
  const sh = `#!${BUSYBOX} sh\n`;
  writeFileSync(
    join(stubs, 'nslookup'),
    sh +
      `read -r now < /sim/state/clock
echo "$1" >> /sim/state/lookups
# one awk pass (ash's read builtin reads a file a byte at a time)
ips=$(awk -v n="$1" -v now="$now" '$1 == n && now >= $3 + 0 && now < $4 + 0 { printf " %s", $2 }' /sim/state/dns)
if [ -f /sim/state/libc-format ]; then
  # busybox without FEATURE_NSLOOKUP_BIG (getaddrinfo): "Name: n" then "Address 1: ip n"
  printf 'Server:    10.96.0.10\\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\\n\\n'
  if [ -z "$ips" ]; then echo "nslookup: can't resolve '$1'" >&2; exit 1; fi
  printf 'Name:      %s\\n' "$1"; n=0
  for ip in $ips; do n=$((n + 1)); printf 'Address %s: %s %s\\n' "$n" "$ip" "$1"; done
  exit 0
fi
printf 'Server:\\t\\t10.96.0.10\\nAddress:\\t10.96.0.10:53\\n\\n'
if [ -z "$ips" ]; then echo "** server can't find $1: NXDOMAIN"; exit 1; fi
for ip in $ips; do printf 'Name:\\t%s\\nAddress: %s\\n' "$1" "$ip"; done
`,
  );
  writeFileSync(join(stubs, 'date'), sh + 'case "$1" in +%s) cat /sim/state/clock ;; *) echo "date stub: only +%s" >&2; exit 1 ;; esac\n');
  writeFileSync(join(stubs, 'sleep'), sh + 'read -r now < /sim/state/clock\necho $((now + ${1%%.*})) > /sim/state/clock\n');
  writeFileSync(join(stubs, 'init.sh'), sh + 'for a in "$@"; do printf "%s\\0" "$a"; done > /sim/state/args\n');
  for (const f of ['nslookup', 'date', 'sleep', 'init.sh']) chmodSync(join(stubs, f), 0o755);
  for (const a of ['mv', 'mkdir', 'cat', 'rm', 'hostname', 'awk']) symlinkSync(BUSYBOX, join(applets, a));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  toolsDir = dir;
  return dir;
}

/** How many scripts ran, how many were answered from the memo, and how long the runs took (wall ms). */
export const scriptStats = { runs: 0, memo: 0, ms: 0 };

type Opts = Parameters<typeof runScriptOnce>[0];

/** Files of a directory, by name (volumes hold flat files). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

/**
 * The script is a pure function of what it can see (command, args, env, volume
 * files, the DNS timeline, the clock; it reads no other clock and no randomness),
 * so identical runs, such as the first deploy every scenario starts with, are run
 * once and replayed, writes to writable volumes included.
 */
const memo = new Map<string, { run: ScriptRun; writes: [number, Record<string, string>][] }>();

export function runScript(opts: Opts): ScriptRun {
  const visible = opts.dns.filter((r) => r.to > opts.clock);
  const key = createHash('sha256')
    .update(JSON.stringify([opts.command, opts.args, opts.env, opts.mounts.map((m) => [m.path, m.readOnly, snapshot(m.hostDir)]), opts.namespace, opts.clock, visible, opts.search ?? null, opts.libcFormat ?? false]))
    .digest('hex');
  const hit = memo.get(key);
  if (hit) {
    scriptStats.memo++;
    for (const [i, files] of hit.writes) {
      const dir = opts.mounts[i]!.hostDir;
      for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
      for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
    }
    return structuredClone(hit.run);
  }
  const run = runScriptOnce(opts);
  memo.set(key, { run: structuredClone(run), writes: opts.mounts.flatMap((m, i) => (m.readOnly ? [] : [[i, snapshot(m.hostDir)] as [number, Record<string, string>]])) });
  return run;
}

function runScriptOnce(opts: {
  command: string[];
  args: string[];
  env: Record<string, string>;
  mounts: Mount[];
  namespace: string;
  clock: number;
  dns: DnsRecord[];
  /** resolv.conf's search list; default: what kubelet writes for `namespace` in cluster.local. */
  search?: string;
  /** nslookup prints busybox's libc format instead of its own-resolver format. */
  libcFormat?: boolean;
}): ScriptRun {
  // `/bin/sh FILE` (a script from a mounted volume) or `/bin/sh -c SCRIPT [NAME]`.
  const [sh, ...shArgs] = opts.command;
  if (sh !== '/bin/sh' || shArgs.length === 0 || (shArgs[0] === '-c' ? shArgs.length > 3 : shArgs.length !== 1 || shArgs[0]!.startsWith('-'))) {
    throw new Error(`the simulator runs only "/bin/sh FILE" or "/bin/sh -c SCRIPT" commands, not ${JSON.stringify(opts.command)}`);
  }
  const t = tools();
  const state = mkdtempSync(join(tmpdir(), 'ring-sim-run-'));
  try {
    writeFileSync(join(state, 'clock'), `${opts.clock}\n`);
    writeFileSync(join(state, 'dns'), opts.dns.map((r) => `${r.fqdn} ${r.ip} ${r.from} ${r.to}\n`).join(''));
    // What kubelet writes for ClusterFirst pods (dnsPolicy default).
    writeFileSync(join(state, 'resolv.conf'), `nameserver 10.96.0.10\nsearch ${opts.search ?? `${opts.namespace}.svc.cluster.local svc.cluster.local cluster.local`}\noptions ndots:5\n`);
    if (opts.libcFormat) writeFileSync(join(state, 'libc-format'), '');
    const bw = ['--die-with-parent', '--tmpfs', '/', '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--dir', '/bin', '--symlink', BUSYBOX, '/bin/sh', '--proc', '/proc', '--dev', '/dev'];
    bw.push('--bind', state, '/sim/state', '--ro-bind', join(t, 'stubs'), '/sim/stubs', '--ro-bind', join(t, 'applets'), '/sim/applets');
    bw.push('--ro-bind', join(t, 'stubs', 'init.sh'), '/init.sh', '--ro-bind', join(state, 'resolv.conf'), '/etc/resolv.conf');
    // the loader's cache: without it every busybox start probes library paths one by one
    if (existsSync('/etc/ld.so.cache')) bw.push('--ro-bind', '/etc/ld.so.cache', '/etc/ld.so.cache');
    for (const m of opts.mounts) bw.push(m.readOnly ? '--ro-bind' : '--bind', m.hostDir, m.path);
    bw.push('--clearenv', '--setenv', 'PATH', '/sim/stubs:/sim/applets');
    for (const [k, v] of Object.entries(opts.env)) bw.push('--setenv', k, v);
    bw.push('/bin/sh', ...shArgs, ...opts.args);
    const t0 = Date.now();
    const r = spawnSync('bwrap', bw, { encoding: 'utf8', timeout: 60_000 });
    scriptStats.runs++;
    scriptStats.ms += Date.now() - t0;
    if (r.error) throw r.error;
    const clock = Number(readFileSync(join(state, 'clock'), 'utf8').trim());
    const argsFile = join(state, 'args');
    const lookupsFile = join(state, 'lookups');
    const lookups = existsSync(lookupsFile) ? readFileSync(lookupsFile, 'utf8').split('\n').filter(Boolean) : [];
    const run: ScriptRun = { status: r.status ?? 128, elapsed: clock - opts.clock, lookups, stderr: r.stderr };
    if (existsSync(argsFile)) {
      const raw = readFileSync(argsFile, 'utf8');
      run.initArgs = raw === '' ? [] : raw.slice(0, -1).split('\0');
    }
    return run;
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
