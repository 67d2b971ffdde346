import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appDir, appYaml, FIXTURES, hab, readApp, tmp } from './helpers';

const seal = (dir: string, extra: string[] = [], input = 'pw') => hab(['seal', dir, '--service', 'db', '--key', 'requirepass', ...extra], { input });

function expectInputError(r: { status: number | null; stderr: string; stdout: string }, pattern: RegExp) {
  assert.is(r.status, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, pattern);
  assert.not.match(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
}

test('expired certificate (committed fixture, NotAfter 2021-01-01): exit 1, says expired', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }), join(FIXTURES, 'expired-rsa2048.pem'));
  const before = readApp(dir);
  expectInputError(seal(dir), /habitat\.yaml:7:3: error: sealing\.certificate \.sealed-secrets\.pem: the certificate expired on 2021-01-01T00:00:00\.000Z/);
  assert.is(readApp(dir), before, 'habitat.yaml untouched');
});

test('EC certificate: exit 1, says RSA only', () => {
  expectInputError(seal(appDir(appYaml({ namespace: 'myns' }), join(FIXTURES, 'ec.pem'))), /holds an ec key; Sealed Secrets encrypts with RSA only/);
});

test('garbage, private key, bare public key, corrupt PEM: each a clear error', () => {
  const d = tmp();
  const cases: [string, string, RegExp][] = [
    ['garbage.pem', 'not a certificate at all\n', /not a PEM certificate/],
    ['key.pem', readFileSync(join(FIXTURES, 'rsa2048.key'), 'utf8'), /private key, not a certificate/],
    ['pub.pem', '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n', /bare public key/],
    ['corrupt.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', /not a valid X\.509 certificate/],
    ['empty.pem', '', /not a PEM certificate/],
  ];
  for (const [name, content, pattern] of cases) {
    writeFileSync(join(d, name), content);
    expectInputError(seal(appDir(appYaml({ namespace: 'myns' })), ['--cert', join(d, name)]), pattern);
  }
  expectInputError(seal(appDir(appYaml({ namespace: 'myns' })), ['--cert', join(d, 'missing.pem')]), /--cert .*missing\.pem does not exist/);
});

test('no certificate configured: points at sealing.certificate and --cert', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }).replace('sealing:\n  certificate: .sealed-secrets.pem\n', ''));
  expectInputError(seal(dir), /no certificate to seal with[\s\S]*hint: set sealing\.certificate/);
});

test('sealing.certificate must stay inside DIR: "..", absolute, and symlinks out are refused', () => {
  const outside = tmp();
  writeFileSync(join(outside, 'c.pem'), readFileSync(join(FIXTURES, 'rsa2048.pem')));
  const parent = appDir(appYaml({ namespace: 'myns' }).replace('.sealed-secrets.pem', '../c.pem'));
  expectInputError(seal(parent), /habitat\.yaml:\d+:\d+: error: sealing\.certificate must be a relative path inside the app directory \(no "\.\." segments\)/);
  const abs = appDir(appYaml({ namespace: 'myns' }).replace('.sealed-secrets.pem', join(outside, 'c.pem')));
  expectInputError(seal(abs), /relative path inside the app directory \(not absolute\)/);
  const link = appDir(appYaml({ namespace: 'myns' }).replace('.sealed-secrets.pem', 'certs/c.pem'));
  mkdirSync(join(link, 'certs'));
  symlinkSync(join(outside, 'c.pem'), join(link, 'certs/c.pem'));
  expectInputError(seal(link), /outside the app directory/);
  // A symlink that stays inside is fine.
  const inside = appDir(appYaml({ namespace: 'myns' }).replace('.sealed-secrets.pem', 'link.pem'));
  symlinkSync('.sealed-secrets.pem', join(inside, 'link.pem'));
  assert.is(seal(inside, ['--raw']).status, 0);
});

test('unknown service: exit 1 with file:line:col and the known workloads', () => {
  const r = hab(['seal', appDir(appYaml({ namespace: 'myns' })), '--service', 'cache', '--key', 'k'], { input: 'pw' });
  expectInputError(r, /habitat\.yaml:8:1: error: --service cache is not a workload under services[\s\S]*known workloads: db, web/);
});

test('--scope differing from sealing.scope is an error telling to change sealing.scope first', () => {
  const dir = appDir(appYaml({ namespace: 'myns', scope: 'namespace-wide' }));
  const r = seal(dir, ['--scope', 'cluster-wide']);
  expectInputError(r, /habitat\.yaml:\d+:\d+: error: --scope cluster-wide differs from sealing\.scope \(namespace-wide\)[\s\S]*hint: set "sealing\.scope: cluster-wide" in habitat\.yaml first/);
  const unset = seal(appDir(appYaml({ namespace: 'myns' })), ['--scope', 'namespace-wide']);
  expectInputError(unset, /differs from sealing\.scope \(not set, so strict\)/);
  assert.is(seal(dir, ['--scope', 'namespace-wide', '--raw']).status, 0, 'restating sealing.scope is fine');
});

test('strict and namespace-wide need a namespace; --namespace must agree with metadata.namespace', () => {
  expectInputError(seal(appDir(appYaml())), /strict scope binds the value to a namespace, and no namespace is known/);
  expectInputError(seal(appDir(appYaml({ scope: 'namespace-wide' }))), /namespace-wide scope binds/);
  // The same rule and words as render: --namespace is the destination namespace.
  expectInputError(seal(appDir(appYaml({ namespace: 'myns' })), ['--namespace', 'other']), /habitat\.yaml:5:14: error: habitat\.yaml pins namespace "myns" but the destination namespace is "other" \[namespace-mismatch\]/);
});

test('usage errors exit 2 with a one-line hint: unknown flag, missing --service/--key, bad --scope, bad --key, two positionals', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }));
  const cases: [string[], RegExp][] = [
    [['seal', dir, '--service', 'db', '--key', 'k', '--value', 'x'], /unknown flag; seal accepts --service, --key, --raw/],
    [['ring-key', dir, '--value', 'x'], /unknown flag --value/],
    [['seal', dir, '--key', 'k'], /--service is required/],
    [['seal', dir, '--service', 'db'], /--key is required/],
    [['seal', dir, '--service', 'db', '--key', 'k', '--scope', 'global'], /--scope must be one of strict, namespace-wide, cluster-wide/],
    [['seal', dir, '--service', 'db', '--key', 'a..b'], /--key must be a dotted TOML path/],
    [['seal', dir, '--service', 'db', '--key', 'k', 'extra'], /at most one directory/],
    [['ring-key', dir, '--cert'], /--cert needs a value/],
  ];
  for (const [args, pattern] of cases) {
    const r = hab(args, { input: 'pw' });
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.match(r.stderr, /\nusage: habitat-cmp (seal|ring-key) /);
    assert.is(r.stdout, '');
  }
});

test('value problems: empty, invalid UTF-8, DEL (toJson would leave it raw, which TOML forbids)', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }));
  expectInputError(seal(dir, [], ''), /the value on stdin is empty/);
  const bin = join(tmp(), 'bin');
  writeFileSync(bin, Buffer.from([0x66, 0xff, 0x66]));
  expectInputError(seal(dir, ['--from-file', bin]), /not valid UTF-8/);
  expectInputError(seal(dir, [], 'a\u007fb'), /U\+007F/);
  assert.not.match(readApp(dir), 'secrets:');
});

test('collisions with plain config or another sealed key are refused before anything is written', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }).replace('    image: habitat/redis-hab:4.0.14\n', '    image: habitat/redis-hab:4.0.14\n    config:\n      auth: {user: x}\n      port: 6379\n'));
  expectInputError(hab(['seal', dir, '--service', 'db', '--key', 'port'], { input: 'pw' }), /config already sets "port"/);
  expectInputError(hab(['seal', dir, '--service', 'db', '--key', 'port.x'], { input: 'pw' }), /config already sets "port"/);
  expectInputError(hab(['seal', dir, '--service', 'db', '--key', 'auth'], { input: 'pw' }), /config already sets "auth"/);
  assert.is(hab(['seal', dir, '--service', 'db', '--key', 'auth.password'], { input: 'pw' }).status, 0, 'a new key in an existing table is fine');
  expectInputError(hab(['seal', dir, '--service', 'db', '--key', 'auth.password.x'], { input: 'pw' }), /sealed keys "auth\.password" and "auth\.password\.x" overlap/);
});

test('missing habitat.yaml and invalid YAML', () => {
  expectInputError(seal(tmp()), /no habitat\.yaml in /);
  const dir = appDir('services: [\n');
  expectInputError(seal(dir), /habitat\.yaml:\d+:\d+: error:/);
});

test('writes through a symlinked habitat.yaml (inside DIR) and keeps the file mode', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }));
  mkdirSync(join(dir, 'real'));
  renameSync(join(dir, 'habitat.yaml'), join(dir, 'real/app.yaml'));
  chmodSync(join(dir, 'real/app.yaml'), 0o640);
  symlinkSync('real/app.yaml', join(dir, 'habitat.yaml'));
  assert.is(seal(dir).status, 0);
  assert.ok(lstatSync(join(dir, 'habitat.yaml')).isSymbolicLink(), 'the link stays a link');
  assert.match(readFileSync(join(dir, 'real/app.yaml'), 'utf8'), /requirepass: A/);
  assert.is(statSync(join(dir, 'real/app.yaml')).mode & 0o777, 0o640);
  assert.equal(readdirSync(join(dir, 'real')), ['app.yaml'], 'no temp file left behind');
});

test.run();
