import type { AppModel, Workload } from '../model/types';
import { appLabels, objectMeta } from './labels';
import { configSecretName, USER_TOML } from './names';
import { scopeAnnotations } from './scopeAnnotations';
import { plainUserToml, templatedUserToml } from './userToml';

/** `<W>-config`: a Secret with user.toml, or a SealedSecret whose template builds it when values are sealed. */
export function configSecret(app: AppModel, w: Workload): Record<string, unknown> {
  const name = configSecretName(w);
  const labels = appLabels(app);
  if (w.secrets.length === 0) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: objectMeta(app, name, labels),
      type: 'Opaque',
      stringData: { [USER_TOML]: plainUserToml(w) },
    };
  }
  const annotations = scopeAnnotations(app.scope);
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: objectMeta(app, name, labels, annotations),
    spec: {
      encryptedData: Object.fromEntries(w.secrets),
      template: {
        metadata: objectMeta(app, name, labels, annotations),
        type: 'Opaque',
        data: { [USER_TOML]: templatedUserToml(w) },
      },
    },
  };
}

/** What a config change looks like to the pods, for `configUpdate: restart`. */
export function configFingerprint(w: Workload): string[] {
  return w.secrets.length === 0 ? [plainUserToml(w)] : [templatedUserToml(w), ...w.secrets.flat()];
}
