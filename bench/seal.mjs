#!/usr/bin/env node
// Issue 11: `seal --raw` must cost what `validate` costs on the same habitat.yaml (both
// read and parse it the same way). The input is the hardening corpus's worst case that is
// parsed in full: 45,000 config keys, once valid and once with a duplicate at the end.
//
//   node bench/seal.mjs [--rounds N]          HABITAT_CMP=path/to/habitat-cmp.cjs to measure another build
//
// Prints the median wall time of each command; a clean environment, fresh process per run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const cli = process.env.HABITAT_CMP || join(ROOT, 'dist', 'habitat-cmp.cjs');
const i = process.argv.indexOf('--rounds');
const ROUNDS = i >= 0 ? Number(process.argv[i + 1]) : 5;
const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir() };

const tmp = mkdtempSync(join(os.tmpdir(), 'habitat-seal-bench-'));
const HEAD = 'apiVersion: habitat-cmp/v1\nkind: App\nmetadata:\n  name: demo\n  namespace: demo\nsealing:\n  certificate: cert.pem\nservices:\n  redis:\n    image: habitat/redis-hab:4.0.14\n    config:\n';
const keys = Array.from({ length: 45_000 }, (_, n) => `      k${n}: v\n`).join('');
for (const [name, text] of [['keys-45000', HEAD + keys], ['keys-45000-duplicate', HEAD + keys + '      k5: dup\n']]) {
  mkdirSync(join(tmp, name));
  writeFileSync(join(tmp, name, 'habitat.yaml'), text);
  copyFileSync(join(ROOT, 'test/seal/fixtures/rsa2048.pem'), join(tmp, name, 'cert.pem'));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  console.log(`${cli}, ${ROUNDS} rounds, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
  for (const app of ['keys-45000', 'keys-45000-duplicate']) {
    for (const args of [['validate'], ['seal', '--service', 'redis', '--key', 'pw', '--raw']]) {
      const ms = [];
      let status;
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = performance.now();
        status = spawnSync(process.execPath, [cli, ...args, join(tmp, app)], { env, input: 'x', stdio: ['pipe', 'ignore', 'ignore'] }).status;
        ms.push(performance.now() - t0);
      }
      console.log(`${app.padEnd(22)} ${args.slice(0, 1).concat(args.includes('--raw') ? ['--raw'] : []).join(' ').padEnd(12)} exit ${status}  median ${(median(ms) / 1000).toFixed(2)} s`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
