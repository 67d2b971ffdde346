import { constants, createCipheriv, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

/** Sealed Secrets uses a fresh AES-256 key per value. */
const SESSION_KEY_BYTES = 32;
/** Go's cipher.NewGCM nonce size; zero is safe because each session key encrypts exactly one message. */
const NONCE = Buffer.alloc(12);

/**
 * `uint16 BE len(rsa) || RSA-OAEP(SHA-256, label)(sessionKey) || AES-256-GCM(plaintext) || tag`,
 * the controller's HybridDecrypt input. `random` exists so tests can pin the session key.
 */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Uint8Array, label: Uint8Array, random: (n: number) => Buffer = randomBytes): Buffer {
  const sessionKey = random(SESSION_KEY_BYTES);
  try {
    const rsa = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) }, sessionKey);
    if (rsa.length > 0xffff) throw new Error('RSA ciphertext does not fit the 16-bit length prefix');
    const cipher = createCipheriv('aes-256-gcm', sessionKey, NONCE);
    const aes = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(rsa.length);
    return Buffer.concat([prefix, rsa, aes]);
  } finally {
    sessionKey.fill(0);
  }
}

/** Standard padded base64 without line breaks: what kubeseal writes and the controller decodes. */
export function sealValue(publicKey: KeyObject, plaintext: Uint8Array, label: string): string {
  return hybridEncrypt(publicKey, plaintext, Buffer.from(label, 'utf8')).toString('base64');
}
