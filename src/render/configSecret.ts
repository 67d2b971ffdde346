import type { AppModel, Workload } from '../model/types';
import { appLabels, objectMeta } from './labels';
import { configSecretName, USER_TOML } from './names';
import { sealedSecret } from './sealedSecret';

const MANAGED_BY_SEALED_SECRETS: Record<string, string> = Object.freeze({ 'sealedsecrets.bitnami.com/managed': 'true' });

/**
 * `<W>-config`: a Secret with user.toml, or a SealedSecret whose template builds
 * it when values are sealed. `toml` is userToml(w), computed once by the caller.
 */
export function configSecret(app: AppModel, w: Workload, toml: string): Record<string, unknown> {
  const name = configSecretName(w);
  if (w.secrets.length === 0) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      // Lets the Sealed Secrets controller take this Secret over when the workload
      // later switches to sealed values (it refuses a Secret it does not own otherwise:
      // "already exists and is not managed by SealedSecret").
      metadata: objectMeta(app, name, appLabels(app), MANAGED_BY_SEALED_SECRETS),
      type: 'Opaque',
      stringData: { [USER_TOML]: toml },
    };
  }
  return sealedSecret(app, name, Object.fromEntries(w.secrets), { [USER_TOML]: toml });
}

/** What a config change looks like to the pods, for `configUpdate: restart`. */
export function configFingerprint(w: Workload, toml: string): string[] {
  return [toml, ...w.secrets.flat()];
}
