import { error, type Diagnostic } from '../diag/diagnostic';
import type { AppIdentity } from '../model/identity';
import type { RawApp } from '../model/raw';
import type { Locator } from '../validate/locator';
import type { SealingScope } from './scopeLabel';

/**
 * Whether a value can be sealed for this identity: `--scope` may only restate
 * `sealing.scope` (render marks the SealedSecret with sealing.scope, and a value
 * sealed for another scope never decrypts), and strict and namespace-wide
 * scope need a namespace.
 */
export function checkSealingTarget(app: RawApp, identity: AppIdentity, scopeFlag: SealingScope | undefined, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const set = app.sealing?.scope !== undefined;
  if (scopeFlag !== undefined && scopeFlag !== identity.scope) {
    out.push(
      error(
        'scope-mismatch',
        `--scope ${scopeFlag} differs from sealing.scope (${set ? identity.scope : 'not set, so strict'}); render marks the SealedSecret with sealing.scope, so this value would never decrypt`,
        set ? loc.at(['sealing', 'scope']) : undefined,
        `set "sealing.scope: ${scopeFlag}" in habitat.yaml first and re-seal every value (all values of an app share one scope)`,
      ),
    );
  }
  if (identity.scope !== 'cluster-wide' && identity.namespace === undefined) {
    out.push(error('sealed-namespace-unknown', `${identity.scope} scope binds the value to a namespace, and no namespace is known`, undefined, 'set metadata.namespace, pass --namespace (the Argo CD destination namespace), or use "sealing.scope: cluster-wide"'));
  }
  return out;
}
