/**
 * Byte mutations of the operator's examples through the pure import: whatever
 * the input, import returns diagnostics (never throws), every position lies
 * inside its file, errors leave no app behind, and no diagnostic carries the
 * examples' Secret content. Fixed seed under npm test; HABITAT_FUZZ_RUNS and
 * HABITAT_FUZZ_SEED as for test/hardening/property.test.ts.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { importManifests } from '../../src/import/importManifests';
import { exampleFiles, manifestObjects } from './helpers';

const RUNS = Number(process.env.HABITAT_FUZZ_RUNS ?? 150);
const SEED_ENV = process.env.HABITAT_FUZZ_SEED ?? (process.env.HABITAT_FUZZ_RUNS === undefined ? '20261130' : 'random');
const SEED = SEED_ENV === 'random' ? undefined : Number(SEED_ENV);

const EXAMPLES = ['bind-config', 'config', 'encrypted', 'persisted', 'namespaced'];
const texts = EXAMPLES.flatMap((e) => exampleFiles(e)).map((f) => readFileSync(f, 'utf8'));
// The decoded Secret values of the examples: none may appear in a message or hint.
const secrets = EXAMPLES.flatMap((e) => exampleFiles(e))
  .flatMap((f) => manifestObjects(f))
  .filter((o) => o.kind === 'Secret')
  .flatMap((o) => Object.values(o.data as Record<string, string>).map((b) => Buffer.from(b, 'base64').toString('utf8').trim()))
  .filter((s) => s.length >= 8);

const mutation = fc.record({
  text: fc.constantFrom(...texts),
  edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(' ', '\n', ':', '-', '"', "'", '{', '[', '#', '\t', 'x', '0', '---\n', '&a ', '*a', '!!str ', '\u00e9')), { minLength: 1, maxLength: 4 }),
});

const apply = (text: string, edits: [number, string, string][]): string => {
  let t = text;
  for (const [at, op, s] of edits) {
    const i = t.length ? at % t.length : 0;
    t = op === 'delete' ? t.slice(0, i) + t.slice(i + 1) : op === 'insert' ? t.slice(0, i) + s + t.slice(i) : t.slice(0, i) + s + t.slice(i + 1);
  }
  return t;
};

test('mutated operator manifests: diagnostics, never an exception, positions in range, no Secret content in messages', () => {
  fc.assert(
    fc.property(mutation, ({ text, edits }) => {
      const input = apply(text, edits as [number, string, string][]);
      const r = importManifests([{ file: 'm.yaml', text: input }], { split: false, sealConfig: false, namespace: 'ns', name: 'app' });
      for (const d of r.diagnostics) {
        assert.ok(/^[a-z0-9-]+$/.test(d.code), d.code);
        if (d.offset !== undefined) assert.ok(d.offset >= 0 && d.offset <= input.length, `${d.code} offset ${d.offset}`);
        for (const s of secrets) assert.not.ok(`${d.message} ${d.hint ?? ''}`.includes(s), `${d.code} quotes Secret content`);
      }
      if (r.diagnostics.some((d) => d.severity === 'error')) assert.equal(r.apps, []);
    }),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
  );
});

test.run();
