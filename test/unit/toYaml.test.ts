import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { toYaml, toYamlStream } from '../../src/serialize/toYaml';

const tricky = ['', ' ', 'true', 'False', 'yes', 'NO', 'on', 'null', '~', '0', '007', '0x1F', '1e3', '1_000', '.inf', '-.Inf', '.nan', '12:30', '2001-12-14', '- a', '? x', ': y', '#c', 'a #b', 'a: b', 'a:', '[x]', '{y}', '&anchor', '*alias', '!tag', '|', '>', '%dir', '@at', '`tick', '"q"', "'s'", 'a\nb', 'a\n', 'a\n\n', '\na', ' lead', 'trail ', 'tab\tin', 'cr\r\nlf', '\u0000nul', '\u0085nel', '\u2028ls', '\ufeffbom', '😀', '\ud800lone', 'ünï', '100m', '1Gi', '4.0.14', '-', '---', '...', 'y', 'N', 'Off'];

test('tricky strings survive a round trip through the yaml parser (YAML 1.2 and 1.1)', () => {
  for (const s of tricky) {
    const text = toYaml({ k: s, list: [s], [s || 'empty']: 1 });
    assert.equal(parse(text), { k: s.replace(/\ud800/g, '\ud800'), list: [s], [s || 'empty']: 1 }, JSON.stringify(s));
    const y11 = parse(text, { version: '1.1' });
    assert.is(y11.k, s, `YAML 1.1 reading of ${JSON.stringify(s)}`);
  }
});

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

test('property: any JSON-like document round-trips through toYaml + yaml.parse', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: 'binary' }), json, { maxKeys: 6 }), (doc) => {
      // JSON round trip on both sides: yaml gives "__proto__" maps a null prototype.
      assert.equal(JSON.parse(JSON.stringify(parse(toYaml(doc)) ?? {})), JSON.parse(JSON.stringify(doc)));
    }),
    { numRuns: 400, seed: 42 },
  );
});

test('stream: each document starts with --- and the stream ends with one newline', () => {
  const s = toYamlStream([{ a: 1 }, { b: 'x\n' }]);
  assert.is(s, '---\na: 1\n---\nb: |\n  x\n');
});

test('no anchors even when objects are shared', () => {
  const shared = { x: 1 };
  const text = toYaml({ a: shared, b: shared });
  assert.not.match(text, /[&*]/);
  assert.is(text, 'a:\n  x: 1\nb:\n  x: 1\n');
});

test.run();
