import TOML from '@iarna/toml';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeToml } from '../../src/render/toml';

const key = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }));
const scalar = fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)));
const table: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  t: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { maxLength: 3 }), tie('t')), { maxKeys: 5 }),
})).t as fc.Arbitrary<Record<string, unknown>>;

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

test('property: writeToml output parses back to the same table', () => {
  fc.assert(
    fc.property(table, (t) => {
      const text = writeToml(t);
      assert.equal(plain(TOML.parse(text)), plain(t), text);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('keys are written in code-unit order, values before sub-tables', () => {
  assert.is(writeToml({ b: { x: 1 }, Z: 2, a: 'é', 'a.b': true }), 'Z = 2\na = "é"\n"a.b" = true\n\n[b]\nx = 1\n');
});

test('control characters, DEL and quotes are escaped', () => {
  assert.is(writeToml({ s: 'a"b\\c\u0001\u007f\n' }), 's = "a\\"b\\\\c\\u0001\\u007F\\n"\n');
});

test.run();
