/**
 * Test-side tools for sealing, written from the Sealed Secrets wire format
 * (docs), not from src/seal: a controller-like decrypter, key generation with
 * openssl, and a runner for the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { constants, createDecipheriv, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE = join(ROOT, 'dist/habitat-cmp.cjs');
export const FIXTURES = join(ROOT, 'test/seal/fixtures');
export const UPDATE = process.env.UPDATE === '1';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The bundle as a user runs it: fresh process, clean environment, value on stdin. */
export function hab(args: string[], opts: { cwd?: string; input?: string | Buffer } = {}): Run {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '' },
    input: opts.input ?? '',
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const created: string[] = [];
process.on('exit', () => {
  for (const d of created) rmSync(d, { recursive: true, force: true });
});

export function tmp(prefix = 'habitat-cmp-seal-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  created.push(d);
  return d;
}

export interface KeyPair {
  certPem: string;
  certFile: string;
  privateKey: KeyObject;
  keyFile: string;
}

/** The committed throwaway RSA-2048 pair (fast); never used outside tests. */
export function fixtureKeyPair(): KeyPair {
  const certFile = join(FIXTURES, 'rsa2048.pem');
  const keyFile = join(FIXTURES, 'rsa2048.key');
  return { certFile, keyFile, certPem: readFileSync(certFile, 'utf8'), privateKey: createPrivateKey(readFileSync(keyFile)) };
}

/** A fresh self-signed RSA pair from openssl, like the controller's default 4096-bit key. */
export function opensslKeyPair(bits: number): KeyPair {
  const dir = tmp('habitat-cmp-key-');
  const keyFile = join(dir, 'tls.key');
  const certFile = join(dir, 'tls.crt');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '3650', '-subj', '/CN=sealed-secret'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { certFile, keyFile, certPem: readFileSync(certFile, 'utf8'), privateKey: createPrivateKey(readFileSync(keyFile)) };
}

export class NoKeyCouldDecrypt extends Error {
  constructor() {
    super('no key could decrypt secret');
  }
}

/** Splits `uint16 BE len || RSA || AES-GCM ct || tag`; throws unless the value is canonical padded std base64. */
export function splitSealed(value: string): { rsa: Buffer; aes: Buffer; tag: Buffer } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw new Error('not standard padded base64');
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) throw new Error('not canonical base64');
  const n = bytes.readUInt16BE(0);
  return { rsa: bytes.subarray(2, 2 + n), aes: bytes.subarray(2 + n, bytes.length - 16), tag: bytes.subarray(bytes.length - 16) };
}

/** What the controller's HybridDecrypt does for one key, with the label the caller derived. */
export function unseal(value: string, privateKey: KeyObject, label: string): Buffer {
  const { rsa, aes, tag } = splitSealed(value);
  let sessionKey: Buffer;
  try {
    sessionKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label, 'utf8') }, rsa);
  } catch {
    throw new NoKeyCouldDecrypt();
  }
  if (sessionKey.length !== 32) throw new Error(`session key is ${sessionKey.length} bytes, expected 32`);
  const d = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  d.setAuthTag(tag);
  return Buffer.concat([d.update(aes), d.final()]);
}

/** Copies a fixture app into a temp dir with the given habitat.yaml and the fixture cert as .sealed-secrets.pem. */
export function appDir(habitatYaml: string, certFile = join(FIXTURES, 'rsa2048.pem')): string {
  const dir = tmp('habitat-cmp-app-');
  writeFileSync(join(dir, 'habitat.yaml'), habitatYaml);
  cpSync(certFile, join(dir, '.sealed-secrets.pem'));
  return dir;
}

export const readApp = (dir: string) => readFileSync(join(dir, 'habitat.yaml'), 'utf8');

export function appYaml(opts: { namespace?: string; scope?: string; extra?: string } = {}): string {
  return [
    'apiVersion: habitat-cmp/v1',
    'kind: App',
    'metadata:',
    '  name: shop',
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'sealing:',
    '  certificate: .sealed-secrets.pem',
    ...(opts.scope ? [`  scope: ${opts.scope}`] : []),
    'services:',
    '  db:',
    '    image: habitat/redis-hab:4.0.14',
    '  web:',
    '    image: habitat/nginx:1.0',
    ...(opts.extra ? [opts.extra] : []),
    '',
  ].join('\n');
}
