import type { AppModel, Bind, Port, Topology } from '../model/types';
import { ringKeySecretName, ringServiceName } from '../render/names';

/**
 * What `graph` draws, as data: the app's workloads inside its gossip ring, the
 * rings of other apps it joins (ring.join) with their service groups, its app
 * Services, and every bind. Built from the AppModel only (what render renders),
 * so the drawing cannot disagree with the manifests. Everything is in a fixed
 * order (workloads and binds by name, joined apps as the model sorts them, groups
 * by service.group), so the text made from it is stable.
 */
export interface AppGraph {
  app: string;
  namespace?: string;
  ring: { service: string; encrypted: boolean; keySecret?: string };
  workloads: GraphWorkload[];
  /** Groups of other apps whose ring this app shares (ring.join), one box per app. */
  joined: JoinedRing[];
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

/** Where a bind lands: a workload of this app, or a group of an app whose ring it joins. */
export type BindTarget = 'workload' | 'shared-ring';

export interface GraphBind {
  /** Node id of the consumer (a workload). */
  from: string;
  /** Node id of the producer: a workload or a joined app's group. */
  to: string;
  name: string;
  mode: 'strict' | 'relaxed';
  target: BindTarget;
}

const groupKey = (g: { service: string; group: string }) => `${g.service}.${g.group}`;

// Workload names are DNS-1035 labels (no "_"), so "-" -> "_" cannot make two ids
// equal, and the prefix keeps ids clear of words Mermaid reserves ("end", "graph").
const workloadId = (name: string) => `w_${name.replace(/-/g, '_')}`;
const serviceId = (name: string) => `s_${name.replace(/-/g, '_')}`;

export function appGraph(model: AppModel): AppGraph {
  const workloads: GraphWorkload[] = model.workloads.map((w) => ({
    id: workloadId(w.name),
    name: w.name,
    service: w.service,
    group: w.group,
    topology: w.topology,
    count: w.count,
  }));
  const joined: JoinedRing[] = model.join.map((j, i) => {
    const namespace = j.namespace ?? model.namespace;
    return {
      id: `j${i + 1}`,
      app: j.app,
      ...(namespace !== undefined ? { namespace } : {}),
      ringService: `${j.app}-ring`,
      groups: j.groups.map((g, k) => ({ id: `j${i + 1}_g${k + 1}`, service: g.service, group: g.group })),
    };
  });

  // Every node running a service group. A Supervisor binds to the group, whoever
  // runs it: a `{service, group}` bind lands on this app's workload when it runs
  // that group, else on the joined apps' (validation allows nothing else, and
  // refuses a joined group that is also one of ours).
  const byGroup = new Map<string, { ids: string[]; target: BindTarget }>();
  const add = (key: string, id: string, target: BindTarget) => {
    const e = byGroup.get(key) ?? { ids: [], target };
    e.ids.push(id);
    byGroup.set(key, e);
  };
  for (const w of workloads) add(groupKey(w), w.id, 'workload');
  for (const j of joined) for (const g of j.groups) add(groupKey(g), g.id, 'shared-ring');
  const targets = (b: Bind) => (b.workload !== undefined ? { ids: [workloadId(b.workload)], target: 'workload' as const } : byGroup.get(groupKey(b)) ?? { ids: [], target: 'workload' as const });

  const binds: GraphBind[] = [];
  for (const w of model.workloads) {
    for (const b of w.binds) {
      const t = targets(b);
      for (const to of t.ids) binds.push({ from: workloadId(w.name), to, name: b.name, mode: w.bindingMode, target: t.target });
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
    services,
    binds,
  };
}
