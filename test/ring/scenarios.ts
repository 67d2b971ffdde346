/**
 * Life-of-an-app scenarios on the simulated cluster, and what must hold after each:
 * one ring (every running Supervisor knows every other as Alive), a leader that
 * all members of a leader group agree on, every scheduled pod Ready, and no
 * container exiting 86 on a first deploy (at most once per pod otherwise).
 */
import { Cluster, type Pod } from './cluster';
import { byKind, type Obj, type StatefulSet } from './manifests';
import { EXIT_NO_RETRY } from './supervisor';

export interface App {
  /** Namespace the app is applied to (its objects' own namespace wins). */
  ns: string;
  /** Render the app; `counts` overrides replicas per workload (the `counts` parameter). */
  render(counts?: Record<string, number>): Obj[];
}

export interface Verdict {
  label: string;
  components: string[][];
  notReady: string[];
  /** Not Ready because a strict bind names a group no live pod runs (expected Habitat behaviour). */
  waitingForBinds: string[];
  leaderProblems: string[];
  exit86: Record<string, number>;
  problems: string[];
}

const MIN = 60_000;
const SETTLE = 4 * MIN;

function stsOf(objs: Obj[]): StatefulSet[] {
  return byKind<StatefulSet>(objs, 'StatefulSet').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** What holds at this moment, phrased as problems (empty when all is well). */
export function judge(c: Cluster, label: string, opts: { firstDeploy: boolean }): Verdict {
  const live = c.liveSupervisors();
  const ids = new Set(live.map((s) => s.id));
  // components of the "knows as Alive" graph among live Supervisors
  const parent = new Map(live.map((s) => [s.id, s.id]));
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
  const problems: string[] = [];
  for (const s of live) {
    for (const m of s.members.values()) if (ids.has(m.id) && m.health === 'Alive' && m.id !== s.id) parent.set(find(s.id), find(m.id));
    const missing = live.filter((t) => t !== s && s.members.get(t.id)?.health !== 'Alive');
    if (missing.length) problems.push(`${c.podOf(s)?.key} (${s.id}) does not know ${missing.map((t) => c.podOf(t)?.key).join(', ')} as alive`);
  }
  const groups = new Map<string, string[]>();
  for (const s of live) {
    const r = find(s.id);
    groups.set(r, [...(groups.get(r) ?? []), c.podOf(s)!.key]);
  }
  const components = [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  if (components.length > 1) problems.unshift(`${components.length} rings: ${components.map((g) => `[${g.join(' ')}]`).join(' ')}`);

  // A strict bind to a group no live pod runs waits by design (manager/service.rs validate_binds, §9);
  // habitat-cmp warns about it at render time (bind-target-empty). Such pods are reported, not failed.
  const notReady = c.scheduledPods().filter((p) => !(p.phase === 'Running' && p.ready)).map((p) => p.key).sort();
  const waitingForBinds = notReady.filter((k) => bindBlocked(c, k));
  const failing = notReady.filter((k) => !waitingForBinds.includes(k));
  if (failing.length) problems.push(`not Ready: ${failing.join(', ')}`);

  const leaderProblems: string[] = [];
  const byGroup = new Map<string, typeof live>();
  for (const s of live) if (s.args.topology === 'leader') byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);
  for (const [g, members] of [...byGroup].sort()) {
    if (members.length < 2) continue;
    const leaders = new Set(members.map((s) => (s.election?.status === 'finished' ? s.election.leader! : 'none')));
    const leader = [...leaders][0]!;
    if (leaders.size !== 1 || leader === 'none' || !ids.has(leader)) leaderProblems.push(`group ${g}: leaders seen ${[...leaders].join(', ')}`);
  }
  problems.push(...leaderProblems);

  const exit86: Record<string, number> = {};
  for (const p of c.pods.values()) {
    const n = p.exits.filter((e) => e === EXIT_NO_RETRY).length;
    if (n) exit86[p.key] = n;
  }
  for (const [k, n] of Object.entries(exit86)) {
    if (opts.firstDeploy) problems.push(`${k} exited ${EXIT_NO_RETRY} ${n} time(s) on a first deploy`);
    else if (n > 1) problems.push(`${k} exited ${EXIT_NO_RETRY} ${n} times`);
  }
  return { label, components, notReady, waitingForBinds, leaderProblems, exit86, problems };
}

/** The pod's Supervisor waits for a strictly bound group that no live Supervisor runs. */
export function bindBlocked(c: Cluster, key: string): boolean {
  const sup = c.pods.get(key)?.sup;
  if (!sup || !sup.alive || sup.args.bindingMode !== 'strict') return false;
  const groups = new Set(c.liveSupervisors().map((s) => s.group));
  return sup.args.binds.some((b) => !groups.has(b.group));
}

function applyAll(c: Cluster, apps: readonly App[], counts?: Record<string, number>[]): void {
  apps.forEach((a, i) => c.apply(a.render(counts?.[i]), a.ns));
}

/** Runs until `done` holds or `limit` ms pass, checking once a simulated second. */
function runUntil(c: Cluster, done: () => boolean, limit: number): boolean {
  const end = c.now + limit;
  while (c.now < end) {
    c.runUntil(c.now + 1000);
    if (done()) return true;
  }
  return false;
}

function allReady(c: Cluster): boolean {
  return c.scheduledPods().every((p) => p.phase === 'Running' && p.ready);
}

export interface Scenario {
  name: string;
  /** Returns verdicts for each checkpoint. */
  run(apps: readonly App[], seed: number): Verdict[];
}

function withCluster(seed: number, fn: (c: Cluster) => Verdict[]): Verdict[] {
  const c = new Cluster(seed);
  try {
    return fn(c);
  } finally {
    c.dispose();
  }
}

function deploy(c: Cluster, apps: readonly App[]): Verdict {
  applyAll(c, apps);
  runUntil(c, () => allReady(c) && c.scheduledPods().length > 0, 10 * MIN);
  c.runUntil(c.now + SETTLE);
  return judge(c, 'first deploy', { firstDeploy: true });
}

function rollOut(c: Cluster, ns: string, sts: string, label: string): Verdict {
  const pods = [...c.pods.values()].filter((p) => p.ns === ns && p.sts === sts && p.phase !== 'Gone');
  if (pods.length && pods.every((p) => bindBlocked(c, p.key))) {
    // Kubernetes never rolls a StatefulSet whose pods are not Ready; these wait for a bind by design.
    return judge(c, `${label}: skipped, its pods wait for a strict bind`, { firstDeploy: false });
  }
  c.restartRollout(ns, sts);
  const done = runUntil(c, () => c.rolloutDone(ns, sts), 30 * MIN);
  c.runUntil(c.now + SETTLE);
  const v = judge(c, label, { firstDeploy: false });
  if (!done) v.problems.unshift(`rollout of ${ns}/${sts} did not finish within 30 minutes`);
  return v;
}

const nsOf = (a: App, o: Obj) => o.metadata.namespace ?? a.ns;

export const firstDeploy: Scenario = {
  name: 'first deploy',
  run: (apps, seed) => withCluster(seed, (c) => [deploy(c, apps)]),
};

export const rollingUpdates: Scenario = {
  name: 'rolling update of each workload',
  run: (apps, seed) =>
    withCluster(seed, (c) => {
      const out = [deploy(c, apps)];
      for (const a of apps) for (const s of stsOf(a.render())) if ((s.spec.replicas ?? 1) > 0) out.push(rollOut(c, nsOf(a, s), s.metadata.name, `rolling update of ${s.metadata.name}`));
      return out;
    }),
};

export const loseEveryPodZero: Scenario = {
  name: 'loss of every -0 pod at once',
  run: (apps, seed) =>
    withCluster(seed, (c) => {
      const out = [deploy(c, apps)];
      const zeros = [...c.pods.values()].filter((p: Pod) => p.ordinal === 0 && p.phase === 'Running').map((p) => p.key);
      c.killPods(zeros, 45_000);
      runUntil(c, () => allReady(c), 15 * MIN);
      c.runUntil(c.now + SETTLE);
      out.push(judge(c, `after losing ${zeros.join(', ')}`, { firstDeploy: false }));
      return out;
    }),
};

/** One pod of the largest workload never schedules while every other workload rolls. */
export const pendingWhileUpdating: Scenario = {
  name: 'one pod Pending throughout while another workload updates',
  run: (apps, seed) =>
    withCluster(seed, (c) => {
      const all = apps.flatMap((a) => stsOf(a.render()).map((s) => ({ a, s })));
      // A pod whose absence no strict bind waits on: from the largest StatefulSet, or one nobody binds to.
      const boundGroups = new Set(all.flatMap(({ s }) => {
        const args = s.spec.template.spec.containers[0]!.args ?? [];
        return args.includes('--binding-mode') ? [] : args.flatMap((x, i) => (args[i - 1] === '--bind' ? [x.slice(x.indexOf(':') + 1)] : []));
      }));
      const groupOf = (s: StatefulSet) => `${s.spec.template.metadata.labels['app.kubernetes.io/component']}.${s.spec.template.spec.containers[0]!.args?.[1]}`;
      const ok = all.filter(({ s }) => (s.spec.replicas ?? 1) >= 2 || ((s.spec.replicas ?? 1) === 1 && !boundGroups.has(groupOf(s))));
      const pick = [...(ok.length ? ok : all)].sort((x, y) => (y.s.spec.replicas ?? 1) - (x.s.spec.replicas ?? 1))[0]!;
      const pendingKey = `${nsOf(pick.a, pick.s)}/${pick.s.metadata.name}-${Math.max(0, (pick.s.spec.replicas ?? 1) - 1)}`;
      c.unschedulable.add(pendingKey);
      const out = [deploy(c, apps)];
      out[0]!.label = `first deploy with ${pendingKey} Pending`;
      for (const { a, s } of all) if (s !== pick.s && (s.spec.replicas ?? 1) > 0) out.push(rollOut(c, nsOf(a, s), s.metadata.name, `rolling update of ${s.metadata.name} while ${pendingKey} is Pending`));
      return out;
    }),
};

/** Every leader group of 3 scaled to 5 and back (re-rendered with the `counts` parameter). */
export const leaderScaling: Scenario = {
  name: 'a leader group scaled 3 -> 5 -> 3',
  run: (apps, seed) =>
    withCluster(seed, (c) => {
      const out = [deploy(c, apps)];
      apps.forEach((a, i) => {
        for (const s of stsOf(a.render())) {
          if (s.spec.template.spec.containers[0]!.args?.join(' ').includes('--topology leader') !== true || s.spec.replicas !== 3) continue;
          for (const n of [5, 3]) {
            const counts = apps.map((_, j) => (j === i ? { [s.metadata.name]: n } : {}));
            applyAll(c, apps, counts);
            runUntil(c, () => allReady(c) && c.scheduledPods().filter((p) => p.sts === s.metadata.name).length === n, 15 * MIN);
            c.runUntil(c.now + SETTLE);
            out.push(judge(c, `${s.metadata.name} scaled to ${n}`, { firstDeploy: false }));
          }
        }
      });
      return out;
    }),
};

export const ALL_SCENARIOS = [firstDeploy, rollingUpdates, loseEveryPodZero, pendingWhileUpdating, leaderScaling];
