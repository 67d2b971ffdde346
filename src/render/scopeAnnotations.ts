import type { Scope } from '../model/types';

/** The controller derives the decryption label from these on the SealedSecret's own metadata. */
export function scopeAnnotations(scope: Scope): Record<string, string> {
  if (scope === 'cluster-wide') return { 'sealedsecrets.bitnami.com/cluster-wide': 'true' };
  if (scope === 'namespace-wide') return { 'sealedsecrets.bitnami.com/namespace-wide': 'true' };
  return {};
}
