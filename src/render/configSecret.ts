import type { AppModel, Workload } from '../model/types';
import { appLabels, objectMeta } from './labels';
import { configSecretName, USER_TOML } from './names';
import { sealedSecret } from './sealedSecret';
import { plainUserToml, templatedUserToml } from './userToml';

/** `<W>-config`: a Secret with user.toml, or a SealedSecret whose template builds it when values are sealed. */
export function configSecret(app: AppModel, w: Workload): Record<string, unknown> {
  const name = configSecretName(w);
  if (w.secrets.length === 0) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: objectMeta(app, name, appLabels(app)),
      type: 'Opaque',
      stringData: { [USER_TOML]: plainUserToml(w) },
    };
  }
  return sealedSecret(app, name, Object.fromEntries(w.secrets), { [USER_TOML]: templatedUserToml(w) });
}

/** What a config change looks like to the pods, for `configUpdate: restart`. */
export function configFingerprint(w: Workload): string[] {
  return w.secrets.length === 0 ? [plainUserToml(w)] : [templatedUserToml(w), ...w.secrets.flat()];
}
