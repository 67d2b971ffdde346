import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, UPDATE } from '../helpers/cli';
import { boundedCli, diagnosticHeads, reportProblems, type BoundedResult } from './run';

/**
 * The bad-input corpus: one small repository per case (test/hardening/corpus/<name>),
 * with case.json = {note, command?, args?, env?, exit?, generate?, expect} and
 * errors.txt (golden stderr, rewritten only with UPDATE=1). `expect` lists
 * "code file:line:col" for every printed diagnostic, written by hand (the
 * generated cases' positions too). `generate` names a builder below for inputs
 * too large to commit; those cases run in a temporary copy.
 *
 * Every case, besides its expectations: exits 1 (or its `exit`), prints nothing
 * on stdout on failure, at most 40 lines of at most 200 characters, no stack
 * trace, no raw control characters, within 10 s on a 256 MB heap, and never
 * echoes the file that sits outside every case (corpus/_outside).
 */
interface Case {
  note: string;
  command?: 'render' | 'validate' | 'generate';
  args?: string[];
  env?: Record<string, string>;
  exit?: number;
  generate?: keyof typeof GENERATORS;
  expect: string[];
}

const CORPUS = join(ROOT, 'test/hardening/corpus');
const OUTSIDE_CANARY = 'canary-outside-the-app';
const HEAD = 'apiVersion: habitat-cmp/v1\nkind: App\nmetadata:\n  name: demo\nservices:\n  redis:\n    image: habitat/redis-hab:4.0.14\n';

/** Writes `parts` to `file` piece by piece (the 50 MB input is never one string). */
function writeChunks(file: string, parts: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    for (const p of parts) writeSync(fd, p);
  } finally {
    closeSync(fd);
  }
}

const GENERATORS = {
  fiftyMegabytes(dir: string) {
    writeChunks(join(dir, 'habitat.yaml'), (function* () {
      yield HEAD + '    config:\n';
      const line = `      k: "${'x'.repeat(1000)}"\n`;
      for (let i = 0; i < 50 * 1024; i++) yield line.replace('k:', `k${i}:`);
    })());
  },
  deepFlow(dir: string) {
    writeFileSync(join(dir, 'habitat.yaml'), HEAD + '    config:\n      x: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
  },
  deepBlock(dir: string) {
    writeFileSync(join(dir, 'habitat.yaml'), HEAD + '    config:\n      x:\n        ' + '- '.repeat(10_000) + '1\n');
  },
  deepIndented(dir: string) {
    writeChunks(join(dir, 'habitat.yaml'), (function* () {
      yield HEAD + '    config:\n';
      for (let i = 0; i < 10_000; i++) yield `${' '.repeat(6 + i)}k:\n`;
      yield `${' '.repeat(10_006)}1\n`;
    })());
  },
  scalarAmplification(dir: string) {
    const aliases = Array.from({ length: 90 }, (_, i) => `      c${i}: *big\n`).join('');
    writeFileSync(join(dir, 'habitat.yaml'), HEAD + '    config:\n      big: &big "' + 'A'.repeat(1 << 20) + '"\n' + aliases);
  },
  manyKeys(dir: string) {
    const keys = Array.from({ length: 45_000 }, (_, i) => `      k${i}: v\n`).join('');
    writeFileSync(join(dir, 'habitat.yaml'), HEAD + '    config:\n' + keys + '      k5: dup\n');
  },
  tooManyLines(dir: string) {
    const keys = Array.from({ length: 60_000 }, (_, i) => `      k${i}: v\n`).join('');
    writeFileSync(join(dir, 'habitat.yaml'), HEAD + '    config:\n' + keys);
  },
  tooManyServices(dir: string) {
    const ws = Array.from({ length: 2001 }, (_, i) => `  w${i}:\n    image: habitat/x\n`).join('');
    writeFileSync(join(dir, 'habitat.yaml'), 'apiVersion: habitat-cmp/v1\nkind: App\nmetadata:\n  name: demo\nservices:\n' + ws);
  },
  longString(dir: string) {
    writeFileSync(join(dir, 'habitat.yaml'), HEAD + '    config:\n      big: "' + 'x'.repeat(1 << 20) + '"\n');
  },
  tomlDeep(dir: string) {
    writeFileSync(join(dir, 'redis.toml'), 'a = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
  },
  hugeParams(_dir: string, c: Case) {
    // Linux caps one environment string at 128 KiB; stay just under it.
    const map = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`w${i}`, '1']));
    c.env = { ...c.env, ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'counts', map }]) };
  },
};

export const measurements: { name: string; ms: number; rssMiB: number }[] = [];

const s = suite('hardening: bad-input corpus');
const names = readdirSync(CORPUS).filter((n) => !n.startsWith('_')).sort();

s('the corpus has at least 60 cases', () => {
  assert.ok(names.length >= 60, `${names.length} cases`);
});

for (const name of names) {
  const caseDir = join(CORPUS, name);
  s(`corpus: ${name}`, () => {
    const c = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as Case;
    let cwd = caseDir;
    let tmp: string | undefined;
    if (c.generate) {
      tmp = mkdtempSync(join(tmpdir(), `habitat-corpus-${name}-`));
      cpSync(caseDir, tmp, { recursive: true, verbatimSymlinks: true });
      for (const f of ['case.json', 'errors.txt']) rmSync(join(tmp, f), { force: true });
      GENERATORS[c.generate](tmp, c);
      cwd = tmp;
    }
    let r: BoundedResult;
    try {
      const command = c.command ?? 'render';
      r = boundedCli(command === 'generate' ? ['generate'] : [command, ...(c.args ?? [])], { cwd, env: c.env ?? {} });
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
    measurements.push({ name, ms: r.ms, rssMiB: r.rssMiB });
    const exit = c.exit ?? 1;
    assert.equal(reportProblems(r), [], `${c.note}\nstderr:\n${r.stderr.slice(0, 4000)}`);
    assert.is(r.status, exit, `exit code (${c.note}); stderr:\n${r.stderr.slice(0, 4000)}`);
    if (exit !== 0) assert.is(r.stdout, '', 'nothing on stdout');
    else assert.ok(r.stdout.length > 0 && r.stdout.endsWith('\n'), 'manifests on stdout');
    assert.equal([...diagnosticHeads(r.stderr)].sort(), [...c.expect].sort(), `diagnostics (${c.note})`);
    assert.not.ok(r.stdout.includes(OUTSIDE_CANARY) || r.stderr.includes(OUTSIDE_CANARY), 'a file outside the app directory was echoed');
    const golden = join(caseDir, 'errors.txt');
    if (UPDATE || !existsSync(golden)) {
      if (!UPDATE) assert.unreachable(`missing corpus/${name}/errors.txt; run UPDATE=1 and review it`);
      writeFileSync(golden, r.stderr);
    }
    assert.fixture(r.stderr, readFileSync(golden, 'utf8'));
  });
}

s.after(() => {
  if (!measurements.length) return;
  const worst = [...measurements].sort((a, b) => b.ms - a.ms).slice(0, 4);
  if (process.env.HARDENING_MEASURE === '1') for (const m of measurements) console.log(`  ${m.name}\t${Math.round(m.ms)} ms\t${m.rssMiB.toFixed(0)} MiB`);
  const rss = Math.max(...measurements.map((m) => m.rssMiB).filter(Number.isFinite));
  console.log(`\n  corpus: ${measurements.length} runs; slowest ${worst.map((m) => `${m.name} ${Math.round(m.ms)} ms`).join(', ')}; peak RSS ${rss.toFixed(0)} MiB`);
});

s.run();
