import type { AppModel } from '../model/types';
import { appLabels, objectMeta } from './labels';
import { scopeAnnotations } from './scopeAnnotations';

/**
 * A SealedSecret whose scope annotations sit on its own metadata (what the
 * controller reads to build the decryption label) and, for consistency with
 * kubeseal, in the template. Labels go into the template because the controller
 * does not copy the SealedSecret's own labels to the Secret.
 */
export function sealedSecret(app: AppModel, name: string, encryptedData: Record<string, string>, data?: Record<string, string>): Record<string, unknown> {
  const labels = appLabels(app);
  const annotations = scopeAnnotations(app.scope);
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: objectMeta(app, name, labels, annotations),
    spec: {
      encryptedData,
      template: { metadata: objectMeta(app, name, labels, annotations), type: 'Opaque', ...(data ? { data } : {}) },
    },
  };
}
