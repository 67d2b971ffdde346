import { isSealingScope, SEALING_SCOPES, type SealingScope } from '../seal/scopeLabel';
import { UsageError } from './args';
import type { FlagDoc } from './commandSpec';

/** Flags seal and ring-key share: which environment, app and namespace, and the certificate. */
export const SEALING_FLAGS: readonly FlagDoc[] = [
  { name: 'env', value: 'NAME', help: 'seal for this environment\'s namespace and write into environments.NAME (like render --env)' },
  { name: 'namespace', value: 'NS', help: 'destination namespace when habitat.yaml pins none (like render --namespace)' },
  { name: 'scope', value: 'S', help: `restates sealing.scope (${SEALING_SCOPES.join(', ')}); a different scope is an error` },
  { name: 'cert', value: 'FILE', help: 'the controller\'s certificate (kubeseal --fetch-cert), instead of sealing.certificate' },
];

export function scopeFlag(v: string | boolean | undefined): SealingScope | undefined {
  if (v === undefined) return undefined;
  if (!isSealingScope(v)) throw new UsageError(`--scope must be one of ${SEALING_SCOPES.join(', ')}`);
  return v;
}

/** The options every sealing command passes to its action. */
export function sealingOptions(flags: Record<string, string | boolean>) {
  const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  const scope = scopeFlag(flags.scope);
  return {
    ...(str('env') !== undefined ? { environment: str('env')! } : {}),
    ...(str('namespace') !== undefined ? { namespace: str('namespace')! } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(str('cert') !== undefined ? { cert: str('cert')! } : {}),
  };
}
