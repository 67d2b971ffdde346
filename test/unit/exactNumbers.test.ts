import TOML from '@iarna/toml';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { renderAction } from '../../src/action/render';
import { formatDiagnostics } from '../../src/diag/format';
import { memFs } from '../../src/load/repoFs';
import { parseYaml } from '../../src/parse/parseYaml';
import { parseYamlFast } from '../../src/parse/parseYamlFast';
import { changedPaths } from '../../src/diff/changedPaths';
import { compactJson, toJsonStream } from '../../src/serialize/toJson';
import { toYamlStream } from '../../src/serialize/toYaml';

/**
 * Integers reach user.toml and the manifests without passing through a double;
 * floats keep the text they were written with; what TOML cannot hold is a
 * positioned error. Expected texts are written out here, never computed by the code under test.
 */
const app = (service: string, extra: Record<string, string> = {}) =>
  memFs({ 'habitat.yaml': `apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: demo, namespace: ns}\nservices:\n  db:\n    image: core/redis\n${service}`, ...extra });

function userToml(service: string, extra: Record<string, string> = {}): string {
  const r = renderAction(app(service, extra), {});
  assert.equal(r.diagnostics.map((d) => d.message), []);
  const secret = r.objects.find((o) => o.kind === 'Secret') as unknown as { stringData: Record<string, string> };
  return secret.stringData['user.toml']!;
}

function errors(service: string, extra: Record<string, string> = {}): string {
  const r = renderAction(app(service, extra), {});
  assert.is(r.objects.length, 0);
  return formatDiagnostics(r.diagnostics, r.sources);
}

test('YAML integers beyond 2^53 reach user.toml digit for digit, up to the int64 bounds', () => {
  const toml = userToml('    config:\n      big: 9007199254740993\n      max: 9223372036854775807\n      min: -9223372036854775808\n      hex: 0x7FFFFFFFFFFFFFFF\n      list: [9007199254740993, 1]\n');
  assert.is(toml, 'big = 9007199254740993\nhex = 9223372036854775807\nlist = [9007199254740993, 1]\nmax = 9223372036854775807\nmin = -9223372036854775808\n');
});

test('YAML integers outside int64 are positioned errors, on the fast and the precise path', () => {
  const out = errors('    config:\n      over: 9223372036854775808\n');
  assert.match(out, /^habitat\.yaml:8:13: error: integer 9223372036854775808 does not fit in 64 bits .* \[yaml-integer-out-of-range\]/);
  assert.match(errors('    config: {under: -9223372036854775809}\n'), /habitat\.yaml:7:21: error: integer -9223372036854775809 .*\[yaml-integer-out-of-range\]/);
  assert.is(parseYamlFast('a: 9223372036854775808\n', 64), undefined, 'the fast path leaves it to the precise one');
});

test('configFile TOML integers stay exact; outside int64 is a positioned error (the parser would wrap it around)', () => {
  assert.is(userToml('    configFile: db.toml\n', { 'db.toml': 'big = 9007199254740993\nmax = 9_223_372_036_854_775_807\nneg = -9223372036854775808\n' }), 'big = 9007199254740993\nmax = 9223372036854775807\nneg = -9223372036854775808\n');
  const out = errors('    configFile: db.toml\n', { 'db.toml': 'ok = 1\n[t]\nover = 9223372036854775808\n' });
  assert.match(out, /^db\.toml:3:8: error: integer 9223372036854775808 does not fit in 64 bits .*\[toml-integer-out-of-range\]/);
  assert.match(errors('    configFile: db.toml\n', { 'db.toml': 'x = [1, 0x8000000000000000]\n' }), /db\.toml:1:9: error: integer 0x8000000000000000 .*\[toml-integer-out-of-range\]/);
});

test('floats stay floats: TOML floats as written, YAML floats as written when that is TOML, else the same double', () => {
  assert.is(
    userToml('    configFile: db.toml\n', { 'db.toml': 'a = 1.0\nb = 6.02e23\nc = 1_000.5\nd = -inf\ne = nan\nf = 3.14159265358979323846\ng = 1E3\n' }),
    'a = 1.0\nb = 6.02e23\nc = 1_000.5\nd = -inf\ne = nan\nf = 3.14159265358979323846\ng = 1E3\n',
  );
  assert.is(
    userToml('    config: {a: 1.0, b: 1e3, c: .5, d: .inf, e: -0.0, f: 0.1, g: 5., h: -.INF, i: .NaN, j: 1.50, k: 007.5}\n'),
    'a = 1.0\nb = 1e3\nc = 0.5\nd = inf\ne = -0.0\nf = 0.1\ng = 5.0\nh = -inf\ni = nan\nj = 1.50\nk = 7.5\n',
  );
});

test('floats that overflow a double are positioned errors, not inf', () => {
  assert.match(errors('    config: {x: 1e400}\n'), /habitat\.yaml:7:17: error: float 1e400 is too large for a 64-bit float \[yaml-float-out-of-range\]/);
  assert.match(errors('    configFile: db.toml\n', { 'db.toml': 'x = -1.5e999\n' }), /db\.toml:1:5: error: float -1\.5e999 is too large for a 64-bit float \[toml-float-out-of-range\]/);
});

test('TOML dates and times are written as given (offsets and sub-millisecond digits kept)', () => {
  const src = 'a = 1979-05-27T00:32:00.999999-07:00\nb = 1979-05-27 07:32:00Z\nc = 1979-05-27T07:32:00\nd = 1979-05-27\ne = 07:32:00.5\n';
  assert.is(userToml('    configFile: db.toml\n', { 'db.toml': src }), src);
});

test('integers beyond 2^53 outside config are exact too: env, labels and the pod pass-through, in YAML and JSON output', () => {
  const r = renderAction(app('    env: {ID: 1234567890123456789}\n    pod:\n      terminationGracePeriodSeconds: 9007199254740993\n      tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 9007199254740995}]\n'), {});
  assert.equal(r.diagnostics, []);
  const yaml = toYamlStream(r.objects);
  assert.match(yaml, '\n            - name: ID\n              value: "1234567890123456789"\n');
  assert.match(yaml, '\n      terminationGracePeriodSeconds: 9007199254740993\n');
  assert.match(yaml, 'tolerationSeconds: 9007199254740995\n');
  const json = toJsonStream(r.objects);
  assert.match(json, '"terminationGracePeriodSeconds": 9007199254740993');
  assert.match(json, '"tolerationSeconds": 9007199254740995');
});

test('rendered objects holding such integers: compact JSON (apply-size checks) and diff compare them exactly', () => {
  assert.is(compactJson({ a: [9007199254740993n, 'x', null], b: { c: -9223372036854775808n } }), '{"a":[9007199254740993,"x",null],"b":{"c":-9223372036854775808}}');
  assert.is(compactJson({ a: 1 }), JSON.stringify({ a: 1 }));
  assert.equal(changedPaths({ spec: { t: 9007199254740993n, u: 1n } }, { spec: { t: 9007199254740995n, u: 1n } }), ['spec.t']);
});

test('schema bounds apply to integers beyond 2^53 (a count is no string of digits)', () => {
  assert.match(errors('    count: 9007199254740993\n'), /habitat\.yaml:7:12: error: services\.db\.count must be <= 1000 \[schema-range\]/);
});

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const beyond = fc.oneof(fc.bigInt({ min: 2n ** 63n, max: 2n ** 80n }), fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 63n) - 1n }));

test('property: every int64, in YAML config or a configFile, is the same integer in user.toml', () => {
  fc.assert(
    fc.property(fc.array(int64, { minLength: 1, maxLength: 6 }), (ns) => {
      const config = Object.fromEntries(ns.map((n, i) => [`k${i}`, n]));
      const fromYaml = userToml(`    config:\n${stringify(config).replace(/^/gm, '      ').trimEnd()}\n`);
      const fromToml = userToml('    configFile: c.toml\n', { 'c.toml': ns.map((n, i) => `k${i} = ${n}\n`).join('') });
      for (const toml of [fromYaml, fromToml]) {
        const parsed = TOML.parse(toml) as Record<string, unknown>;
        ns.forEach((n, i) => assert.is(BigInt(parsed[`k${i}`] as number | bigint), n, toml));
        ns.forEach((n, i) => assert.ok(toml.includes(`k${i} = ${n}\n`), toml));
      }
    }),
    { numRuns: 100, seed: 11 },
  );
});

test('property: an integer outside int64 is always an error, never a render', () => {
  fc.assert(
    fc.property(beyond, (n) => {
      assert.match(errors(`    config: {x: ${n}}\n`), /\[yaml-integer-out-of-range\]/);
      assert.match(errors('    configFile: c.toml\n', { 'c.toml': `x = ${n}\n` }), /\[toml-integer-out-of-range\]/);
    }),
    { numRuns: 50, seed: 12 },
  );
});

test('property: both YAML parsers agree on big integers and floats (fast path = precise path)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(int64, fc.double(), fc.integer()), { minLength: 1, maxLength: 5 }), (vs) => {
      const text = `x: [${vs.map((v) => stringify(v).trim()).join(', ')}]\n`;
      const fast = parseYamlFast(text, 64);
      const precise = parseYaml(text, 'habitat.yaml');
      assert.ok(fast, text);
      assert.equal(fast!.value, precise.value as Record<string, unknown>, text);
      assert.is(fast!.exotic, precise.exotic);
    }),
    { numRuns: 300, seed: 13 },
  );
});

test.run();
