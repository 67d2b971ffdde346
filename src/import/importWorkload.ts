import { error, warning, type Diagnostic } from '../diag/diagnostic';
import { lineCol } from '../diag/format';
import { parseToml } from '../parse/parseToml';
import { IMAGE_PATTERN } from '../schema/habitatSchema';
import { MAX_WORKLOAD_NAME } from '../validate/checkWorkloads';
import { dns1035Problem } from '../validate/dnsNames';
import type { ImportedConfig, ImportedWorkload } from './importedApp';
import { importEnv } from './importEnv';
import type { ManifestObject } from './parseManifests';
import type { OperatorHabitat } from './readHabitat';
import { SECRET_VALUE_PROBLEM, secretValue } from './secretValue';

const IMAGE_RE = new RegExp(IMAGE_PATTERN);
const NAME_PART = /^[A-Za-z0-9_-]+$/;
/** metadata.name of a Secret: a DNS-1123 subdomain. */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * One Habitat as a workload: checked against what habitat.yaml can hold
 * (errors at the Habitat's own fields), its user.toml read from its config
 * Secret, its env converted. Binds and ports are filled in later, when every
 * Habitat and Service is known. Undefined when the Habitat has errors.
 */
export function importWorkload(
  h: OperatorHabitat,
  secret: (name: string) => ManifestObject | undefined,
  configMap: (name: string) => ManifestObject | undefined,
  consumed: Set<ManifestObject>,
  d: Diagnostic[],
): ImportedWorkload | undefined {
  const what = `Habitat ${h.name}`;
  const at = (path: readonly (string | number)[], part: 'key' | 'value' = 'value') => h.obj.at([...h.base, ...path], part);
  const errs = d.length;
  const nameProblem = dns1035Problem(h.name, MAX_WORKLOAD_NAME);
  if (nameProblem) {
    d.push(error('import-name-invalid', `${what}: the name ${nameProblem}; it becomes the workload (StatefulSet) name`, h.obj.at(['metadata', 'name']), `workload names are DNS-1035 labels of at most ${MAX_WORKLOAD_NAME} characters; rename the Habitat before importing (PVCs persistent-<name>-<n> follow the name)`));
  }
  if (!IMAGE_RE.test(h.image)) d.push(error('import-image-invalid', `${what}: image ${JSON.stringify(h.image)} is not a valid image reference`, at(['image'])));
  if (h.count < 0 || h.count > 1000) d.push(error('import-count-invalid', `${what}: count ${h.count} is outside 0..1000`, at(['count'])));
  if (h.serviceName !== undefined && (!NAME_PART.test(h.serviceName) || h.serviceName.length > 128)) d.push(error('import-service-name-invalid', `${what}: service.name must be a Habitat package name (letters, digits, "_", "-")`, at(['service', 'name'])));
  if (h.group !== undefined && (!NAME_PART.test(h.group) || h.group.length > 128)) d.push(error('import-group-invalid', `${what}: service.group must be letters, digits, "_" and "-" (the Supervisor's --group)`, at(['service', 'group'])));
  if (h.channel !== undefined && (!/^[A-Za-z0-9_.-]+$/.test(h.channel) || h.channel.length > 128)) d.push(error('import-channel-invalid', `${what}: service.channel must be letters, digits, ".", "_" and "-"`, at(['service', 'channel'])));
  const bindNames = new Set<string>();
  for (const b of h.binds) {
    if (!NAME_PART.test(b.name) || b.name.length > 64) d.push(error('import-bind-invalid', `${what}: bind name ${JSON.stringify(b.name)} must be letters, digits, "_" and "-"`, b.at));
    else if (!NAME_PART.test(b.service) || !NAME_PART.test(b.group)) d.push(error('import-bind-invalid', `${what}: bind ${b.name} must name a service group service.group without ".", "@" or "#"`, b.at));
    else if (bindNames.has(b.name)) d.push(error('import-bind-invalid', `${what}: bind ${b.name} is listed twice`, b.at));
    bindNames.add(b.name);
  }
  if (h.persistence && !h.persistence.mountPath.startsWith('/')) d.push(error('import-persistence-invalid', `${what}: persistentStorage.mountPath must be an absolute path`, at(['persistentStorage', 'mountPath'])));

  if (h.layout === 'v1beta1') {
    d.push(warning('import-legacy-layout', `${what} uses the legacy v1beta1 layout (a Deployment before operator 0.8); it becomes a StatefulSet`, h.obj.at(['metadata', 'name']), 'pods get stable names W-0, W-1, ...; nothing else changes for the Supervisor'));
  }
  if (h.labelKeys.length || h.annotationKeys.length) {
    const list = [h.labelKeys.length ? `labels (${h.labelKeys.join(', ')})` : '', h.annotationKeys.length ? `annotations (${h.annotationKeys.join(', ')})` : ''].filter(Boolean).join(' and ');
    d.push(warning('import-metadata-not-carried', `${what}: its ${list} are not carried; the operator copied them nowhere either`, h.obj.at(['metadata', 'name']), 'to label every object of the app, set metadata.labels in habitat.yaml'));
  }
  if (h.serviceName === undefined) {
    d.push(warning('import-service-name-missing', `${what}: service.name is not set; habitat-cmp then uses the workload name as the Habitat package name`, at(['service'], 'key'), 'set services.<workload>.service to the package name: it locates user.toml, the health check and bind targets'));
  }
  if (h.countMissing) d.push(warning('import-count-missing', `${what}: count is not set; the operator ran 0 pods, and so will habitat-cmp`, at([], 'key')));

  let count = h.count;
  if (h.topology === 'leader' && (count === 1 || count === 2)) {
    count = 3;
    d.push(warning('import-leader-count', `${what}: leader topology with count ${h.count} never elects a leader; imported with count 3`, at(['count']), 'a leader group needs at least 3 members (the operator\'s leader example says so); set count: 0 to keep it stopped'));
  }

  let config: ImportedConfig | undefined;
  if (h.configSecretName !== undefined) {
    const s = secret(h.configSecretName);
    const where = at(['service', 'configSecretName']);
    if (!SECRET_NAME.test(h.configSecretName) || h.configSecretName.length > 253) {
      // It also names the configFile written under --out.
      d.push(error('import-secret-name-invalid', `${what}: configSecretName ${JSON.stringify(h.configSecretName)} is not a Secret name (lowercase DNS subdomain)`, where));
    } else if (!s) {
      d.push(error('import-secret-missing', `${what}: config Secret ${h.configSecretName} is not in the input${h.namespace ? ` (namespace ${h.namespace})` : ''}`, where, 'pass the file that holds it too, e.g. kubectl get secret NAME -o yaml > secret.yaml'));
    } else {
      consumed.add(s);
      const v = secretValue(s, 'user.toml');
      if (!v.ok) {
        d.push(error('import-secret-key', `${what}: key user.toml of Secret ${h.configSecretName} ${SECRET_VALUE_PROBLEM[v.problem]}`, v.path ? s.at(v.path, 'key') : s.at(['metadata', 'name']), v.problem === 'missing' ? 'the operator mounted only the key user.toml; the pods could not start without it' : undefined));
      } else {
        const parsed = parseToml(v.text, 'user.toml');
        if (!parsed.value) {
          // The parser's message may quote the content; only the position is repeated.
          const p = parsed.diagnostics[0]?.offset;
          const lc = p === undefined ? undefined : lineCol(v.text, p);
          d.push(error('import-user-toml-invalid', `${what}: user.toml of Secret ${h.configSecretName} is not valid TOML${lc ? ` (line ${lc.line}, column ${lc.col} of its text)` : ''}`, s.at(v.path, 'key'), 'the Supervisor would not load the service with it; fix the Secret first'));
        } else config = { secret: h.configSecretName, text: v.text, table: parsed.value };
      }
    }
  }

  let persistence: ImportedWorkload['persistence'];
  if (h.persistence) {
    const { size, mountPath, storageClassName } = h.persistence;
    if (storageClassName === undefined || storageClassName === '') {
      d.push(warning('import-storage-class-empty', `${what}: persistentStorage has no storageClassName; habitat-cmp leaves it unset, so the cluster's default StorageClass applies`, at(['persistentStorage'], 'key'), 'the operator wrote storageClassName "" (no dynamic provisioning); set persistence.storageClassName if that matters'));
    }
    persistence = { size, mountPath, ...(storageClassName ? { storageClassName } : {}) };
  }

  const env = importEnv(h, configMap, consumed);
  d.push(...env.diagnostics);
  if (d.slice(errs).some((x) => x.severity === 'error')) return undefined;
  return {
    name: h.name,
    habitat: h,
    image: h.image,
    ...(h.serviceName !== undefined && h.serviceName !== h.name ? { service: h.serviceName } : {}),
    ...(h.group !== undefined ? { group: h.group } : {}),
    topology: h.topology,
    count,
    ...(h.channel !== undefined ? { channel: h.channel } : {}),
    binds: [],
    env: env.env,
    ports: [],
    ...(persistence ? { persistence } : {}),
    ...(config ? { config } : {}),
  };
}
