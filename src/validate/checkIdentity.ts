import { error, type Diagnostic } from '../diag/diagnostic';
import type { Inputs } from '../load/inputs';
import type { AppIdentity } from '../model/identity';
import type { RawApp } from '../model/raw';
import { dns1035Problem, dns1123LabelProblem } from './dnsNames';
import type { Locator } from './locator';

/** `<app>-ring` must itself be a DNS-1035 label of at most 63 characters. */
export const MAX_APP_NAME = 58;

/**
 * The app name and namespace are valid, and a destination namespace agrees
 * with the one habitat.yaml pins (after the overlay). `base` (habitat.yaml
 * before the overlay) lets the hint name the environment that pins the
 * destination namespace.
 */
export function checkIdentity(app: RawApp, { name, nameFrom }: AppIdentity, inputs: Pick<Inputs, 'namespace'>, loc: Locator, base?: RawApp): Diagnostic[] {
  const out: Diagnostic[] = [];
  const p = dns1035Problem(name, MAX_APP_NAME);
  if (p) {
    const src = nameFrom === 'metadata' ? 'metadata.name' : nameFrom === 'input' ? 'the app name (ARGOCD_APP_NAME / --name)' : 'the directory name used as app name';
    out.push(error('app-name-invalid', `${src} "${name}" ${p}`, nameFrom === 'metadata' ? loc.at(['metadata', 'name']) : loc.at([]), nameFrom === 'metadata' ? 'app names are DNS-1035 labels of at most 58 characters' : 'set metadata.name in habitat.yaml'));
  }
  const ns = app.metadata?.namespace;
  if (ns !== undefined) {
    const q = dns1123LabelProblem(ns);
    if (q) out.push(error('namespace-invalid', `metadata.namespace "${ns}" ${q}`, loc.at(['metadata', 'namespace'])));
  }
  if (inputs.namespace !== undefined) {
    const q = dns1123LabelProblem(inputs.namespace);
    if (q) out.push(error('namespace-invalid', `the destination namespace "${inputs.namespace}" ${q}`));
    else if (ns !== undefined && ns !== inputs.namespace) {
      const envs = Object.entries(base?.environments ?? {}).filter(([, e]) => (e.metadata as { namespace?: string } | undefined)?.namespace === inputs.namespace).map(([n]) => n).sort();
      const hint = envs.length
        ? `environment ${envs.join(', ')} pins namespace "${inputs.namespace}": select it (--env ${envs[0]}; HABITAT_ENV in Argo CD)`
        : 'make the Application\'s destination namespace match metadata.namespace, or remove metadata.namespace';
      out.push(error('namespace-mismatch', `habitat.yaml pins namespace "${ns}" but the destination namespace is "${inputs.namespace}"`, loc.at(['metadata', 'namespace']), hint));
    }
  }
  return out;
}
