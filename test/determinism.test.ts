import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { cli, ROOT } from './helpers/cli';
import { sampleCases } from './helpers/samples';

/** Deterministic shuffle (mulberry32) so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleMaps(node: unknown, rand: () => number): void {
  if (isMap(node)) {
    const items = node.items;
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    for (const p of items) shuffleMaps(p.value, rand);
  } else if (isSeq(node)) for (const n of node.items) shuffleMaps(n as Node, rand);
}

const cases = sampleCases();

test('same bytes under other time zones, locales and working directories', () => {
  for (const c of cases) {
    const base = cli(c.args);
    assert.is(base.status, 0);
    const variants: { env?: Record<string, string>; cwd?: string; args?: string[] }[] = [
      { env: { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' } },
      { env: { TZ: 'America/St_Johns', LANG: 'de_DE.UTF-8', LC_COLLATE: 'de_DE.UTF-8', HOME: '/nonexistent', ARGOCD_APP_REVISION: 'deadbeef', RANDOM_NOISE: String(Math.random()) } },
      { cwd: tmpdir(), args: [c.args[0]!, join(ROOT, c.args[1]!), ...c.args.slice(2)] },
    ];
    for (const v of variants) {
      const r = cli(v.args ?? c.args, { ...(v.cwd ? { cwd: v.cwd } : {}), ...(v.env ? { env: v.env } : {}) });
      assert.is(r.status, 0, r.stderr);
      assert.ok(r.stdout === base.stdout, `${c.golden} differs under ${JSON.stringify(v)}`);
    }
  }
});

test('same bytes when every mapping in habitat.yaml is shuffled', () => {
  for (const c of cases) {
    const expected = cli(c.args).stdout;
    for (const seed of [1, 2, 3]) {
      const dir = mkdtempSync(join(tmpdir(), 'hab-shuffle-'));
      try {
        const app = join(dir, c.sample);
        cpSync(join(ROOT, 'samples', c.sample), app, { recursive: true });
        const doc = parseDocument(readFileSync(join(app, 'habitat.yaml'), 'utf8'));
        shuffleMaps(doc.contents, rng(seed));
        const shuffled = doc.toString();
        writeFileSync(join(app, 'habitat.yaml'), shuffled);
        const r = cli([c.args[0]!, app, ...c.args.slice(2)]);
        assert.is(r.status, 0, r.stderr);
        assert.ok(r.stdout === expected, `${c.golden} differs after shuffling with seed ${seed}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
});

test('shuffling really reorders the input (the test above can fail)', () => {
  const text = readFileSync(join(ROOT, 'samples/shop/habitat.yaml'), 'utf8');
  const doc = parseDocument(text);
  shuffleMaps(doc.contents, rng(1));
  assert.is.not(doc.toString(), parseDocument(text).toString());
});

test.run();
