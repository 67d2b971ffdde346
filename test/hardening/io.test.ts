import { spawn } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BUNDLE, cli, ROOT } from '../helpers/cli';
import { sampleCases } from '../helpers/samples';

const s = suite('hardening: encodings, no writes, concurrency');

/** Every path under `dir` with its size and mtime, to prove nothing was created or touched. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      out.push(`${relative(dir, p)} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

function rewriteTextFiles(dir: string, f: (text: string) => string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) rewriteTextFiles(p, f);
    else if (st.isFile() && /\.(ya?ml|toml)$/.test(name)) writeFileSync(p, f(readFileSync(p, 'utf8')));
  }
}

const VARIANTS: [string, (t: string) => string][] = [
  ['BOM', (t) => '\ufeff' + t],
  ['CRLF', (t) => t.replace(/\r?\n/g, '\r\n')],
  ['BOM+CRLF', (t) => '\ufeff' + t.replace(/\r?\n/g, '\r\n')],
];

for (const c of sampleCases()) {
  s(`BOM and CRLF render like LF: ${c.golden}`, () => {
    const lf = cli(c.args);
    assert.is(lf.status, 0, lf.stderr);
    for (const [what, f] of VARIANTS) {
      const tmp = mkdtempSync(join(tmpdir(), 'habitat-enc-'));
      try {
        // Same basename: apps without metadata.name are named after their directory.
        const dir = join(tmp, c.sample);
        cpSync(join(ROOT, 'samples', c.sample), dir, { recursive: true });
        rewriteTextFiles(dir, f);
        const r = cli(['render', dir, ...c.args.slice(2)]);
        assert.is(r.status, 0, `${what}: ${r.stderr}`);
        assert.is(r.stderr, lf.stderr, `${what}: same warnings`);
        assert.ok(r.stdout === lf.stdout, `${what}: output differs from the LF version`);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  });
}

function run(args: string[], cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BUNDLE, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

s('concurrent render/generate/validate/parameters in a read-only copy write nothing anywhere', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'habitat-ro-'));
  const app = join(tmp, 'repo', 'shop');
  const home = join(tmp, 'home');
  const scratch = join(tmp, 'tmp');
  try {
    cpSync(join(ROOT, 'samples/shop'), app, { recursive: true });
    mkdirSync(home);
    mkdirSync(scratch);
    const expected = readFileSync(join(ROOT, 'test/golden/shop.yaml'), 'utf8');
    const lock = (d: string) => {
      chmodSync(d, 0o555);
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) lock(p);
        else chmodSync(p, 0o444);
      }
    };
    lock(join(tmp, 'repo'));
    chmodSync(home, 0o555);
    const before = { app: snapshot(join(tmp, 'repo')), home: snapshot(home), scratch: snapshot(scratch) };
    // Root ignores file modes, so the snapshots below are the actual proof; the modes catch the rest.
    const env = { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: scratch, XDG_CACHE_HOME: join(home, '.cache'), ARGOCD_APP_NAME: 'shop' };
    const jobs = [
      ...Array.from({ length: 6 }, () => run(['render'], app, env)),
      ...Array.from({ length: 4 }, () => run(['generate'], app, env)),
      run(['validate'], app, env),
      run(['parameters'], app, env),
      run(['render', '--output', 'json'], app, env),
    ];
    const results = await Promise.all(jobs);
    for (const [i, r] of results.entries()) {
      assert.is(r.status, 0, `job ${i}: ${r.stderr}`);
      if (i < 10) assert.ok(r.stdout === expected, `job ${i}: output differs from test/golden/shop.yaml`);
    }
    assert.equal(snapshot(join(tmp, 'repo')), before.app, 'files created or changed in the repository copy');
    assert.equal(snapshot(home), before.home, 'files created in HOME');
    assert.equal(snapshot(scratch), before.scratch, 'files created in TMPDIR');
  } finally {
    const unlock = (d: string) => {
      chmodSync(d, 0o755);
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (lstatSync(p).isDirectory()) unlock(p);
      }
    };
    unlock(tmp);
    rmSync(tmp, { recursive: true, force: true });
  }
});

s.run();
