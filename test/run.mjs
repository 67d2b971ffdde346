// Runs every test/**/*.test.ts under uvu in one process (TypeScript through tsx)
// and prints the plain "N passed, M failed" line CI reads; uvu's own summary is
// not recognised there.
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = find(join(root, 'test'));
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));

const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'uvu-main.mjs'), ...files], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 256 * 1024 * 1024,
  env: { ...process.env, FORCE_COLOR: '0' },
});
process.stdout.write(child.stdout ?? '');
const num = (label) => {
  const m = new RegExp(`${label}:\\s+(\\d+)`).exec(child.stdout ?? '');
  return m ? Number(m[1]) : undefined;
};
const total = num('Total');
const passed = num('Passed');
const skipped = num('Skipped') ?? 0;
if (total === undefined || passed === undefined) {
  console.log(`test run crashed (exit ${child.status}) in ${files.map((f) => relative(root, f)).join(', ')}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const failed = Math.max(total - passed - skipped, child.status === 0 ? 0 : 1);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && child.status === 0 ? 0 : 1);
