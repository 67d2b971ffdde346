import { randomBytes } from 'node:crypto';
import { RING_NAME } from './ringName';

/** libsodium crypto_secretbox key size. */
export const RING_KEY_BYTES = 32;

/** Habitat's revision: UTC `YYYYMMDDhhmmss`. */
function ringRevision(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(now.getUTCFullYear(), 4)}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/** The SYM-SEC-1 key file exactly as `hab ring key export` prints it: no trailing newline. */
function ringKeyFile(namedRevision: string, key: Uint8Array): string {
  return `SYM-SEC-1\n${namedRevision}\n\n${Buffer.from(key).toString('base64')}`;
}

export interface RingKey {
  /** `<ring>-<revision>`: safe to print. */
  namedRevision: string;
  revision: string;
  /** The secret key file. Never print it. */
  content: string;
}

export function newRingKey(ring: string, now: Date, random: (n: number) => Buffer = randomBytes): RingKey {
  if (!RING_NAME.test(ring)) throw new Error('invalid ring name');
  const revision = ringRevision(now);
  const namedRevision = `${ring}-${revision}`;
  const key = random(RING_KEY_BYTES);
  try {
    return { namedRevision, revision, content: ringKeyFile(namedRevision, key) };
  } finally {
    key.fill(0);
  }
}
