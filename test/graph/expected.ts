// What a graph of an app must show, read straight from habitat.yaml with the
// defaults the README documents, written here independently of src/ (no code
// under test computes these expectations).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';

type Obj = Record<string, any>;

export interface ExpectedWorkload {
  name: string;
  /** The node's label lines. */
  lines: string[];
  ports: string[];
}

export interface ExpectedBind {
  from: string;
  /** First label line of the producer node: a workload name, or service.group of a joined app. */
  to: string;
  name: string;
  relaxed: boolean;
}

export interface ExpectedJoin {
  title: string;
  /** service.group of each group the joined app lists. */
  groups: string[];
}

export interface ExpectedApp {
  app: string;
  namespace?: string;
  ringTitle: string;
  workloads: ExpectedWorkload[];
  binds: ExpectedBind[];
  /** The rings of other apps this app joins (ring.join), drawn inside its own. */
  joined: ExpectedJoin[];
}

const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The README's overlay rule: mappings merge key by key, everything else replaces. */
function overlay(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? overlay(base[k], v) : v;
  return out;
}

export function expectedApp(dir: string, env?: string): ExpectedApp {
  const doc = parse(readFileSync(join(dir, 'habitat.yaml'), 'utf8')) as Obj;
  const app = (env ? overlay(doc, doc.environments[env]) : doc) as Obj;
  const name: string = app.metadata?.name ?? basename(dir);
  const services: Obj = app.services;
  const names = Object.keys(services);
  const sg = (w: string) => `${services[w].service ?? w}.${services[w].group ?? 'default'}`;
  const workloads = names.map((w) => {
    const s = services[w];
    return {
      name: w,
      lines: [w, sg(w), `${s.topology ?? 'standalone'}, count ${s.count ?? 1}`],
      ports: (s.ports ?? []).map((p: Obj) => `${p.name} ${p.port}${p.targetPort !== undefined && p.targetPort !== p.port ? ` -> ${p.targetPort}` : ''}/${p.protocol ?? 'TCP'}`),
    };
  });
  const joined: ExpectedJoin[] = (app.ring?.join ?? []).map((j: Obj) => {
    const ns = j.namespace ?? app.metadata?.namespace;
    return { title: `app ${j.app}${ns ? `, namespace ${ns}` : ''}, shared ring (Service ${j.app}-ring)`, groups: j.groups };
  });
  const binds: ExpectedBind[] = [];
  for (const w of names) {
    const relaxed = services[w].bindingMode === 'relaxed';
    for (const [bind, target] of Object.entries(services[w].binds ?? {})) {
      if (typeof target === 'string') {
        binds.push({ from: w, to: target, name: bind, relaxed });
        continue;
      }
      // a group bind lands on this app's workload running the group, else on the joined app listing it
      const group = `${(target as Obj).service}.${(target as Obj).group ?? 'default'}`;
      const local = names.filter((n) => sg(n) === group);
      for (const l of local) binds.push({ from: w, to: l, name: bind, relaxed });
      if (!local.length) for (const j of joined) if (j.groups.includes(group)) binds.push({ from: w, to: group, name: bind, relaxed });
    }
  }
  const key = app.ring?.sealedKey;
  return {
    app: name,
    ...(app.metadata?.namespace ? { namespace: app.metadata.namespace } : {}),
    ringTitle: `gossip ring ${name}-ring, ${key ? `encrypted (SealedSecret ${name}-ring-key)` : 'not encrypted'}`,
    workloads,
    binds,
    joined,
  };
}

/** Order-free comparison form of a bind. */
export const bindKey = (b: { from: string; to: string; name: string; relaxed: boolean }) => `${b.from} -> ${b.to} [${b.name}${b.relaxed ? ', relaxed' : ''}]`;
