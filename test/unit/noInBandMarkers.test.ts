import TOML from '@iarna/toml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAction } from '../../src/action/render';
import { memFs } from '../../src/load/repoFs';
import { orderedKeys } from '../../src/serialize/keyOrder';
import { toJson } from '../../src/serialize/toJson';
import { toYaml } from '../../src/serialize/toYaml';

/** A value never changes meaning because of its content: strings that look like internal markers stay strings. */
const SEALED = Buffer.concat([Buffer.from([2, 0]), Buffer.alloc(512, 7), Buffer.alloc(20, 9)]).toString('base64');
const app = (service: string, extra: Record<string, string> = {}) =>
  memFs({ 'habitat.yaml': `apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: demo, namespace: ns}\nservices:\n  db:\n    image: core/redis\n${service}`, ...extra });

function configData(service: string, extra: Record<string, string> = {}): string {
  const r = renderAction(app(service, extra), {});
  assert.equal(r.diagnostics, []);
  const o = r.objects.find((x) => x.metadata.name === 'db-config') as unknown as { stringData?: Record<string, string>; spec?: { template: { data: Record<string, string> } } };
  return o.stringData?.['user.toml'] ?? o.spec!.template.data['user.toml']!;
}

test('a config string starting with the old TOML-literal marker is written as a string (no [evil] table)', () => {
  const toml = configData('    config:\n      note: "\\u0000toml:x\\n[evil]\\nadmin = true"\n');
  assert.is(toml, 'note = "\\u0000toml:x\\n[evil]\\nadmin = true"\n');
  assert.equal(JSON.parse(JSON.stringify(TOML.parse(toml))), { note: '\u0000toml:x\n[evil]\nadmin = true' });
});

test('the same string from a configFile is a string too', () => {
  const toml = configData('    configFile: c.toml\n', { 'c.toml': 'note = "\\u0000toml:1\\n[evil]"\n' });
  assert.equal(JSON.parse(JSON.stringify(TOML.parse(toml))), { note: '\u0000toml:1\n[evil]' });
});

test('in a sealed template, strings that look like template actions or old tokens stay text; only sealed values are actions', () => {
  const toml = configData(`    config:\n      a: "\\u0000sealed0\\u0000"\n      b: "{{ toJson (index . \\"pw\\") }}"\n      "{{k}}": 1\n    secrets: {pw: "${SEALED}"}\n`);
  assert.is(toml, 'a = "\\u0000sealed0\\u0000"\nb = "{{"{{"}} toJson (index . \\"pw\\") }}"\npw = {{ toJson (index . "pw") }}\n"{{"{{"}}k}}" = 1\n');
  assert.is(toml.match(/\{\{ toJson/g)!.length, 1);
});

test('output key order: keys holding the old NUL separator cannot collide with other key sets', () => {
  assert.equal(orderedKeys({ 'a\u0000b': 1, c: 2 }), ['a\u0000b', 'c']);
  assert.equal(orderedKeys({ a: 1, 'b\u0000c': 2 }), ['a', 'b\u0000c']);
  assert.is(toJson({ a: 1, 'b\u0000c': 2 }, '', ''), '{\n"a": 1,\n"b\\u0000c": 2\n}');
  assert.is(toYaml({ b: 1, 'a\u0000': 2 }), '"a\\u0000": 2\nb: 1\n');
});

test.run();
