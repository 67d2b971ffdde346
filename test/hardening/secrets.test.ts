import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../helpers/cli';
import { boundedCli, reportProblems } from './run';

/**
 * Secret hygiene: canary plaintexts are sealed here with a throwaway RSA key
 * (the controller's hybrid layout, built with Node crypto, not with our code),
 * then every command and every error path we can reach runs against them. The
 * plaintext (and its base64) may never appear anywhere; the ciphertext may
 * appear on stdout of a successful render (that is the product) and nowhere else.
 */
const s = suite('hardening: no secret material in output');

const PLAIN = 'CANARY-hunter2-7f3a9c41d0';
const RING_PLAIN = 'SYM-SEC-1\ncanary-ring-20240101\n\nQ0FOQVJZLXJpbmcta2V5LWJ5dGVzLTMyLWxvbmctLS0tLQ==';
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function seal(pub: KeyObject, label: string, plain: string): string {
  const session = randomBytes(32);
  const rsa = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) }, session);
  const gcm = createCipheriv('aes-256-gcm', session, Buffer.alloc(12));
  const body = Buffer.concat([gcm.update(plain, 'utf8'), gcm.final(), gcm.getAuthTag()]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(rsa.length);
  return Buffer.concat([len, rsa, body]).toString('base64');
}

const SEALED = seal(publicKey, 'shop/redis-config', PLAIN);
const SEALED_RING = seal(publicKey, 'shop/demo-ring-key', RING_PLAIN);
const SEALED_2 = seal(publicKey, 'shop/redis-config', PLAIN + '-2');
const b64 = (x: string) => Buffer.from(x).toString('base64');

/** Everything that must never be printed: plaintexts, their base64, and (on stderr) any 24-character piece of ciphertext. */
function leaks(text: string, allowCiphertext: boolean): string[] {
  const out: string[] = [];
  for (const p of [PLAIN, 'canary-ring-20240101', b64(PLAIN), b64(RING_PLAIN).slice(0, 24)]) if (text.includes(p)) out.push(`plaintext ${JSON.stringify(p.slice(0, 12))}…`);
  if (!allowCiphertext) {
    for (const c of [SEALED, SEALED_RING, SEALED_2]) {
      for (let i = 0; i + 24 <= c.length; i += 12) {
        if (text.includes(c.slice(i, i + 24))) {
          out.push(`ciphertext piece at ${i}`);
          break;
        }
      }
    }
  }
  return out;
}

const base = (over: { ns?: boolean; extra?: string; secrets?: string; top?: string } = {}) =>
  `apiVersion: habitat-cmp/v1
kind: App
metadata:
  name: demo
${over.ns === false ? '' : '  namespace: shop\n'}sealing:
  scope: strict
ring:
  sealedKey: ${SEALED_RING}
${over.top ?? ''}services:
  redis:
    image: habitat/redis-hab
    config:
      port: 6379
    secrets:
${over.secrets ?? `      requirepass: ${SEALED}\n`}${over.extra ?? ''}`;

interface Scenario {
  name: string;
  yaml: string;
  args: string[];
  env?: Record<string, string>;
  input?: string;
  exit: number;
  files?: Record<string, string>;
}

const scenarios: Scenario[] = [
  { name: 'render ok', yaml: base(), args: ['render'], exit: 0 },
  { name: 'render --output json', yaml: base(), args: ['render', '--output', 'json'], exit: 0 },
  { name: 'validate ok', yaml: base(), args: ['validate'], exit: 0 },
  { name: 'generate ok', yaml: base(), args: ['generate'], env: { ARGOCD_APP_NAMESPACE: 'shop', ARGOCD_APP_NAME: 'demo' }, exit: 0 },
  { name: 'parameters', yaml: base(), args: ['parameters'], exit: 0 },
  { name: 'schema', yaml: base(), args: ['schema'], exit: 0 },
  { name: 'namespace unknown', yaml: base({ ns: false }), args: ['render'], exit: 1 },
  { name: 'namespace mismatch (generate)', yaml: base(), args: ['generate'], env: { ARGOCD_APP_NAMESPACE: 'other' }, exit: 1 },
  { name: 'api versions without bitnami.com', yaml: base(), args: ['render', '--api-versions', 'v1,apps/v1'], exit: 1 },
  { name: 'secret collides with config', yaml: base({ secrets: `      port: ${SEALED}\n` }), args: ['render'], exit: 1 },
  { name: 'object name collision', yaml: base({ extra: '  demo-ring:\n    image: habitat/x\n    ports: [{name: http, port: 80}]\n' }), args: ['render'], exit: 1 },
  { name: 'truncated sealed value', yaml: base({ secrets: `      requirepass: ${SEALED.slice(0, -3)}\n` }), args: ['render'], exit: 1 },
  { name: 'sealed value with a line break', yaml: base({ secrets: `      requirepass: "${SEALED.slice(0, 200)}\\n${SEALED.slice(200)}"\n` }), args: ['render'], exit: 1 },
  { name: 'sealed value of the wrong type', yaml: base({ secrets: `      requirepass: [${SEALED}]\n` }), args: ['render'], exit: 1 },
  { name: 'duplicate secret key (YAML error on a sealed line)', yaml: base({ secrets: `      requirepass: ${SEALED}\n      requirepass: ${SEALED_2}\n` }), args: ['render'], exit: 1 },
  { name: 'tab on a sealed line', yaml: base({ secrets: `\trequirepass: ${SEALED}\n` }), args: ['render'], exit: 1 },
  { name: 'unclosed quote after a sealed value', yaml: base({ secrets: `      requirepass: "${SEALED}\n` }), args: ['render'], exit: 1 },
  { name: 'sealed value where a string is not allowed', yaml: base({ extra: `    count: ${SEALED}\n` }), args: ['render'], exit: 1 },
  { name: 'sealed value as an unknown key value', yaml: base({ top: `secret: ${SEALED}\n` }), args: ['render'], exit: 1 },
  { name: 'sealed value in a key', yaml: base({ secrets: `      ${SEALED}: x\n` }), args: ['render'], exit: 1 },
  { name: 'unknown environment', yaml: base(), args: ['render', '--env', 'prod'], exit: 1 },
  { name: 'environment overlay with a broken sealed value', yaml: base() + `environments:\n  prod:\n    ring: {sealedKey: "${SEALED_RING.slice(3)}"}\n`, args: ['render', '--env', 'prod'], exit: 1 },
  { name: 'bad parameters JSON', yaml: base(), args: ['generate'], env: { ARGOCD_APP_NAMESPACE: 'shop', ARGOCD_APP_PARAMETERS: `[{"name":"images","map":{"redis":"${SEALED}"}}` }, exit: 1 },
  { name: 'image parameter that is ciphertext', yaml: base(), args: ['generate'], env: { ARGOCD_APP_NAMESPACE: 'shop', PARAM_IMAGES_REDIS: SEALED }, exit: 1 },
  { name: 'environment named by ciphertext', yaml: base(), args: ['generate'], env: { ARGOCD_APP_NAMESPACE: 'shop', ARGOCD_ENV_HABITAT_ENV: SEALED_2 }, exit: 1 },
  { name: 'configFile TOML error on a line with ciphertext', yaml: base({ extra: '    configFile: redis.toml\n' }), files: { 'redis.toml': `x = "${SEALED_2}\n` }, args: ['render'], exit: 1 },
  { name: 'seal without a certificate', yaml: base(), args: ['seal', '--service', 'redis', '--key', 'other'], input: PLAIN, exit: 1 },
  { name: 'seal with a garbage certificate', yaml: base(), files: { 'bad.pem': `-----BEGIN CERTIFICATE-----\n${SEALED_2.slice(0, 64)}\n-----END CERTIFICATE-----\n` }, args: ['seal', '--service', 'redis', '--key', 'other', '--cert', 'bad.pem'], input: PLAIN, exit: 1 },
  { name: 'seal into an unknown workload', yaml: base(), args: ['seal', '--service', 'nope', '--key', 'k', '--cert', 'cert.pem'], input: PLAIN, exit: 1 },
  { name: 'seal with the secret as a flag', yaml: base(), args: ['seal', '--service', 'redis', `--${PLAIN}`], input: PLAIN, exit: 2 },
  { name: 'seal ok', yaml: base(), args: ['seal', '--service', 'redis', '--key', 'other', '--cert', 'cert.pem'], input: PLAIN, exit: 0 },
  { name: 'ring-key without a certificate', yaml: base(), args: ['ring-key'], exit: 1 },
  { name: 'ring-key ok', yaml: base(), args: ['ring-key', '--cert', 'cert.pem'], exit: 0 },
];

const CERT = readFileSync(join(ROOT, 'test/seal/fixtures/rsa2048.pem'), 'utf8');

for (const sc of scenarios) {
  s(sc.name, () => {
    const dir = mkdtempSync(join(tmpdir(), 'habitat-secrets-'));
    try {
      writeFileSync(join(dir, 'habitat.yaml'), sc.yaml);
      writeFileSync(join(dir, 'cert.pem'), CERT);
      for (const [f, t] of Object.entries(sc.files ?? {})) writeFileSync(join(dir, f), t);
      const r = boundedCli(sc.args, { cwd: dir, env: sc.env ?? {}, ...(sc.input !== undefined ? { input: sc.input } : {}) });
      assert.is(r.status, sc.exit, `exit; stderr:\n${r.stderr.slice(0, 3000)}`);
      assert.equal(reportProblems(r), [], r.stderr.slice(0, 3000));
      const rendering = sc.exit === 0 && ['render', 'generate'].includes(sc.args[0]!);
      assert.equal(leaks(r.stdout, rendering), [], `stdout of ${sc.name}`);
      assert.equal(leaks(r.stderr, false), [], `stderr of ${sc.name}:\n${r.stderr.slice(0, 3000)}`);
      if (rendering) assert.ok(r.stdout.includes(SEALED), 'the sealed value reaches the manifest');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

s('the sample with a sealed ring key: every error excerpt on its line is redacted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'habitat-secrets-'));
  try {
    cpSync(join(ROOT, 'samples/encrypted'), dir, { recursive: true });
    const text = readFileSync(join(dir, 'habitat.yaml'), 'utf8');
    const key = /sealedKey: (\S+)/.exec(text)![1]!;
    // Break the YAML on the very line of the sealed key.
    writeFileSync(join(dir, 'habitat.yaml'), text.replace(`sealedKey: ${key}`, `sealedKey: ${key} {`));
    const r = boundedCli(['render'], { cwd: dir });
    assert.is(r.status, 1, r.stderr);
    assert.not.ok(r.stderr.includes(key.slice(40, 64)), `ciphertext on stderr:\n${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

s.run();
