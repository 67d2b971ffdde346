import { error, type Diagnostic } from '../diag/diagnostic';
import type { Inputs } from '../load/inputs';
import type { AppIdentity } from '../model/identity';
import type { RawApp } from '../model/raw';
import type { Locator } from './locator';

const SEALED_SECRETS_API = 'bitnami.com/v1alpha1';

/** Paths of every sealed value, ring key first, then by workload and key. */
function sealedPaths(app: RawApp): string[][] {
  const out: string[][] = [];
  if (app.ring?.sealedKey !== undefined) out.push(['ring', 'sealedKey']);
  for (const w of Object.keys(app.services).sort()) {
    for (const k of Object.keys(app.services[w]!.secrets ?? {}).sort()) out.push(['services', w, 'secrets', k]);
  }
  return out;
}

/** Whether the overlay itself sets the value at `path` (else it comes from the base). */
function setByOverlay(overlay: unknown, path: readonly string[]): boolean {
  let cur = overlay;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, seg)) return false;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return true;
}

/**
 * Sealed values can be decrypted where they land: a known namespace for strict
 * and namespace-wide scope, the Sealed Secrets API in the cluster, and (with
 * an environment selected) no value inherited from the base when the overlay
 * moves the app to another namespace: it was sealed for the base's.
 */
export function checkSealing(app: RawApp, identity: AppIdentity, inputs: Pick<Inputs, 'apiVersions' | 'environment'>, loc: Locator, base?: RawApp): Diagnostic[] {
  const out: Diagnostic[] = [];
  const paths = sealedPaths(app);
  if (!paths.length) return out;
  const { scope, namespace } = identity;
  if (namespace === undefined && scope !== 'cluster-wide') {
    out.push(error('sealed-namespace-unknown', `values sealed with ${scope} scope can only be decrypted in the namespace they were sealed for, and no namespace is known`, loc.at(paths[0]!), 'set metadata.namespace, pass --namespace (ARGOCD_APP_NAMESPACE in Argo CD), or seal with sealing.scope: cluster-wide'));
  }
  if (inputs.apiVersions !== undefined && !inputs.apiVersions.some((v) => v === SEALED_SECRETS_API || v.startsWith(SEALED_SECRETS_API + '/'))) {
    out.push(error('sealed-secrets-missing', `the cluster does not offer ${SEALED_SECRETS_API} (KUBE_API_VERSIONS), but habitat.yaml holds sealed values`, loc.at(paths[0]!), 'install the Sealed Secrets controller (0.27 or newer) in the cluster'));
  }
  const env = inputs.environment;
  const baseNs = base?.metadata?.namespace;
  if (env !== undefined && baseNs !== undefined && namespace !== undefined && namespace !== baseNs && scope !== 'cluster-wide') {
    const overlay = base!.environments?.[env];
    for (const path of paths) {
      if (setByOverlay(overlay, path)) continue;
      const how = path[0] === 'ring' ? `ring-key --env ${env}` : `seal --env ${env} --service ${path[1]} --key ${path[3]}`;
      out.push(
        error('sealed-value-namespace-changed', `sealed in the base for namespace "${baseNs}", but environment ${env} renders into "${namespace}", where it cannot be decrypted`, loc.at(path), `seal it for ${env} (into environments.${env}): habitat-cmp ${how}`),
      );
    }
  }
  return out;
}
