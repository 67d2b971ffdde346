import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setYamlString } from '../../src/seal/editHabitatYaml';

const V = 'AgBnewValue+/==';

function edit(text: string, path: string[], value = V): string {
  const r = setYamlString(text, path, value);
  if (!r.ok) assert.unreachable(`edit refused: ${r.message}`);
  return (r as { text: string }).text;
}

const BASE = `# top comment
apiVersion: habitat-cmp/v1   # trailing
kind: App

services:
  db:
    image: 'habitat/redis:4'
    secrets:
      old: "AgBold=="   # keep me
      plain: AgBplain==
      single: 'AgBsingle=='

    # comment before web
  web: {image: "x/web", config: {a: 1}}
`;

test('replacing a value keeps its quoting style and touches nothing else', () => {
  assert.is(edit(BASE, ['services', 'db', 'secrets', 'old']), BASE.replace('"AgBold=="', `"${V}"`));
  assert.is(edit(BASE, ['services', 'db', 'secrets', 'plain']), BASE.replace('AgBplain==', V));
  assert.is(edit(BASE, ['services', 'db', 'secrets', 'single']), BASE.replace("'AgBsingle=='", `'${V}'`));
});

test('a new key goes after the last entry of the block map, before trailing blank lines and comments', () => {
  assert.is(edit(BASE, ['services', 'db', 'secrets', 'auth.password']), BASE.replace("      single: 'AgBsingle=='\n", `      single: 'AgBsingle=='\n      auth.password: ${V}\n`));
});

test('flow maps get a flow entry; missing maps are created in the parent style', () => {
  assert.is(edit(BASE, ['services', 'web', 'secrets', 'k']), BASE.replace('config: {a: 1}}', `config: {a: 1}, secrets: {k: ${V}}}`));
  assert.is(edit('services:\n  web: {image: x, secrets: {}}\n', ['services', 'web', 'secrets', 'k']), `services:\n  web: {image: x, secrets: {k: ${V}}}\n`);
  assert.is(edit(BASE, ['ring', 'sealedKey']), BASE + `ring:\n  sealedKey: ${V}\n`);
});

test('`before` puts a new key above a sibling and its comment lines, mirroring a separating blank line', () => {
  const r = setYamlString(BASE, ['ring', 'sealedKey'], V, { before: ['sealing', 'services'] });
  assert.ok(r.ok);
  assert.is((r as { text: string }).text, BASE.replace('kind: App\n\nservices:', `kind: App\n\nring:\n  sealedKey: ${V}\n\nservices:`));
  const tight = 'kind: App\n# the services\nservices:\n  db: {image: x}\n';
  const t = setYamlString(tight, ['ring', 'sealedKey'], V, { before: ['sealing', 'services'] });
  assert.is((t as { text: string }).text, `kind: App\nring:\n  sealedKey: ${V}\n# the services\nservices:\n  db: {image: x}\n`);
});

test('a workload without secrets gets a secrets map at its own indentation (4-space file)', () => {
  const four = 'services:\n    db:\n        image: x   # img\n        config:\n            a: 1\n    web:\n        image: y\n';
  assert.is(edit(four, ['services', 'db', 'secrets', 'k']), four.replace('            a: 1\n', `            a: 1\n        secrets:\n            k: ${V}\n`));
});

test('empty and null values become maps; a comment on the line survives', () => {
  assert.is(edit('ring:\nkind: App\n', ['ring', 'sealedKey']), `ring:\n  sealedKey: ${V}\nkind: App\n`);
  assert.is(edit('ring: ~   # later\nkind: App\n', ['ring', 'sealedKey']), `ring: # later\n  sealedKey: ${V}\nkind: App\n`);
  assert.is(edit('ring:\n  sealedKey:\nkind: App\n', ['ring', 'sealedKey']), `ring:\n  sealedKey: ${V}\nkind: App\n`);
});

test('no trailing newline, CRLF line endings, document markers', () => {
  assert.is(edit('kind: App', ['ring', 'sealedKey']), `kind: App\nring:\n  sealedKey: ${V}\n`);
  const crlf = 'kind: App\r\nservices:\r\n  db:\r\n    image: x\r\n';
  assert.is(edit(crlf, ['services', 'db', 'secrets', 'k']), crlf + `    secrets:\r\n      k: ${V}\r\n`);
  const marked = '---\n# c\nkind: App\n...\n';
  assert.is(edit(marked, ['ring', 'sealedKey']), `---\n# c\nkind: App\nring:\n  sealedKey: ${V}\n...\n`);
});

test('values that would not read back as strings are quoted', () => {
  assert.is(edit('kind: App\n', ['ring', 'sealedKey'], '123'), 'kind: App\nring:\n  sealedKey: "123"\n');
  assert.is(edit('kind: App\n', ['ring', 'sealedKey'], 'true'), 'kind: App\nring:\n  sealedKey: "true"\n');
  assert.is(edit('s:\n  a: 1\n', ['s', 'null'], 'x'), 's:\n  a: 1\n  "null": x\n');
});

test('refuses rather than corrupting: aliases, non-string targets, non-map parents, invalid YAML', () => {
  const refuse = (text: string, path: string[], pattern: RegExp) => {
    const r = setYamlString(text, path, V);
    assert.not.ok(r.ok);
    assert.match((r as { message: string }).message, pattern);
  };
  refuse('base: &b {k: v}\nservices:\n  db:\n    secrets: *b\n', ['services', 'db', 'secrets', 'k'], /alias/);
  refuse('ring:\n  sealedKey: [a]\n', ['ring', 'sealedKey'], /not a string/);
  refuse('ring: 3\n', ['ring', 'sealedKey'], /not a mapping/);
  refuse('ring: [\n', ['ring', 'sealedKey'], /not valid YAML/);
  refuse('- a\n', ['ring', 'sealedKey'], /not a YAML mapping/);
});

test.run();
