import { isPlainObject } from '../model/deepMerge';
import type { ManifestObject } from './parseManifests';

export type SecretValue =
  | { ok: true; text: string; /** where the key sits, for messages: ['data', k] or ['stringData', k] */ path: [string, string] }
  | { ok: false; problem: 'missing' | 'not-base64' | 'not-utf8' | 'not-string'; path?: [string, string] };

const STD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One key of a Secret as the API server stores it: `stringData` is merged
 * over `data` on write (stringData wins), `data` is standard base64. The
 * value is secret: callers never put it into messages.
 */
export function secretValue(secret: ManifestObject, key: string): SecretValue {
  const v = secret.value;
  const stringData = isPlainObject(v.stringData) ? v.stringData : {};
  const data = isPlainObject(v.data) ? v.data : {};
  if (Object.prototype.hasOwnProperty.call(stringData, key)) {
    const s = stringData[key];
    if (typeof s !== 'string') return { ok: false, problem: 'not-string', path: ['stringData', key] };
    return { ok: true, text: s, path: ['stringData', key] };
  }
  if (!Object.prototype.hasOwnProperty.call(data, key)) return { ok: false, problem: 'missing' };
  const b = data[key];
  if (typeof b !== 'string') return { ok: false, problem: 'not-string', path: ['data', key] };
  const compact = b.replace(/\s+/g, '');
  if (!STD_BASE64.test(compact) || compact.length % 4 !== 0) return { ok: false, problem: 'not-base64', path: ['data', key] };
  try {
    return { ok: true, text: utf8.decode(Buffer.from(compact, 'base64')), path: ['data', key] };
  } catch {
    return { ok: false, problem: 'not-utf8', path: ['data', key] };
  }
}

export const SECRET_VALUE_PROBLEM: Record<Exclude<SecretValue, { ok: true }>['problem'], string> = {
  missing: 'has no such key',
  'not-base64': 'is not standard base64 (data values are base64-encoded)',
  'not-utf8': 'does not decode to UTF-8 text',
  'not-string': 'is not a string',
};
