import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { FIXTURES, fixtureKeyPair, hab, tmp, unseal, UPDATE } from './helpers';

const EDIT = join(FIXTURES, 'edit');
const GOLDEN = join(EDIT, 'habitat.after.yaml');

/** Ciphertext is random, so the golden shows where each value went and the test checks it decrypts. */
function placeholders(text: string, values: [string, string][]): string {
  for (const [where, v] of values) {
    assert.ok(text.includes(v), `${where} is in the file verbatim`);
    text = text.split(v).join(`<sealed ${where}>`);
  }
  return text;
}

test('seal and ring-key keep every comment, blank line, key order and quoting style', () => {
  const dir = tmp();
  cpSync(join(EDIT, 'habitat.yaml'), join(dir, 'habitat.yaml'));
  mkdirSync(join(dir, 'certs'));
  cpSync(join(FIXTURES, 'rsa2048.pem'), join(dir, 'certs/sealed-secrets.pem'));

  const steps: [string[], string][] = [
    [['seal', dir, '--service', 'db', '--key', 'requirepass'], 'new-requirepass'], // re-seal an existing, double-quoted value
    [['seal', dir, '--service', 'db', '--key', 'auth.token'], 'db-token'], // new key in an existing secrets map
    [['seal', dir, '--service', 'web', '--key', 'admin.password'], 'web-admin'], // flow-style workload without secrets
    [['seal', dir, '--service', 'api', '--key', 'apikey'], 'api-key'], // block workload without secrets
    [['ring-key', dir], ''],
  ];
  for (const [args, input] of steps) {
    const r = hab(args, { input });
    assert.is(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr, '');
  }

  const after = readFileSync(join(dir, 'habitat.yaml'), 'utf8');
  const app = parse(after);
  const { privateKey } = fixtureKeyPair();
  const values: [string, string, string][] = [
    ['services.db.secrets.requirepass', app.services.db.secrets.requirepass, 'shop/db-config'],
    ['services.db.secrets.auth.token', app.services.db.secrets['auth.token'], 'shop/db-config'],
    ['services.web.secrets.admin.password', app.services.web.secrets['admin.password'], 'shop/web-config'],
    ['services.api.secrets.apikey', app.services.api.secrets.apikey, 'shop/api-config'],
    ['ring.sealedKey', app.ring.sealedKey, 'shop/shop-ring-key'],
  ];
  const plain = ['new-requirepass', 'db-token', 'web-admin', 'api-key'];
  values.forEach(([, v, label], i) => {
    const out = unseal(v, privateKey, label).toString();
    if (i < plain.length) assert.is(out, plain[i]);
    else assert.match(out, /^SYM-SEC-1\nshop-\d{14}\n\n/);
  });
  assert.is(app.services.db.secrets.masterauth, 'AgBKEEP000000000000000000000000000000000000000000000==', 'other sealed values untouched');

  const shown = placeholders(after, values.map(([w, v]) => [w, v]));
  if (UPDATE || !existsSync(GOLDEN)) {
    if (!UPDATE) assert.unreachable('missing golden test/seal/fixtures/edit/habitat.after.yaml; run UPDATE=1 node test/run.mjs seal and review it');
    writeFileSync(GOLDEN, shown);
  }
  assert.fixture(shown, readFileSync(GOLDEN, 'utf8'));
});

test('re-sealing changes exactly one line', () => {
  const dir = tmp();
  cpSync(join(EDIT, 'habitat.yaml'), join(dir, 'habitat.yaml'));
  mkdirSync(join(dir, 'certs'));
  cpSync(join(FIXTURES, 'rsa2048.pem'), join(dir, 'certs/sealed-secrets.pem'));
  const before = readFileSync(join(dir, 'habitat.yaml'), 'utf8').split('\n');
  assert.is(hab(['seal', dir, '--service', 'db', '--key', 'masterauth'], { input: 'x' }).status, 0);
  const after = readFileSync(join(dir, 'habitat.yaml'), 'utf8').split('\n');
  assert.is(after.length, before.length);
  const changed = before.map((l, i) => (l === after[i] ? -1 : i)).filter((i) => i >= 0);
  assert.equal(changed.map((i) => before[i]), ['      masterauth: AgBKEEP000000000000000000000000000000000000000000000==']);
  assert.match(after[changed[0]!]!, /^      masterauth: AQ[A-Za-z0-9+/]+=*$/);
});

test.run();
