import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { ExactFloat } from '../../src/parse/exactNumber';
import { parseYaml } from '../../src/parse/parseYaml';
import { parseYamlFast as parseFast } from '../../src/parse/parseYamlFast';

/**
 * The fast parser decides the output whenever it succeeds, the precise one
 * decides the diagnostics: they must agree on every value the fast one accepts.
 */
const precise = (text: string) => parseYaml(text, 'habitat.yaml').value;
const parseYamlFast = (text: string, depth: number) => parseFast(text, depth)?.value;
/** JSON with the exact numbers spelled out: a bigint and an ExactFloat (with its text) are not a double. */
const json = (v: unknown) =>
  JSON.stringify(v, function (this: Record<string, unknown>, k: string) {
    const raw = this[k];
    return typeof raw === 'bigint' ? { bigint: String(raw) } : raw instanceof ExactFloat ? { float: raw.text, value: String(raw.value) } : raw;
  });

const SCALARS = [
  'true', 'True', 'TRUE', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', 'Null', 'NULL', '',
  '0', '-0', '+1', '007', '0o17', '0x1F', '0b101', '1_000', '1e3', '1E-3', '.5', '5.', '-.inf', '.Inf', '.NaN', '.nan',
  '2001-12-14', '12:30:00', '1:20', '0.1.2', '"quoted"', "'single'", '"esc \\t \\u00e9 \\x41"', "'it''s'", '!!str 12', '!!int "12"', '!!float 1',
  '|\n  block\n', '>\n  folded\n  text\n', '|-\n  strip\n', '|+\n  keep\n\n', 'a # comment', 'é', '"\\ud83d\\ude00"', '[1, two, {a: b}]', '{x: 1, y: [2]}',
];

test('fast and precise parsers agree on tricky scalars and flow collections', () => {
  for (const s of SCALARS) {
    const text = `apiVersion: habitat-cmp/v1\nv: ${s}\n`;
    const fast = parseYamlFast(text, 64);
    if (fast === undefined) continue; // the precise path decides; nothing to compare
    assert.is(json(fast), json(precise(text)), s);
  }
});

test('fast parser declines what needs the precise path', () => {
  assert.is(parseYamlFast('a: 1\na: 2\n', 64), undefined, 'duplicate keys');
  assert.is(parseYamlFast('a: &x [1]\nb: *x\n', 64), undefined, 'aliases');
  assert.is(parseYamlFast('a: 1\n---\nb: 2\n', 64), undefined, 'two documents');
  assert.is(parseYamlFast('', 64), undefined, 'empty');
  assert.is(parseYamlFast('- a\n', 64), undefined, 'a list');
  assert.is(parseYamlFast('a:\n\tb: 1\n', 64), undefined, 'tab indentation');
  assert.is(parseYamlFast('['.repeat(100) + ']'.repeat(100), 64), undefined, 'too deep');
});

test('__proto__ keys are own properties on both paths', () => {
  const text = 'config:\n  __proto__: {polluted: 1}\n';
  const fast = parseYamlFast(text, 64) as { config: Record<string, unknown> };
  assert.ok(Object.prototype.hasOwnProperty.call(fast.config, '__proto__'));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.is(json(fast), json(precise(text)));
});

const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('v'), { maxKeys: 4 }),
  ),
})).v;

test('property: any document in any style parses to the same value on both paths', () => {
  fc.assert(
    fc.property(
      fc.dictionary(fc.string({ unit: 'binary', minLength: 1 }), value, { minKeys: 1, maxKeys: 5 }),
      fc.record({ flow: fc.boolean(), quote: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED') }),
      (doc, style) => {
        const text = stringify(doc, { collectionStyle: style.flow ? 'flow' : 'block', defaultStringType: style.quote as 'PLAIN', lineWidth: 20 });
        const fast = parseYamlFast(text, 64);
        if (fast !== undefined) assert.is(json(fast), json(precise(text)), text);
      },
    ),
    { numRuns: 500, seed: 3 },
  );
});

test.run();
