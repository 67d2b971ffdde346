import TOML from '@iarna/toml';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { executeGoTemplate, goJsonMarshalString } from './goTemplate';
import { appDir, fixtureKeyPair, hab, unseal } from './helpers';

const { privateKey } = fixtureKeyPair();

test('test evaluator: Go json.Marshal string escaping (HTML-safe, U+2028/9, invalid UTF-8, Go 1.22 \\b \\f)', () => {
  const m = (b: Buffer | string) => goJsonMarshalString(Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8')).toString('utf8');
  assert.is(m('<a href="x">&</a>'), '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
  assert.is(m('\u2028\u2029'), '"\\u2028\\u2029"');
  assert.is(m(Buffer.from([0x61, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80])), '"a\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd"');
  assert.is(m('\u0001\b\f\n\r\t\\\u007f'), '"\\u0001\\b\\f\\n\\r\\t\\\\\u007f"');
  assert.is(m('ünï 😀'), '"ünï 😀"');
});

test('test evaluator: text, string literals, toJson of fields and index', () => {
  const data = new Map([
    ['x', Buffer.from('a"b')],
    ['a.b', Buffer.from('<')],
  ]);
  assert.is(executeGoTemplate('p {{"{{"}} q }} {{ toJson .x }} {{ toJson (index . "a.b") }} {{ index . "x" }}', data).toString(), 'p {{ q }} "a\\"b" "\\u003c" a"b');
  assert.throws(() => executeGoTemplate('{{ .missing }}', data), /missing key/);
  assert.throws(() => executeGoTemplate('{{ quote .x }}', data), /not supported/);
  assert.throws(() => executeGoTemplate('{{ toJson .x ', data), /unclosed/);
});

/** The controller derives the OAEP label from the SealedSecret's own metadata (SecretScope + EncryptionLabel). */
function controllerLabel(ss: { metadata: { name: string; namespace?: string; annotations?: Record<string, string> } }, destNs: string): string {
  const a = ss.metadata.annotations ?? {};
  const ns = ss.metadata.namespace ?? destNs;
  if (a['sealedsecrets.bitnami.com/cluster-wide'] === 'true') return '';
  if (a['sealedsecrets.bitnami.com/namespace-wide'] === 'true') return ns;
  return `${ns}/${ss.metadata.name}`;
}

/** What the controller's Unseal produces for template.data["user.toml"]. */
function unsealUserToml(ss: any, destNs: string): string {
  const label = controllerLabel(ss, destNs);
  const data = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(ss.spec.encryptedData as Record<string, string>)) data.set(k, unseal(v, privateKey, label));
  return executeGoTemplate(ss.spec.template.data['user.toml'], data).toString('utf8');
}

function setPath(obj: Record<string, any>, dotted: string, value: unknown) {
  const segs = dotted.split('.');
  let at = obj;
  for (const s of segs.slice(0, -1)) at = at[s] ??= {};
  at[segs[segs.length - 1]!] = value;
}

const toPlain = (v: unknown) => JSON.parse(JSON.stringify(v));

function renderedSealedSecrets(dir: string, args: string[] = []) {
  const r = hab(['render', dir, ...args]);
  assert.is(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS())
    .filter((d) => d.kind === 'SealedSecret');
}

const HABITAT = (scope: string, ns: boolean) => `apiVersion: habitat-cmp/v1
kind: App
metadata:
  name: shop
${ns ? '  namespace: shop\n' : ''}sealing:
  certificate: .sealed-secrets.pem
  scope: ${scope}
services:
  db:
    image: habitat/redis-hab:4.0.14
    config:
      motd: "hello {{ .name }} and }} and {{"
      tcp-backlog: 128
      auth:
        user: "admin"
      tls: {enabled: true, ciphers: ["a{{b", "c"]}
`;

const SECRETS: [string, string][] = [
  ['requirepass', 'p"a\\ss\nword\ttab'],
  ['auth.password', '{{ .requirepass }} and {{"{{"}} }}'],
  ['tls.key.passphrase', 'ünïcødé 😀 \u2028 \u2029 <script>&amp;</script>'],
  ['ctl', '\u0000\u0001\b\f\r\u001f end'],
  ['quote_only', "'''\"\"\"'"],
];

for (const [scope, ns, destNs] of [
  ['strict', true, 'shop'],
  ['namespace-wide', true, 'shop'],
  ['cluster-wide', false, 'anywhere'],
] as const) {
  test(`rendered SealedSecret (${scope}): decrypted and executed like the controller, user.toml = plain config + secrets`, () => {
    const dir = appDir(HABITAT(scope, ns));
    for (const [key, value] of SECRETS) {
      const r = hab(['seal', dir, '--service', 'db', '--key', key], { input: value });
      assert.is(r.status, 0, r.stderr);
    }
    const [ss] = renderedSealedSecrets(dir, ns ? [] : ['--namespace', destNs]).filter((d) => d.metadata.name === 'db-config');
    assert.ok(ss, 'db-config SealedSecret rendered');
    assert.equal(Object.keys(ss.spec.encryptedData).sort(), SECRETS.map(([k]) => k).sort(), 'encryptedData keys are the secrets keys verbatim');
    const userToml = unsealUserToml(ss, destNs);
    const expected: Record<string, any> = {
      motd: 'hello {{ .name }} and }} and {{',
      'tcp-backlog': 128,
      auth: { user: 'admin' },
      tls: { enabled: true, ciphers: ['a{{b', 'c'] },
    };
    for (const [k, v] of SECRETS) setPath(expected, k, v);
    assert.equal(toPlain(TOML.parse(userToml)), expected);
  });
}

test('property: any UTF-8 secret without DEL survives seal -> render -> controller template -> TOML', () => {
  const values = fc.sample(
    fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.string({ unit: fc.constantFrom('{', '}', '"', '\\', '\n', '.', ' ', '<', '&', '\u2028', 'é', '\u0000'), minLength: 1, maxLength: 12 })).filter((s) => !s.includes('\u007f') && Buffer.from(s, 'utf8').toString('utf8') === s),
    { numRuns: 16, seed: 20240601 },
  );
  const dir = appDir(HABITAT('strict', true));
  values.forEach((v, i) => {
    const r = hab(['seal', dir, '--service', 'db', '--key', `p${i}`], { input: v });
    assert.is(r.status, 0, r.stderr);
  });
  const [ss] = renderedSealedSecrets(dir).filter((d) => d.metadata.name === 'db-config');
  const parsed = toPlain(TOML.parse(unsealUserToml(ss, 'shop')));
  values.forEach((v, i) => assert.is(parsed[`p${i}`], v, `value ${i}`));
});

test.run();
