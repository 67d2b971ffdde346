import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { ringKeyAction } from '../../src/action/ringKey';
import { sealAction } from '../../src/action/seal';
import { memFs, type UserFiles } from '../../src/load/repoFs';
import { appDir, fixtureKeyPair, FIXTURES, hab, NoKeyCouldDecrypt, readApp, unseal } from './helpers';

/**
 * seal, ring-key and render share one identity: the value is sealed for the
 * namespace and names render gives the SealedSecret in the selected
 * environment, and written where that environment reads it.
 */
const { privateKey } = fixtureKeyPair();

// The example: base namespace shop, overlay prod moves the app to shop-prod.
const SHOP = `apiVersion: habitat-cmp/v1
kind: App
metadata:
  name: shop
  namespace: shop
sealing:
  certificate: .sealed-secrets.pem
services:
  db:
    image: core/postgresql11:11.2
    config:
      port: 5432
environments:
  prod:
    metadata: {namespace: shop-prod}
    services:
      db: {count: 2}
`;

const rendered = (dir: string, args: string[] = []) => {
  const r = hab(['render', dir, ...args]);
  assert.is(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout).map((d) => d.toJS());
};

const decrypts = (value: string, label: string): boolean => {
  try {
    unseal(value, privateKey, label);
    return true;
  } catch (e) {
    if (e instanceof NoKeyCouldDecrypt) return false;
    throw e;
  }
};

test('seal --env prod seals for shop-prod/db-config and writes environments.prod; render --env prod carries it there', () => {
  const dir = appDir(SHOP);
  const r = hab(['seal', dir, '--env', 'prod', '--service', 'db', '--key', 'password'], { input: 'pw' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'sealed environments.prod.services.db.secrets.password in');
  assert.match(r.stdout, 'for SealedSecret shop-prod/db-config (strict scope)');
  const app = parse(readApp(dir));
  const value = app.environments.prod.services.db.secrets.password as string;
  assert.equal(app.environments.prod.services.db.count, 2, 'the rest of the overlay is kept');
  assert.is(app.services.db.secrets, undefined, 'the base is untouched');
  assert.is(unseal(value, privateKey, 'shop-prod/db-config').toString(), 'pw');
  assert.not.ok(decrypts(value, 'shop/db-config'));
  const ss = rendered(dir, ['--env', 'prod']).find((d) => d.kind === 'SealedSecret');
  assert.is(ss.metadata.namespace, 'shop-prod');
  assert.is(ss.spec.encryptedData.password, value);
  assert.ok(decrypts(ss.spec.encryptedData.password, `${ss.metadata.namespace}/${ss.metadata.name}`), 'decrypts where render puts it');
});

test('seal --namespace shop-prod: refused without --env (naming the environment), accepted with --env prod', () => {
  const dir = appDir(SHOP);
  const refused = hab(['seal', dir, '--namespace', 'shop-prod', '--service', 'db', '--key', 'password', '--raw'], { input: 'pw' });
  assert.is(refused.status, 1);
  assert.match(refused.stderr, /habitat\.yaml:5:14: error: habitat\.yaml pins namespace "shop" but the destination namespace is "shop-prod" \[namespace-mismatch\]/);
  assert.match(refused.stderr, /hint: environment prod pins namespace "shop-prod": select it \(--env prod/);
  const ok = hab(['seal', dir, '--env', 'prod', '--namespace', 'shop-prod', '--service', 'db', '--key', 'password', '--raw'], { input: 'pw' });
  assert.is(ok.status, 0, ok.stderr);
  assert.is(unseal(ok.stdout, privateKey, 'shop-prod/db-config').toString(), 'pw');
});

test('render --env prod refuses a base value sealed for the base namespace, positioned, and names the fix', () => {
  const dir = appDir(SHOP);
  assert.is(hab(['seal', dir, '--service', 'db', '--key', 'password'], { input: 'pw' }).status, 0);
  assert.is(hab(['render', dir]).status, 0, 'the base renders');
  const r = hab(['render', dir, '--env', 'prod']);
  assert.is(r.status, 1);
  assert.match(r.stderr, /habitat\.yaml:14:17: error: sealed in the base for namespace "shop", but environment prod renders into "shop-prod", where it cannot be decrypted \[sealed-value-namespace-changed\]/);
  assert.match(r.stderr, 'hint: seal it for prod (into environments.prod): habitat-cmp seal --env prod --service db --key password');
  assert.is(hab(['seal', dir, '--env', 'prod', '--service', 'db', '--key', 'password'], { input: 'pw' }).status, 0);
  const ss = rendered(dir, ['--env', 'prod']).find((d) => d.kind === 'SealedSecret');
  assert.ok(decrypts(ss.spec.encryptedData.password, 'shop-prod/db-config'));
});

test('ring-key --env prod writes environments.prod.ring.sealedKey for shop-prod/shop-ring-key; the base key stays', () => {
  const dir = appDir(SHOP);
  assert.is(hab(['ring-key', dir]).status, 0);
  const baseKey = parse(readApp(dir)).ring.sealedKey as string;
  const r = hab(['ring-key', dir, '--env', 'prod']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote environments\.prod\.ring\.sealedKey in .* for SealedSecret shop-prod\/shop-ring-key/);
  const app = parse(readApp(dir));
  assert.is(app.ring.sealedKey, baseKey);
  assert.match(unseal(app.environments.prod.ring.sealedKey, privateKey, 'shop-prod/shop-ring-key').toString(), /^SYM-SEC-1\nshop-\d{14}\n\n/);
  assert.match(hab(['ring-key', dir, '--env', 'prod']).stdout, /^replaced environments\.prod\.ring\.sealedKey/m);
  const ss = rendered(dir, ['--env', 'prod']).find((d) => d.kind === 'SealedSecret' && d.metadata.name === 'shop-ring-key');
  assert.ok(decrypts(ss.spec.encryptedData['ring-key'], 'shop-prod/shop-ring-key'));
});

test('seal --env with an unknown environment: the same positioned error as render', () => {
  const r = hab(['seal', appDir(SHOP), '--env', 'qa', '--service', 'db', '--key', 'k'], { input: 'pw' });
  assert.is(r.status, 1);
  assert.match(r.stderr, /habitat\.yaml:13:1: error: unknown environment "qa" \[environment-unknown\]\n[\s\S]*hint: known environments: prod/);
});

test('seal checks collisions on the merged config: configFile and the overlay count too', () => {
  const dir = appDir(SHOP.replace('    config:\n      port: 5432\n', '    configFile: db.toml\n').replace('      db: {count: 2}', '      db: {config: {tls: on}}'));
  writeFileSync(join(dir, 'db.toml'), '[auth]\nmethod = "md5"\nuser = "x"\n');
  const fromFile = hab(['seal', dir, '--service', 'db', '--key', 'auth.user'], { input: 'pw' });
  assert.is(fromFile.status, 1);
  assert.match(fromFile.stderr, /habitat\.yaml:11:17: error: services\.db\.configFile already sets "auth\.user", which overlaps the sealed key "auth\.user" \[seal-config-collision\]/);
  const fromOverlay = hab(['seal', dir, '--env', 'prod', '--service', 'db', '--key', 'tls'], { input: 'pw' });
  assert.is(fromOverlay.status, 1);
  assert.match(fromOverlay.stderr, /habitat\.yaml:16:21: error: services\.db\.config already sets "tls"/);
  assert.is(hab(['seal', dir, '--service', 'db', '--key', 'tls', '--raw'], { input: 'pw' }).status, 0, 'the base has no tls');
});

test('seal refuses what render refuses about the file itself: schema errors and duplicate keys, positioned', () => {
  const bad = hab(['seal', appDir(SHOP.replace('    image:', '    imag:')), '--service', 'db', '--key', 'k', '--raw'], { input: 'pw' });
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /habitat\.yaml:10:5: error: unknown key "imag" in services\.db; did you mean "image"\? \[schema-unknown-key\]/);
  const dup = hab(['seal', appDir(SHOP.replace('      port: 5432\n', '      port: 5432\n      port: 1\n')), '--service', 'db', '--key', 'k', '--raw'], { input: 'pw' });
  assert.is(dup.status, 1);
  assert.match(dup.stderr, /habitat\.yaml:13:7: error: duplicate key/);
});

test('a byte-order mark and CRLF line ends survive a seal', () => {
  const dir = appDir('\ufeff' + SHOP.replace(/\n/g, '\r\n'));
  assert.is(hab(['seal', dir, '--service', 'db', '--key', 'k'], { input: 'pw' }).status, 0);
  const text = readFileSync(join(dir, 'habitat.yaml'), 'utf8');
  assert.ok(text.startsWith('\ufeffapiVersion'), 'BOM kept');
  assert.not.match(text.replace(/\r\n/g, ''), '\n', 'CRLF everywhere');
});

test('the actions read and write only through the repository filesystem layer (in memory here)', async () => {
  const cert = readFileSync(join(FIXTURES, 'rsa2048.pem'), 'utf8');
  const files: Record<string, string> = { 'habitat.yaml': SHOP, '.sealed-secrets.pem': cert };
  const fs = memFs(files);
  const none: UserFiles = { read: () => ({ kind: 'missing' }) };
  const io = { fs, files: none, now: new Date() };
  const sealed = await sealAction({ service: 'db', key: 'password', raw: false, environment: 'prod' }, io, async () => new TextEncoder().encode('pw'));
  assert.equal(sealed.diagnostics, []);
  assert.is(sealed.exit, 0);
  const key = await ringKeyAction({}, io);
  assert.is(key.exit, 0);
  const app = parse(files['habitat.yaml']!);
  assert.is(unseal(app.environments.prod.services.db.secrets.password, privateKey, 'shop-prod/db-config').toString(), 'pw');
  assert.match(unseal(app.ring.sealedKey, privateKey, 'shop/shop-ring-key').toString(), /^SYM-SEC-1\nshop-/);
  const missing = await sealAction({ service: 'db', key: 'k', raw: true, cert: 'elsewhere.pem' }, io, async () => new Uint8Array([1]));
  assert.equal(missing.diagnostics.map((d) => `${d.code} ${d.message}`), ['certificate-unreadable --cert elsewhere.pem does not exist']);
});

test.run();
