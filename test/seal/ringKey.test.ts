import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { appDir, appYaml, fixtureKeyPair, hab, readApp, unseal } from './helpers';

const { privateKey } = fixtureKeyPair();

function ringKey(yamlText: string, args: string[] = []) {
  const dir = appDir(yamlText);
  const before = Date.now();
  const r = hab(['ring-key', dir, ...args]);
  const after = Date.now();
  return { dir, r, before, after };
}

/** Habitat's revision is UTC YYYYMMDDhhmmss; parse it back to check it is "now", whatever the local zone. */
function revisionTime(rev: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(rev)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

test('ring-key: sealed SYM-SEC-1 file with the app name, a UTC revision, a 32-byte key and no trailing newline', () => {
  const { dir, r, before, after } = ringKey(appYaml({ namespace: 'shop' }));
  assert.is(r.status, 0, r.stderr);
  const sealed = parse(readApp(dir)).ring.sealedKey as string;
  const content = unseal(sealed, privateKey, 'shop/shop-ring-key').toString('utf8');
  const m = /^SYM-SEC-1\nshop-(\d{14})\n\n([A-Za-z0-9+/]{43}=)$/.exec(content);
  assert.ok(m, 'SYM-SEC-1 layout');
  assert.not.ok(content.endsWith('\n'));
  assert.is(Buffer.from(m![2]!, 'base64').length, 32);
  const t = revisionTime(m![1]!);
  assert.ok(t >= Math.floor(before / 1000) * 1000 && t <= after, 'revision is the current UTC time');
  // Prints the ring and revision, never the key.
  assert.match(r.stdout, 'ring shop');
  assert.match(r.stdout, `shop-${m![1]}`);
  assert.not.match(r.stdout + r.stderr, m![2]!);
  assert.not.match(r.stdout + r.stderr, 'SYM-SEC-1');
});

test('ring-key --name sets the ring name; the SealedSecret stays <app>-ring-key', () => {
  const { dir, r } = ringKey(appYaml({ namespace: 'shop' }), ['--name', 'gossip_1']);
  assert.is(r.status, 0, r.stderr);
  const content = unseal(parse(readApp(dir)).ring.sealedKey, privateKey, 'shop/shop-ring-key').toString();
  assert.match(content, /^SYM-SEC-1\ngossip_1-\d{14}\n\n[A-Za-z0-9+/]{43}=$/);
  assert.match(r.stdout, /ring gossip_1\b/);
});

test('ring-key honours sealing.scope (cluster-wide: empty label)', () => {
  const { dir, r } = ringKey(appYaml({ scope: 'cluster-wide' }));
  assert.is(r.status, 0, r.stderr);
  assert.match(unseal(parse(readApp(dir)).ring.sealedKey, privateKey, '').toString(), /^SYM-SEC-1\nshop-/);
});

test('ring-key again replaces only ring.sealedKey (rotation)', () => {
  const { dir, r } = ringKey(appYaml({ namespace: 'shop' }));
  assert.is(r.status, 0);
  const first = readApp(dir);
  const r2 = hab(['ring-key', dir]);
  assert.is(r2.status, 0, r2.stderr);
  assert.match(r2.stdout, /replaced/);
  const second = readApp(dir);
  const a = parse(first).ring.sealedKey;
  const b = parse(second).ring.sealedKey;
  assert.is.not(a, b);
  assert.is(second, first.replace(a, b));
});

test('ring-key rejects a bad ring name (usage) and a missing namespace (input)', () => {
  const bad = ringKey(appYaml({ namespace: 'shop' }), ['--name', 'no/slash']);
  assert.is(bad.r.status, 2);
  const noNs = ringKey(appYaml());
  assert.is(noNs.r.status, 1);
  assert.match(noNs.r.stderr, /no namespace is known/);
  assert.not.match(readApp(noNs.dir), 'sealedKey');
});

test('render passes ring.sealedKey through to the <app>-ring-key SealedSecret, and it decrypts there', () => {
  const { dir, r } = ringKey(appYaml({ namespace: 'shop' }));
  assert.is(r.status, 0);
  const out = hab(['render', dir]);
  assert.is(out.status, 0, out.stderr);
  const docs = parseAllDocuments(out.stdout).map((d) => d.toJS());
  const ss = docs.find((d) => d.kind === 'SealedSecret' && d.metadata.name === 'shop-ring-key');
  assert.ok(ss, 'rendered');
  assert.is(ss.metadata.namespace, 'shop');
  const label = `${ss.metadata.namespace}/${ss.metadata.name}`;
  assert.match(unseal(ss.spec.encryptedData['ring-key'], privateKey, label).toString(), /^SYM-SEC-1\nshop-\d{14}\n\n/);
});

test.run();
