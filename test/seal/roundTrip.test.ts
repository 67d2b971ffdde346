import { spawnSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { appDir, appYaml, fixtureKeyPair, hab, NoKeyCouldDecrypt, opensslKeyPair, readApp, splitSealed, tmp, unseal, type KeyPair } from './helpers';

const fast = fixtureKeyPair();
let rsa4096: KeyPair | undefined;
const big = () => (rsa4096 ??= opensslKeyPair(4096));

const PLAIN = 'super secret "value" \\ with\nnewline {{ and }} ünïcødé ✓';

function sealRaw(dir: string, args: string[], input = PLAIN): string {
  const r = hab(['seal', dir, '--service', 'db', '--key', 'requirepass', '--raw', ...args], { input });
  assert.is(r.stderr, '');
  assert.is(r.status, 0);
  return r.stdout;
}

const fails = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, NoKeyCouldDecrypt);
    assert.ok((e as Error).message.startsWith('no key could decrypt secret'));
    return;
  }
  assert.unreachable('decryption should have failed');
};

test('RSA-4096 (the controller default): prefix 0x0200, "Ag" base64, 2+512+n+16 bytes, decrypts with label namespace/name', () => {
  const kp = big();
  const dir = appDir(appYaml({ namespace: 'myns' }), kp.certFile);
  const v = sealRaw(dir, []);
  assert.ok(v.startsWith('Ag'), 'starts with Ag');
  assert.not.ok(v.endsWith('\n'), '--raw prints no trailing newline');
  const bytes = Buffer.from(v, 'base64');
  assert.is(bytes.readUInt16BE(0), 512);
  assert.is(bytes.length, 2 + 512 + Buffer.byteLength(PLAIN) + 16);
  assert.is(unseal(v, kp.privateKey, 'myns/db-config').toString('utf8'), PLAIN);
});

test('RSA-2048 gives prefix 0x0100 ("AQ")', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }));
  const v = sealRaw(dir, []);
  assert.ok(v.startsWith('AQ'));
  assert.is(unseal(v, fast.privateKey, 'myns/db-config').toString('utf8'), PLAIN);
});

test('every seal is fresh: same input, different ciphertext (random session key)', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }));
  assert.is.not(sealRaw(dir, []), sealRaw(dir, []));
});

// The Sealed Secrets TestRaw matrix: the SealedSecret lives at myns/db-config;
// the value is sealed for various (scope, namespace, name) and must only
// unseal where the controller would derive the same label.
test('TestRaw matrix, strict: wrong namespace or wrong name fails', () => {
  const k = fast.privateKey;
  const v = sealRaw(appDir(appYaml({ namespace: 'myns' })), []);
  assert.is(unseal(v, k, 'myns/db-config').toString(), PLAIN);
  fails(() => unseal(v, k, 'otherns/db-config'));
  fails(() => unseal(v, k, 'myns/web-config'));
  fails(() => unseal(v, k, 'myns'));
  fails(() => unseal(v, k, ''));
  // Sealed for another namespace (the --namespace flag) or another workload.
  const otherNs = sealRaw(appDir(appYaml()), ['--namespace', 'otherns']);
  fails(() => unseal(otherNs, k, 'myns/db-config'));
  assert.is(unseal(otherNs, k, 'otherns/db-config').toString(), PLAIN);
  const r = hab(['seal', appDir(appYaml({ namespace: 'myns' })), '--service', 'web', '--key', 'requirepass', '--raw'], { input: PLAIN });
  assert.is(r.status, 0);
  fails(() => unseal(r.stdout, k, 'myns/db-config'));
  assert.is(unseal(r.stdout, k, 'myns/web-config').toString(), PLAIN);
});

test('TestRaw matrix, namespace-wide: any name in the namespace, wrong namespace fails', () => {
  const k = fast.privateKey;
  const v = sealRaw(appDir(appYaml({ namespace: 'myns', scope: 'namespace-wide' })), ['--scope', 'namespace-wide']);
  assert.is(unseal(v, k, 'myns').toString(), PLAIN);
  fails(() => unseal(v, k, 'otherns'));
  fails(() => unseal(v, k, 'myns/db-config'));
  fails(() => unseal(v, k, ''));
  const otherNs = sealRaw(appDir(appYaml({ scope: 'namespace-wide' })), ['--namespace', 'otherns']);
  fails(() => unseal(otherNs, k, 'myns'));
  assert.is(unseal(otherNs, k, 'otherns').toString(), PLAIN);
});

test('TestRaw matrix, cluster-wide: always decrypts (empty label), namespace not needed', () => {
  const k = fast.privateKey;
  const withNs = sealRaw(appDir(appYaml({ namespace: 'myns', scope: 'cluster-wide' })), ['--scope', 'cluster-wide']);
  const noNs = sealRaw(appDir(appYaml({ scope: 'cluster-wide' })), []);
  const flagNs = sealRaw(appDir(appYaml({ scope: 'cluster-wide' })), ['--namespace', 'otherns']);
  for (const v of [withNs, noNs, flagNs]) {
    assert.is(unseal(v, k, '').toString(), PLAIN);
    fails(() => unseal(v, k, 'myns'));
    fails(() => unseal(v, k, 'myns/db-config'));
  }
});

test('all three scopes with the RSA-4096 key', () => {
  const kp = big();
  const cases: [string, string][] = [
    ['strict', 'myns/db-config'],
    ['namespace-wide', 'myns'],
    ['cluster-wide', ''],
  ];
  for (const [scope, label] of cases) {
    const v = sealRaw(appDir(appYaml({ namespace: 'myns', scope }), kp.certFile), []);
    assert.is(unseal(v, kp.privateKey, label).toString(), PLAIN, scope);
  }
});

test('without --raw: the value lands in services.db.secrets.requirepass and decrypts', () => {
  const dir = appDir(appYaml({ namespace: 'myns' }));
  const r = hab(['seal', dir, '--service', 'db', '--key', 'auth.password'], { input: 'pw' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /services\.db\.secrets\.auth\.password/);
  assert.match(r.stdout, /myns\/db-config/);
  const app = parse(readApp(dir));
  const v = app.services.db.secrets['auth.password'];
  assert.type(v, 'string');
  assert.is(unseal(v, fast.privateKey, 'myns/db-config').toString(), 'pw');
});

test('--from-file reads the value byte for byte; --cert overrides sealing.certificate', () => {
  const kp = big();
  const dir = appDir(appYaml({ namespace: 'myns' }));
  const f = join(tmp(), 'value.bin');
  writeFileSync(f, 'line1\nline2\n');
  const r = hab(['seal', dir, '--service', 'db', '--key', 'k', '--raw', '--from-file', f, '--cert', kp.certFile]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /ends with a line break/);
  assert.is(unseal(r.stdout, kp.privateKey, 'myns/db-config').toString(), 'line1\nline2\n');
  fails(() => unseal(r.stdout, fast.privateKey, 'myns/db-config'));
});

test('the app name comes from --name or the directory when metadata.name is absent', () => {
  const yamlNoName = appYaml({ namespace: 'myns' }).replace('  name: shop\n', '');
  const r = hab(['ring-key', appDir(yamlNoName), '--name', 'ring1']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /myns\/ring1-ring-key/);
});

test('openssl pkeyutl decrypts the RSA part with OAEP SHA-256/MGF1 SHA-256 and the scope label', () => {
  const kp = big();
  const v = sealRaw(appDir(appYaml({ namespace: 'myns' }), kp.certFile), []);
  const { rsa, aes, tag } = splitSealed(v);
  const d = tmp();
  writeFileSync(join(d, 'rsa.bin'), rsa);
  const run = (label: string) =>
    spawnSync('openssl', ['pkeyutl', '-decrypt', '-inkey', kp.keyFile, '-in', join(d, 'rsa.bin'), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256', '-pkeyopt', `rsa_oaep_label:${Buffer.from(label).toString('hex')}`]);
  const ok = run('myns/db-config');
  assert.is(ok.status, 0, ok.stderr?.toString());
  assert.is(ok.stdout.length, 32, '32-byte AES-256 session key');
  // The session key from openssl opens the AES-GCM part with a zero nonce.
  const dec = createDecipheriv('aes-256-gcm', ok.stdout, Buffer.alloc(12));
  dec.setAuthTag(tag);
  assert.is(Buffer.concat([dec.update(aes), dec.final()]).toString(), PLAIN);
  const bad = run('otherns/db-config');
  assert.is.not(bad.status, 0, 'wrong label must fail');
});

test.run();
