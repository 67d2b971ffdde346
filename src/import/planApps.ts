import { error, warning, type Diagnostic } from '../diag/diagnostic';
import { lineCol } from '../diag/format';
import { parseToml } from '../parse/parseToml';
import { IMAGE_PATTERN } from '../schema/habitatSchema';
import type { SealingScope } from '../seal/scopeLabel';
import { MAX_WORKLOAD_NAME } from '../validate/checkWorkloads';
import { dns1035Problem } from '../validate/dnsNames';
import type { ImportedApp, ImportedConfig, ImportedWorkload, RingJoin } from './importedApp';
import { importEnv } from './importEnv';
import { notCarriedReason } from './notCarriedReason';
import type { ManifestObject } from './parseManifests';
import { readHabitat, RING_SECRET_NAME, type OperatorHabitat } from './readHabitat';
import { ringKeyContent } from './ringKeyContent';
import { SECRET_VALUE_PROBLEM, secretValue } from './secretData';
import { readService, type ImportedPort } from './serviceObject';

export interface ImportOptions {
  /** Namespace of objects that name none (what kubectl -n would have used). */
  namespace?: string;
  /** metadata.name, when the input makes exactly one app. */
  name?: string;
  /** One app per Habitat, wired by ring.join, instead of one app per namespace. */
  split: boolean;
  scope?: SealingScope;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const IMAGE_RE = new RegExp(IMAGE_PATTERN);
const NAME_PART = /^[A-Za-z0-9_-]+$/;
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

interface Meta {
  kind: string;
  name: string;
  /** Effective namespace ("" when neither the object nor --namespace names one). */
  ns: string;
}

function metaOf(obj: ManifestObject, fallbackNs: string | undefined): Meta {
  const m = isRecord(obj.value.metadata) ? obj.value.metadata : {};
  return {
    kind: typeof obj.value.kind === 'string' ? obj.value.kind : '',
    name: typeof m.name === 'string' ? m.name : '',
    ns: typeof m.namespace === 'string' ? m.namespace : fallbackNs ?? '',
  };
}

/**
 * Turns the objects of the input into apps: Habitats of one namespace become
 * one app (the operator ran one gossip ring per namespace: every pod peered
 * with the namespace's single peer IP, so binds across Habitats worked), or one
 * app per Habitat with --split, joined where binds need it. Every other object
 * is either consumed (the Secrets and ConfigMaps the Habitats read, Services'
 * ports) or reported as not carried. Pure: no I/O, no sealing.
 */
export function planApps(objects: readonly ManifestObject[], opts: ImportOptions): { apps: ImportedApp[]; diagnostics: Diagnostic[] } {
  const d: Diagnostic[] = [];
  const consumed = new Set<ManifestObject>();
  const habitats: OperatorHabitat[] = [];
  const index = new Map<string, ManifestObject>();
  const services: ManifestObject[] = [];
  const key = (kind: string, ns: string, name: string) => `${kind}\u0000${ns}\u0000${name}`;

  for (const obj of objects) {
    const m = metaOf(obj, opts.namespace);
    const isHabitat = m.kind === 'Habitat' && typeof obj.value.apiVersion === 'string' && obj.value.apiVersion.startsWith('habitat.sh/');
    if (isHabitat || (obj.value.apiVersion === 'v1' && ['Secret', 'ConfigMap', 'Service'].includes(m.kind))) {
      const k = key(m.kind, m.ns, m.name);
      if (m.name && index.has(k)) {
        const first = index.get(k)!;
        d.push(error('import-object-duplicate', `${m.kind} ${m.name} is defined twice${m.ns ? ` in namespace ${m.ns}` : ''}`, obj.at(['metadata', 'name']), `the first one is in ${first.file}; kubectl would keep only the last, remove one`));
        consumed.add(obj);
        continue;
      }
      index.set(k, obj);
    }
    if (isHabitat) {
      consumed.add(obj);
      const r = readHabitat(obj);
      d.push(...r.diagnostics);
      if (r.habitat) habitats.push({ ...r.habitat, ...(m.ns ? { namespace: m.ns } : {}) });
    } else if (m.kind === 'Service' && obj.value.apiVersion === 'v1') services.push(obj);
  }
  const lookup = (kind: string, ns: string, name: string) => index.get(key(kind, ns, name));
  const nsOf = (h: OperatorHabitat) => h.namespace ?? '';

  // Workloads, one per Habitat.
  const workloads = new Map<OperatorHabitat, ImportedWorkload>();
  for (const h of [...habitats].sort(byName)) {
    const w = importWorkload(h, (name) => lookup('Secret', nsOf(h), name), (name) => lookup('ConfigMap', nsOf(h), name), consumed, d);
    if (w) workloads.set(h, w);
  }

  // Services: their numeric ports become the selected workload's ports.
  for (const svc of services) {
    consumed.add(svc);
    const m = metaOf(svc, opts.namespace);
    const r = readService(svc, habitats.filter((h) => nsOf(h) === m.ns));
    const w = r.habitat ? workloads.get(r.habitat) : undefined;
    const carried: ImportedPort[] = [];
    if (w) {
      for (const p of r.ports) {
        if (w.ports.some((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))) continue;
        const name = w.ports.some((q) => q.name === p.name) ? `port-${p.port}` : p.name;
        if (w.ports.some((q) => q.name === name)) {
          r.dropped.push(`${p.port} (its name clashes)`);
          continue;
        }
        const port = { ...p, name };
        w.ports.push(port);
        carried.push(port);
      }
    }
    const exposure = r.exposure.length ? ` (${r.exposure.join(', ')})` : '';
    const at = svc.at(['metadata', 'name']);
    d.push(warning('import-not-carried', `Service ${m.name}${exposure} is not carried: ${w ? 'it selects the operator\'s pod labels' : r.reason}`, at,
      w ? `habitat-cmp pods are labelled app.kubernetes.io/name: ${w.name}, not habitat-name; keep your own Service (NodePort, LoadBalancer) with that selector` : 'keep it in your own manifests, with a selector for habitat-cmp\'s pod labels (app.kubernetes.io/name)'));
    if (carried.length) {
      d.push(warning('import-service-ports', `Service ${m.name}: port ${carried.map((p) => p.port).join(', ')} becomes services.${w!.name}.ports (a ClusterIP Service ${w!.name})`, at));
    }
    if (w && r.dropped.length) d.push(warning('import-service-ports', `Service ${m.name}: port ${r.dropped.join(', ')} left out`, at));
  }

  const apps = opts.split ? splitApps(habitats, workloads, opts, lookup, consumed, d) : namespaceApps(habitats, workloads, opts, lookup, consumed, d);

  for (const obj of objects) {
    if (consumed.has(obj)) continue;
    const [message, hint] = notCarriedReason(obj);
    d.push(warning('import-not-carried', message, obj.at(['metadata', 'name']), hint));
  }
  if (habitats.length === 0 && !d.some((x) => x.severity === 'error')) {
    d.push(error('import-no-habitat', 'the input holds no Habitat object (kind Habitat, apiVersion habitat.sh/v1beta1)', undefined, 'pass the files with your Habitat objects and the Secrets they name (kubectl get habitats,secrets -o yaml)'));
  }
  return { apps, diagnostics: d };
}

function importWorkload(
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
    if (!s) {
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

type Lookup = (kind: string, ns: string, name: string) => ManifestObject | undefined;

/** The provider of a bind among the Habitats of one namespace (the operator's ring). */
function provider(b: OperatorHabitat['binds'][number], candidates: readonly OperatorHabitat[], d: Diagnostic[], consumer: OperatorHabitat): OperatorHabitat | undefined {
  const found = candidates.filter((h) => (h.serviceName ?? h.name) === b.service && (h.group ?? 'default') === b.group).sort(byName);
  if (found.length === 0) {
    d.push(error('import-bind-target-missing', `Habitat ${consumer.name}: bind ${b.name} needs ${b.service}.${b.group}, which no imported Habitat${consumer.namespace ? ` in namespace ${consumer.namespace}` : ''} runs`, b.at, 'pass the manifest of the Habitat that provides it too; under the operator only Habitats of the same namespace shared a ring'));
    return undefined;
  }
  if (found.length > 1) d.push(warning('import-bind-ambiguous', `Habitat ${consumer.name}: bind ${b.name} matches ${found.map((h) => h.name).join(', ')}, which run the same service group; bound to ${found[0]!.name}`, b.at));
  return found[0];
}

/** The ring key Secret of the Habitats of one app; they must agree, as one ring has one key. */
function ringKeyOf(group: readonly OperatorHabitat[], lookup: Lookup, consumed: Set<ManifestObject>, d: Diagnostic[], splitHint: boolean): ImportedApp['ringKey'] | undefined {
  const names = [...new Set(group.map((h) => h.ringSecretName ?? ''))].sort();
  if (names.length > 1) {
    const odd = group.find((h) => (h.ringSecretName ?? '') !== (group[0]!.ringSecretName ?? ''))!;
    d.push(error('import-ring-mixed', `Habitats ${group[0]!.name} and ${odd.name} share a namespace (one ring) but not a ring key (${names.map((n) => n || 'none').join(' vs ')})`, odd.obj.at([...odd.base, 'service', ...(odd.ringSecretName !== undefined ? ['ringSecretName'] : [])], odd.ringSecretName !== undefined ? 'value' : 'key'),
      splitHint ? 'their Supervisors could not gossip under the operator either; give them one ringSecretName, or import with --split' : 'give them one ringSecretName'));
    return undefined;
  }
  const secretName = names[0];
  if (!secretName) return undefined;
  const h = group.find((x) => x.ringSecretName === secretName)!;
  const where = h.obj.at([...h.base, 'service', 'ringSecretName']);
  const s = lookup('Secret', h.namespace ?? '', secretName);
  if (!s) {
    d.push(error('import-secret-missing', `Habitat ${h.name}: ring key Secret ${secretName} is not in the input`, where, 'pass the file that holds it too; without the key the ring would run unencrypted'));
    return undefined;
  }
  consumed.add(s);
  const v = secretValue(s, 'ring-key');
  if (!v.ok) {
    d.push(error('import-secret-key', `Habitat ${h.name}: key ring-key of Secret ${secretName} ${SECRET_VALUE_PROBLEM[v.problem]}`, v.path ? s.at(v.path, 'key') : s.at(['metadata', 'name'])));
    return undefined;
  }
  const c = ringKeyContent(v.text);
  if ('problem' in c) {
    d.push(error('import-ring-key-invalid', `Secret ${secretName}: ring-key is not a Habitat ring key: it ${c.problem}`, s.at(v.path, 'key')));
    return undefined;
  }
  if (c.namedRevision !== secretName) {
    d.push(warning('import-ring-key-name', `Secret ${secretName} holds the key ${c.namedRevision}; the operator expected the Secret to be named after it`, s.at(['metadata', 'name']), `habitat-cmp hands the key to the Supervisor as HAB_RING_KEY, which uses the name inside the key (ring ${RING_SECRET_NAME.exec(c.namedRevision)![1]})`));
  }
  return { content: v.text, secret: secretName };
}

function namespaceApps(habitats: readonly OperatorHabitat[], workloads: Map<OperatorHabitat, ImportedWorkload>, opts: ImportOptions, lookup: Lookup, consumed: Set<ManifestObject>, d: Diagnostic[]): ImportedApp[] {
  const groups = new Map<string, OperatorHabitat[]>();
  for (const h of habitats) groups.set(h.namespace ?? '', [...(groups.get(h.namespace ?? '') ?? []), h]);
  const single = groups.size === 1;
  const apps: ImportedApp[] = [];
  for (const ns of [...groups.keys()].sort()) {
    const group = groups.get(ns)!.sort(byName);
    const ringKey = ringKeyOf(group, lookup, consumed, d, true);
    const ws: ImportedWorkload[] = [];
    for (const h of group) {
      const w = workloads.get(h);
      if (!w) continue;
      for (const b of [...h.binds].sort(byName)) {
        const p = provider(b, group, d, h);
        if (p && !w.binds.some(([n]) => n === b.name)) w.binds.push([b.name, p.name]);
      }
      ws.push(w);
    }
    const name = (single ? opts.name : undefined) ?? (ns || (group.length === 1 ? group[0]!.name : undefined));
    apps.push({
      ...(name !== undefined ? { name } : {}),
      ...(ns ? { namespace: ns } : {}),
      dir: single ? '' : name ?? 'app',
      ...(ringKey ? { ringKey } : {}),
      scope: opts.scope ?? 'strict',
      join: [],
      workloads: ws,
    });
  }
  return apps;
}

function splitApps(habitats: readonly OperatorHabitat[], workloads: Map<OperatorHabitat, ImportedWorkload>, opts: ImportOptions, lookup: Lookup, consumed: Set<ManifestObject>, d: Diagnostic[]): ImportedApp[] {
  const apps: ImportedApp[] = [];
  const dirs = new Map<string, OperatorHabitat>();
  for (const h of [...habitats].sort(byName)) {
    const w = workloads.get(h);
    const sameNs = habitats.filter((x) => (x.namespace ?? '') === (h.namespace ?? ''));
    const ringKey = ringKeyOf([h], lookup, consumed, d, false);
    const joins = new Map<string, Set<string>>();
    for (const b of [...h.binds].sort(byName)) {
      const p = provider(b, sameNs, d, h);
      if (!p || !w || w.binds.some(([n]) => n === b.name)) continue;
      if (p === h) {
        w.binds.push([b.name, h.name]);
        continue;
      }
      if ((p.ringSecretName ?? '') !== (h.ringSecretName ?? '')) {
        d.push(error('import-ring-mixed', `Habitat ${h.name}: bind ${b.name} reaches Habitat ${p.name}, which has another ring key; one ring has one key`, b.at, 'give both Habitats the same ringSecretName'));
        continue;
      }
      w.binds.push([b.name, { service: b.service, group: b.group }]);
      joins.set(p.name, (joins.get(p.name) ?? new Set()).add(`${b.service}.${b.group}`));
    }
    const join: RingJoin[] = [...joins].sort(([a], [b]) => (a < b ? -1 : 1)).map(([app, groups]) => ({ app, groups: [...groups].sort() }));
    const other = dirs.get(h.name);
    if (other) d.push(error('import-app-collision', `Habitats named ${h.name} in two namespaces would both become app ${h.name}`, h.obj.at(['metadata', 'name']), 'import one namespace at a time'));
    dirs.set(h.name, h);
    // A shared encrypted ring needs one sealed value every app of it can decrypt.
    const scope = opts.scope ?? (ringKey && habitats.some((x) => x !== h && x.ringSecretName === h.ringSecretName && (x.namespace ?? '') === (h.namespace ?? '')) ? 'namespace-wide' : 'strict');
    if (w) {
      apps.push({
        name: h.name,
        ...(h.namespace ? { namespace: h.namespace } : {}),
        dir: habitats.length === 1 ? '' : h.name,
        ...(ringKey ? { ringKey } : {}),
        scope,
        join,
        workloads: [w],
      });
    }
  }
  return apps;
}
