/**
 * The Sealed Secrets controller binds a ciphertext to where it may be
 * unsealed by using this string as the RSA-OAEP label; it derives the same
 * string from the SealedSecret's own name, namespace and scope annotation.
 */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

export const SEALING_SCOPES: readonly SealingScope[] = ['strict', 'namespace-wide', 'cluster-wide'];

export const isSealingScope = (s: unknown): s is SealingScope => typeof s === 'string' && (SEALING_SCOPES as readonly string[]).includes(s);

/** Cluster-wide ignores the namespace; the other scopes cannot be computed without one. */
export function scopeLabel(scope: SealingScope, target: { namespace?: string; name: string }): string {
  if (scope === 'cluster-wide') return '';
  if (target.namespace === undefined) throw new Error(`${scope} scope needs a namespace`);
  return scope === 'namespace-wide' ? target.namespace : `${target.namespace}/${target.name}`;
}
