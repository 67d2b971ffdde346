import { RING_SECRET_NAME } from './readHabitat';
import { RING_KEY_BYTES } from '../seal/ringKey';

/**
 * Checks a ring key file as Habitat writes it (core/src/crypto/keys: `SYM-SEC-1`,
 * `<ring>-<revision>`, blank line, base64 of a 32-byte secretbox key; the
 * parser trims the key line, so a trailing newline is harmless). Returns the
 * named revision, or why the content is not a key. Never quotes the content.
 */
export function ringKeyContent(text: string): { namedRevision: string } | { problem: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[0] !== 'SYM-SEC-1') return { problem: 'does not start with the line SYM-SEC-1 (export it with "hab ring key export RING")' };
  const named = lines[1] ?? '';
  if (!RING_SECRET_NAME.test(named)) return { problem: 'has no <ring>-<YYYYMMDDhhmmss> line after SYM-SEC-1' };
  if (lines[2] !== '') return { problem: 'has no blank line between the key name and the key' };
  const key = (lines[3] ?? '').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0 || Buffer.from(key, 'base64').length !== RING_KEY_BYTES) {
    return { problem: `does not hold a base64 ${RING_KEY_BYTES}-byte key on its fourth line` };
  }
  if (lines.slice(4).some((l) => l.trim() !== '')) return { problem: 'has text after the key line' };
  return { namedRevision: named };
}
