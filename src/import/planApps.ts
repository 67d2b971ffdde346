import { isPlainObject } from '../model/deepMerge';
import { error, warning, type Diagnostic } from '../diag/diagnostic';
import type { SealingScope } from '../seal/scopeLabel';
import { appRingKey } from './appRingKey';
import type { ImportedApp, ImportedWorkload, RingJoin } from './importedApp';
import { importWorkload } from './importWorkload';
import { notCarriedReason } from './notCarriedReason';
import type { ManifestObject } from './parseManifests';
import { readHabitat, type OperatorHabitat } from './readHabitat';
import { readService, type ImportedPort } from './readService';
import { dns1123LabelProblem } from '../validate/dnsNames';

export interface ImportOptions {
  /** Namespace of objects that name none (what kubectl -n would have used). */
  namespace?: string;
  /** metadata.name, when the input makes exactly one app. */
  name?: string;
  /** One app per Habitat, wired by ring.join, instead of one app per namespace. */
  split: boolean;
  scope?: SealingScope;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

interface Meta {
  kind: string;
  name: string;
  /** Effective namespace ("" when neither the object nor --namespace names one). */
  ns: string;
}

function metaOf(obj: ManifestObject, fallbackNs: string | undefined): Meta {
  const m = isPlainObject(obj.value.metadata) ? obj.value.metadata : {};
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
  const key = (kind: string, ns: string, name: string) => JSON.stringify([kind, ns, name]);

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
      // The namespace names the app and its directory under --out.
      const nsProblem = m.ns ? dns1123LabelProblem(m.ns) : undefined;
      if (nsProblem) d.push(error('import-namespace-invalid', `namespace "${m.ns}" of Habitat ${m.name} ${nsProblem}`, obj.at(['metadata', 'namespace'])));
      else if (r.habitat) habitats.push({ ...r.habitat, ...(m.ns ? { namespace: m.ns } : {}) });
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

  // Services: their numeric ports become the selected workload's ports. Sorted, so
  // that which port comes first (the one binds see) does not depend on file order.
  const svcKey = (o: ManifestObject) => JSON.stringify([metaOf(o, opts.namespace).ns, metaOf(o, opts.namespace).name]);
  for (const svc of [...services].sort((a, b) => (svcKey(a) < svcKey(b) ? -1 : svcKey(a) > svcKey(b) ? 1 : 0))) {
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

function namespaceApps(habitats: readonly OperatorHabitat[], workloads: Map<OperatorHabitat, ImportedWorkload>, opts: ImportOptions, lookup: Lookup, consumed: Set<ManifestObject>, d: Diagnostic[]): ImportedApp[] {
  const groups = new Map<string, OperatorHabitat[]>();
  for (const h of habitats) groups.set(h.namespace ?? '', [...(groups.get(h.namespace ?? '') ?? []), h]);
  const single = groups.size === 1;
  const apps: ImportedApp[] = [];
  for (const ns of [...groups.keys()].sort()) {
    const group = groups.get(ns)!.sort(byName);
    const ringKey = appRingKey(group, (ns, name) => lookup('Secret', ns, name), consumed, d, true);
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
    const ringKey = appRingKey([h], (ns, name) => lookup('Secret', ns, name), consumed, d, false);
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
