import { isPlainObject } from '../model/deepMerge';
import { isSealingScope, SEALING_SCOPES, type SealingScope } from './scopeLabel';

/** A problem with habitat.yaml or the flags; `path` points into habitat.yaml when the file is to blame. */
export interface SealProblem {
  code: string;
  message: string;
  path?: readonly (string | number)[];
  hint?: string;
}

export interface SealingFlags {
  /** The app name when metadata.name is absent (ARGOCD_APP_NAME in Argo CD). */
  name?: string;
  /** The destination namespace (ARGOCD_APP_NAMESPACE in Argo CD). */
  namespace?: string;
  scope?: string;
}

export interface SealingTarget {
  appName: string;
  namespace?: string;
  scope: SealingScope;
  /** sealing.certificate as written, relative to the app directory. */
  certificate?: string;
}

/**
 * Works out for whom a value is sealed, the same way render names and scopes
 * the SealedSecret, so that what `seal` writes is what the controller can
 * decrypt. `--scope` may only restate `sealing.scope`: render takes the scope
 * annotation from habitat.yaml, and a value sealed for another scope would
 * never decrypt.
 */
export function resolveSealingTarget(app: Record<string, unknown>, flags: SealingFlags, dirName: string): { target?: SealingTarget; problems: SealProblem[] } {
  const problems: SealProblem[] = [];
  const metadata = isPlainObject(app.metadata) ? app.metadata : {};
  const sealing = isPlainObject(app.sealing) ? app.sealing : {};

  const appName = typeof metadata.name === 'string' ? metadata.name : flags.name ?? dirName;

  let namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  if (namespace !== undefined && flags.namespace !== undefined && flags.namespace !== namespace) {
    problems.push({
      code: 'namespace-mismatch',
      message: `metadata.namespace is "${namespace}" but --namespace is "${flags.namespace}"`,
      path: ['metadata', 'namespace'],
      hint: 'the SealedSecret is created in metadata.namespace; drop --namespace or change metadata.namespace',
    });
  }
  namespace ??= flags.namespace;

  let fileScope: SealingScope = 'strict';
  if (sealing.scope !== undefined) {
    if (isSealingScope(sealing.scope)) fileScope = sealing.scope;
    else problems.push({ code: 'sealing-scope-invalid', message: `sealing.scope must be one of ${SEALING_SCOPES.join(', ')}`, path: ['sealing', 'scope'] });
  }
  if (flags.scope !== undefined && isSealingScope(flags.scope) && flags.scope !== fileScope) {
    problems.push({
      code: 'scope-mismatch',
      message: `--scope ${flags.scope} differs from sealing.scope (${sealing.scope === undefined ? 'not set, so strict' : fileScope}); render marks the SealedSecret with sealing.scope, so this value would never decrypt`,
      ...(sealing.scope !== undefined ? { path: ['sealing', 'scope'] } : {}),
      hint: `set "sealing.scope: ${flags.scope}" in habitat.yaml first and re-seal every value (all values of an app share one scope)`,
    });
  }
  if (fileScope !== 'cluster-wide' && namespace === undefined) {
    problems.push({
      code: 'sealed-namespace-unknown',
      message: `${fileScope} scope binds the value to a namespace, and no namespace is known`,
      hint: 'set metadata.namespace, pass --namespace (the Argo CD destination namespace), or use "sealing.scope: cluster-wide"',
    });
  }

  let certificate: string | undefined;
  if (sealing.certificate !== undefined) {
    if (typeof sealing.certificate === 'string' && sealing.certificate.length > 0) certificate = sealing.certificate;
    else problems.push({ code: 'sealing-certificate-invalid', message: 'sealing.certificate must be a non-empty path', path: ['sealing', 'certificate'] });
  }

  if (problems.length) return { problems };
  return { target: { appName, scope: fileScope, ...(namespace !== undefined ? { namespace } : {}), ...(certificate !== undefined ? { certificate } : {}) }, problems };
}
