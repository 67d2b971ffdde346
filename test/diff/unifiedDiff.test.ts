/**
 * The line diff against two independent oracles: GNU patch must turn the old
 * text into the new one with our unified diff, and the number of changed lines
 * must be the minimum (n + m - 2·LCS, LCS by dynamic programming here).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffLines, unifiedDiff } from '../../src/diff/unifiedDiff';

function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  return dp[0]![0]!;
}

/** A small deterministic generator (mulberry32), so failures replay. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(lines: string[], r: () => number): string[] {
  const out = [...lines];
  const edits = Math.floor(r() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (out.length + 1));
    const what = r();
    if (what < 0.33 && out.length) out.splice(Math.min(at, out.length - 1), 1 + Math.floor(r() * 3));
    else if (what < 0.66) out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(r() * 3) }, () => `new ${Math.floor(r() * 5)}`));
    else if (out.length) out[Math.min(at, out.length - 1)] = `changed ${Math.floor(r() * 5)}`;
  }
  return out;
}

const hasPatch = spawnSync('patch', ['--version']).status === 0;

test('random edits: patch(1) applies our unified diff exactly, and the edit script is minimal', () => {
  const r = rng(20261130);
  const dir = mkdtempSync(join(tmpdir(), 'habitat-cmp-udiff-'));
  try {
    for (let round = 0; round < 150; round++) {
      const a = Array.from({ length: Math.floor(r() * 40) }, () => `line ${Math.floor(r() * 8)}`);
      const b = mutate(a, r);
      const edits = diffLines(a, b);
      assert.equal(edits.filter((e) => e.op !== '+').map((e) => e.line), a, 'the - and context lines are the old text');
      assert.equal(edits.filter((e) => e.op !== '-').map((e) => e.line), b, 'the + and context lines are the new text');
      assert.is(edits.filter((e) => e.op !== ' ').length, a.length + b.length - 2 * lcs(a, b), `round ${round}: not minimal`);
      if (!hasPatch) continue;
      const before = a.map((l) => l + '\n').join('');
      const after = b.map((l) => l + '\n').join('');
      const d = unifiedDiff(before, after, { before: 'a/f', after: 'b/f' });
      if (before === after) {
        assert.is(d, '');
        continue;
      }
      writeFileSync(join(dir, 'f'), before);
      writeFileSync(join(dir, 'p'), d);
      const p = spawnSync('patch', ['--quiet', '--force', '--fuzz=0', join(dir, 'f'), join(dir, 'p')], { encoding: 'utf8' });
      assert.is(p.status, 0, `round ${round}: ${p.stdout}${p.stderr}\n${d}`);
      assert.is(readFileSync(join(dir, 'f'), 'utf8'), after, `round ${round}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(hasPatch, 'GNU patch is installed (Debian package "patch")');
});

test('hunk headers and context as diff -u prints them', () => {
  const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
  const b = 'a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n';
  assert.is(unifiedDiff(a, b, { before: 'x', after: 'y' }), '--- x\n+++ y\n@@ -2,9 +2,10 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n i\n j\n+k\n');
  assert.is(unifiedDiff('', 'a\nb\n', { before: 'x', after: 'y' }), '--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.is(unifiedDiff('a\n', '', { before: 'x', after: 'y' }), '--- x\n+++ y\n@@ -1 +0,0 @@\n-a\n');
  assert.is(unifiedDiff('same\n', 'same\n', { before: 'x', after: 'y' }), '');
  // Far-apart changes make separate hunks.
  const long = Array.from({ length: 20 }, (_, i) => `l${i}`);
  const changed = [...long];
  changed[1] = 'X';
  changed[18] = 'Y';
  const d = unifiedDiff(long.join('\n') + '\n', changed.join('\n') + '\n', { before: 'x', after: 'y' });
  assert.equal(d.split('\n').filter((l) => l.startsWith('@@')), ['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
});

test('a large rewrite stays linear: past the edit-distance cap the middle is replaced wholesale', () => {
  const a = Array.from({ length: 20000 }, (_, i) => `a${i}`);
  const b = Array.from({ length: 20000 }, (_, i) => `b${i}`);
  const edits = diffLines(['head', ...a, 'tail'], ['head', ...b, 'tail']);
  assert.is(edits.length, 40002);
  assert.equal(edits[0], { op: ' ', line: 'head' });
  assert.equal(edits.at(-1), { op: ' ', line: 'tail' });
});

test.run();
