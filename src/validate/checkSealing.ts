import { error, type Diagnostic } from '../diag/diagnostic';
import type { Inputs } from '../load/inputs';
import type { RawApp } from '../model/raw';
import type { Locator } from './locator';

export const SEALED_SECRETS_API = 'bitnami.com/v1alpha1';

/** Where the first sealed value sits, for pointing at it; undefined when nothing is sealed. */
function firstSealed(app: RawApp): (string | number)[] | undefined {
  if (app.ring?.sealedKey !== undefined) return ['ring', 'sealedKey'];
  for (const w of Object.keys(app.services).sort()) {
    const keys = Object.keys(app.services[w]!.secrets ?? {}).sort();
    if (keys.length) return ['services', w, 'secrets', keys[0]!];
  }
  return undefined;
}

export function checkSealing(app: RawApp, namespace: string | undefined, inputs: Inputs, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sealed = firstSealed(app);
  if (!sealed) return out;
  const scope = app.sealing?.scope ?? 'strict';
  if (namespace === undefined && scope !== 'cluster-wide') {
    out.push(error('sealed-namespace-unknown', `values sealed with ${scope} scope can only be decrypted in the namespace they were sealed for, and no namespace is known`, loc.at(sealed), 'set metadata.namespace, pass --namespace (ARGOCD_APP_NAMESPACE in Argo CD), or seal with sealing.scope: cluster-wide'));
  }
  if (inputs.apiVersions !== undefined && !inputs.apiVersions.some((v) => v === SEALED_SECRETS_API || v.startsWith(SEALED_SECRETS_API + '/'))) {
    out.push(error('sealed-secrets-missing', `the cluster does not offer ${SEALED_SECRETS_API} (KUBE_API_VERSIONS), but habitat.yaml holds sealed values`, loc.at(sealed), 'install the Sealed Secrets controller (0.27 or newer) in the cluster'));
  }
  return out;
}
