import { isPlainObject } from '../model/deepMerge';
import { error, warning, type Diagnostic } from '../diag/diagnostic';
import type { ManifestObject } from './parseManifests';
import type { OperatorHabitat } from './readHabitat';

/** What checkWorkloads accepts (core/v1 EnvVar names since Kubernetes 1.x, the portable subset). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const setByHabitatCmp = (n: string) => n === 'HAB_LICENSE' || n === 'HAB_RING_KEY' || n === 'HAB_RING' || n.startsWith('HAB_BIND_') || n.startsWith('HAB_CMP_');

/**
 * The operator passed `env` verbatim into the container (stateful_sets.go).
 * habitat.yaml's env is a map of plain values, so: values are kept; a
 * configMapKeyRef to a ConfigMap among the inputs is written inline; every
 * other valueFrom (Secret, Downward API, resources) cannot be carried and is
 * reported. Later duplicates win, as in Kubernetes.
 */
export function importEnv(h: OperatorHabitat, configMap: (name: string) => ManifestObject | undefined, consumed: Set<ManifestObject>): { env: [string, string][]; diagnostics: Diagnostic[] } {
  const out = new Map<string, string>();
  const d: Diagnostic[] = [];
  const what = `Habitat ${h.name}`;
  for (const e of h.env) {
    if (!ENV_NAME.test(e.name)) {
      d.push(error('import-env-name-invalid', `${what}: environment variable name ${JSON.stringify(e.name)} is invalid`, e.at, 'use letters, digits, "_", "-" and ".", not starting with a digit'));
      continue;
    }
    if (setByHabitatCmp(e.name)) {
      d.push(warning('import-env-not-carried', `${what}: env ${e.name} is set by habitat-cmp itself; not carried`, e.at, e.name === 'HAB_LICENSE' ? 'habitat-cmp accepts the license with accept-no-persist' : e.name.startsWith('HAB_BIND_') ? 'binds come from service.bind' : 'the ring key comes from ringSecretName (ring.sealedKey)'));
      continue;
    }
    let value: string | undefined = e.value ?? '';
    if (e.valueFrom) {
      value = fromRef(e.name, e.valueFrom, e.at);
      if (value === undefined) continue;
    }
    if (out.has(e.name)) d.push(warning('import-env-duplicate', `${what}: env ${e.name} is set twice; the later value wins, as in Kubernetes`, e.at));
    if (/\$\([A-Za-z_][-._A-Za-z0-9]*\)/.test(value)) {
      d.push(warning('import-env-expansion', `${what}: env ${e.name} uses $(VAR) expansion, which depends on the order of env entries`, e.at, 'habitat-cmp writes user env sorted by name after its own; check that the referenced variable is still defined before it'));
    }
    out.set(e.name, value);
  }
  return { env: [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), diagnostics: d };

  function fromRef(name: string, from: Record<string, unknown>, at: OperatorHabitat['env'][number]['at']): string | undefined {
    const cm = from.configMapKeyRef;
    if (isPlainObject(cm) && typeof cm.name === 'string' && typeof cm.key === 'string') {
      const obj = configMap(cm.name);
      const data = obj && isPlainObject(obj.value.data) ? obj.value.data : undefined;
      if (data && typeof data[cm.key] === 'string') {
        consumed.add(obj!);
        d.push(warning('import-env-inlined', `${what}: env ${name} reads ConfigMap ${cm.name} key ${cm.key}; its current value is written inline`, at, 'habitat.yaml env holds plain values: later edits of the ConfigMap are no longer followed'));
        return data[cm.key] as string;
      }
      if (cm.optional === true) {
        d.push(warning('import-env-not-carried', `${what}: env ${name} reads optional ConfigMap ${cm.name} key ${cm.key}, which the input does not hold; left out`, at));
        return undefined;
      }
      d.push(warning('import-env-not-carried', `${what}: env ${name} reads ConfigMap ${cm.name} key ${cm.key}, which the input does not hold; not carried`, at, 'pass the file with that ConfigMap too, or set the value under env in habitat.yaml'));
      return undefined;
    }
    const kind = isPlainObject(from.secretKeyRef) ? 'a Secret' : isPlainObject(from.fieldRef) ? 'the Downward API (fieldRef)' : isPlainObject(from.resourceFieldRef) ? 'container resources (resourceFieldRef)' : 'an unknown source';
    const hint = isPlainObject(from.secretKeyRef)
      ? 'habitat.yaml env holds plain values only; put secret config into user.toml with "habitat-cmp seal"'
      : 'habitat.yaml env holds plain values only; set a fixed value under env, or read it in the service';
    d.push(warning('import-env-not-carried', `${what}: env ${name} takes its value from ${kind}; not carried`, at, hint));
    return undefined;
  }
}
