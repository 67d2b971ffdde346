import type { K8sObject } from '../render/renderApp';
import type { ChangeStatus, SecretDataChange } from './types';

/**
 * Copies of an object pair with everything secret replaced by a placeholder
 * that says only whether it changed:
 *
 * - Secret `data`/`stringData` (the plain config Secret's user.toml too: it is
 *   Secret data by type, users do put passwords in plain config, and diff output
 *   goes to pull-request comments and CI logs that outlive and outreach the
 *   repository's access rules; the habitat.yaml diff in the same pull request
 *   shows the values to those allowed to see them);
 * - SealedSecret `spec.encryptedData` (ciphertext) and `spec.template.data`
 *   (user.toml around the sealed values);
 * - the pod template's `habitat.sh/config-hash` and `habitat.sh/ring-key-hash`
 *   (short hashes of config and ciphertext: a guessable config could be
 *   confirmed from its hash).
 *
 * A changed value is `<… changed>` on the new side only, so the unified diff
 * still shows the line as changed.
 */
export const HASH_ANNOTATIONS = ['habitat.sh/config-hash', 'habitat.sh/ring-key-hash'];

type Map = Record<string, unknown>;
const isMap = (v: unknown): v is Map => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (o: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (isMap(v) ? v[k] : undefined), o);

function mask(before: Map | undefined, after: Map | undefined, path: string[], word: string, keys: (m: Map) => string[], changes: SecretDataChange[] | undefined): void {
  const b = get(before, path);
  const a = get(after, path);
  const bm = isMap(b) ? b : undefined;
  const am = isMap(a) ? a : undefined;
  const names = [...new Set([...(bm ? keys(bm) : []), ...(am ? keys(am) : [])])].sort();
  for (const k of names) {
    const inB = bm !== undefined && Object.prototype.hasOwnProperty.call(bm, k);
    const inA = am !== undefined && Object.prototype.hasOwnProperty.call(am, k);
    const status: ChangeStatus = !inB ? 'added' : !inA ? 'removed' : JSON.stringify(bm[k]) === JSON.stringify(am[k]) ? 'unchanged' : 'changed';
    if (inB) bm[k] = `<${word}>`;
    if (inA) am[k] = status === 'changed' ? `<${word}, changed>` : `<${word}>`;
    changes?.push({ field: [...path, k].join('.'), status });
  }
}

const allKeys = (m: Map) => Object.keys(m);
const hashKeys = (m: Map) => Object.keys(m).filter((k) => HASH_ANNOTATIONS.includes(k));

export function redactPair(before?: K8sObject, after?: K8sObject): { before?: Map; after?: Map; secrets: SecretDataChange[] } {
  const b = before ? (structuredClone(before) as Map) : undefined;
  const a = after ? (structuredClone(after) as Map) : undefined;
  const secrets: SecretDataChange[] = [];
  const kind = (after ?? before)!.kind;
  if (kind === 'Secret') {
    mask(b, a, ['data'], 'secret', allKeys, secrets);
    mask(b, a, ['stringData'], 'secret', allKeys, secrets);
  } else if (kind === 'SealedSecret') {
    mask(b, a, ['spec', 'encryptedData'], 'sealed', allKeys, secrets);
    mask(b, a, ['spec', 'template', 'data'], 'secret', allKeys, secrets);
  }
  // Any kind with a pod template; hashes are not secret data, so not listed as such.
  mask(b, a, ['spec', 'template', 'metadata', 'annotations'], 'hash', hashKeys, undefined);
  return { ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), secrets };
}
