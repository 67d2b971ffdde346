import type { AppModel } from '../model/types';
import { appLabels, objectMeta } from './labels';
import { RING_KEY_KEY, ringKeySecretName } from './names';
import { scopeAnnotations } from './scopeAnnotations';

/** `<A>-ring-key`: the sealed SYM-SEC-1 key file, handed to every Supervisor as HAB_RING_KEY. */
export function ringKeySecret(app: AppModel, sealedKey: string): Record<string, unknown> {
  const name = ringKeySecretName(app);
  const labels = appLabels(app);
  const annotations = scopeAnnotations(app.scope);
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: objectMeta(app, name, labels, annotations),
    spec: {
      encryptedData: { [RING_KEY_KEY]: sealedKey },
      template: { metadata: objectMeta(app, name, labels, annotations), type: 'Opaque' },
    },
  };
}
