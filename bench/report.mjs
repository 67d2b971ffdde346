// Shared pieces of the benchmark scripts: statistics, the machine line, waiting for a
// quiet machine, and rewriting one marked block of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function machineLine(root, cliPath) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const cpu = (/^model name\s*:\s*(.*)$/m.exec(cpuinfo) || [])[1] || os.cpus()[0]?.model || 'unknown';
  const mem = (Number((/^MemTotal:\s*(\d+)/m.exec(meminfo) || [])[1]) / 1024 / 1024).toFixed(1);
  const commit = (spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout || '').trim();
  const dirty = (spawnSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout || '').trim() ? ' (with uncommitted changes)' : '';
  const kib = (f) => (existsSync(f) ? `${(readFileSync(f).length / 1024).toFixed(0)} KiB` : 'none');
  return `Machine: ${os.availableParallelism()} CPUs (${cpu}), ${mem} GiB RAM, Linux ${os.release()}, shared with other work. habitat-cmp at commit ${commit}${dirty}: ${kib(cliPath)} CLI file, ${kib(cliPath + '.cache')} code cache (test Node).`;
}

/** Waits until the 1-minute load average is below `limit` (checks every 30 s, gives up after `maxMinutes`). */
export async function waitQuiet(limit, maxMinutes = 60) {
  const t0 = Date.now();
  while (os.loadavg()[0] >= limit) {
    if (Date.now() - t0 > maxMinutes * 60_000) {
      console.error(`bench: load still ${os.loadavg()[0].toFixed(2)} after ${maxMinutes} min; measuring anyway`);
      return false;
    }
    console.error(`bench: load ${os.loadavg()[0].toFixed(2)} ≥ ${limit}; waiting`);
    await sleep(30_000);
  }
  return true;
}

/** Replaces `<!-- name:begin … -->…<!-- name:end -->` in bench/RESULTS.md (appends it when absent). */
export function writeBlock(root, name, body) {
  const file = join(root, 'bench', 'RESULTS.md');
  const block = `<!-- ${name}:begin (written by bench/${name.startsWith('profile') ? 'profile' : name === 'monorepo' ? 'monorepo' : 'bench'}.mjs; edit outside the markers) -->\n${body}\n<!-- ${name}:end -->`;
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# habitat-cmp benchmark\n';
  const re = new RegExp(`<!-- ${name}:begin[^]*?<!-- ${name}:end -->`);
  doc = re.test(doc) ? doc.replace(re, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
  console.error(`bench: wrote the ${name} block of ${file}`);
}
