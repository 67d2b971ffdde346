import type { AppModel, Bind, Port, Topology } from '../model/types';
import { ringKeySecretName, ringServiceName } from '../render/names';

/**
 * What `graph` draws, as data: the app's workloads inside its gossip ring, the
 * service groups it binds to outside itself, its app Services, and every bind.
 * Built from the AppModel only (what render renders), so the drawing cannot
 * disagree with the manifests. Everything is in a fixed order (workloads and
 * binds by name, groups by service.group), so the text made from it is stable.
 */
export interface AppGraph {
  app: string;
  namespace?: string;
  ring: { service: string; encrypted: boolean; keySecret?: string };
  workloads: GraphWorkload[];
  /** Groups of other apps whose ring this app shares (ring.join), one box per app. */
  joined: JoinedRing[];
  /** Bind targets that are neither a workload of this app nor a joined app's group. */
  external: GraphGroup[];
  services: GraphService[];
  binds: GraphBind[];
}

export interface GraphWorkload {
  id: string;
  name: string;
  service: string;
  group: string;
  topology: Topology;
  count: number;
}

export interface GraphGroup {
  id: string;
  service: string;
  group: string;
}

export interface JoinedRing {
  id: string;
  app: string;
  /** Absent when neither the join entry nor this app names one. */
  namespace?: string;
  /** The joined app's ring Service, where its peers are found. */
  ringService: string;
  groups: GraphGroup[];
}

export interface GraphService {
  id: string;
  name: string;
  workload: string;
  ports: Port[];
}

export type BindTarget = 'workload' | 'shared-ring' | 'external';

export interface GraphBind {
  /** Node id of the consumer (a workload). */
  from: string;
  /** Node id of the producer: a workload, a joined app's group or an external group. */
  to: string;
  name: string;
  mode: 'strict' | 'relaxed';
  target: BindTarget;
}

/** The shape ring.join takes in the model; kept here so the graph does not depend on when it lands. */
export interface RingJoin {
  app: string;
  namespace?: string;
  groups: { service: string; group: string }[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const groupKey = (g: { service: string; group: string }) => `${g.service}.${g.group}`;

// Workload names are DNS-1035 labels (no "_"), so "-" -> "_" cannot make two ids
// equal, and the prefix keeps ids clear of words Mermaid reserves ("end", "graph").
const workloadId = (name: string) => `w_${name.replace(/-/g, '_')}`;
const serviceId = (name: string) => `s_${name.replace(/-/g, '_')}`;

export function appGraph(model: AppModel, join: readonly RingJoin[] = []): AppGraph {
  const workloads: GraphWorkload[] = model.workloads.map((w) => ({
    id: workloadId(w.name),
    name: w.name,
    service: w.service,
    group: w.group,
    topology: w.topology,
    count: w.count,
  }));
  const byGroup = new Map<string, string[]>();
  for (const w of workloads) byGroup.set(groupKey(w), [...(byGroup.get(groupKey(w)) ?? []), w.id]);

  const joined: JoinedRing[] = join
    .map((j) => ({ ...j, groups: [...j.groups].sort((a, b) => cmp(groupKey(a), groupKey(b))) }))
    .sort((a, b) => cmp(a.app, b.app) || cmp(a.namespace ?? model.namespace ?? '', b.namespace ?? model.namespace ?? ''))
    .map((j, i) => {
      const namespace = j.namespace ?? model.namespace;
      return {
        id: `j${i + 1}`,
        app: j.app,
        ...(namespace !== undefined ? { namespace } : {}),
        ringService: `${j.app}-ring`,
        groups: j.groups.map((g, k) => ({ id: `j${i + 1}_g${k + 1}`, service: g.service, group: g.group })),
      };
    });
  const joinedGroup = new Map<string, string>();
  for (const j of joined) for (const g of j.groups) if (!joinedGroup.has(groupKey(g))) joinedGroup.set(groupKey(g), g.id);

  // A bind resolves to this app's workloads first: a Supervisor binds to the
  // service group, whoever runs it, and this app's own members are in its ring.
  const targets = (b: Bind): { ids: string[]; target: BindTarget } => {
    if (b.workload !== undefined) return { ids: [workloadId(b.workload)], target: 'workload' };
    const local = byGroup.get(groupKey(b));
    if (local) return { ids: local, target: 'workload' };
    const shared = joinedGroup.get(groupKey(b));
    if (shared) return { ids: [shared], target: 'shared-ring' };
    return { ids: [], target: 'external' };
  };

  const outside = new Map<string, { service: string; group: string }>();
  for (const w of model.workloads) for (const b of w.binds) if (targets(b).target === 'external') outside.set(groupKey(b), b);
  const external: GraphGroup[] = [...outside.keys()].sort(cmp).map((key, i) => ({ id: `g${i + 1}`, service: outside.get(key)!.service, group: outside.get(key)!.group }));
  const externalId = new Map(external.map((g) => [groupKey(g), g.id]));

  const binds: GraphBind[] = [];
  for (const w of model.workloads) {
    for (const b of w.binds) {
      const t = targets(b);
      const ids = t.target === 'external' ? [externalId.get(groupKey(b))!] : t.ids;
      for (const to of ids) binds.push({ from: workloadId(w.name), to, name: b.name, mode: w.bindingMode, target: t.target });
    }
  }

  const services: GraphService[] = model.workloads
    .filter((w) => w.ports.length > 0)
    .map((w) => ({ id: serviceId(w.name), name: w.name, workload: workloadId(w.name), ports: w.ports }));

  return {
    app: model.name,
    ...(model.namespace !== undefined ? { namespace: model.namespace } : {}),
    ring: {
      service: ringServiceName(model),
      encrypted: model.ringSealedKey !== undefined,
      ...(model.ringSealedKey !== undefined ? { keySecret: ringKeySecretName(model) } : {}),
    },
    workloads,
    joined,
    external,
    services,
    binds,
  };
}
