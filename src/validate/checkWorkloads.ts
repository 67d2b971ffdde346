import { error, warning, type Diagnostic } from '../diag/diagnostic';
import type { RawApp } from '../model/raw';
import { dns1035Problem, portNameProblem } from './dnsNames';
import { findStrictBindCycle } from './findStrictBindCycle';
import { joinedGroups } from './checkRing';
import type { Locator } from './locator';

/** StatefulSet pods get a `controller-revision-hash` label `<name>-<10 chars>`, which must fit 63. */
export const MAX_WORKLOAD_NAME = 52;
/** Ports the Supervisor itself listens on in every pod. */
export const RESERVED_PORTS = new Map([[9631, 'the Supervisor HTTP gateway'], [9638, 'Supervisor gossip'], [9632, 'the Supervisor control gateway']]);
/** Departure rumour plus the Supervisor's default 8 s service ShutdownTimeout (core/src/os/process.rs), with room to spare. */
export const MIN_GRACE_SECONDS = 10;
export const RESERVED_PORT_NAMES = new Set(['hab-gossip', 'hab-gossip-udp', 'hab-http']);
/** Env the renderer sets; a user value would silently break the ring or binds. */
const reservedEnv = (n: string) => n === 'HAB_LICENSE' || n === 'HAB_RING_KEY' || n === 'HAB_RING' || n.startsWith('HAB_BIND_') || n.startsWith('HAB_CMP_');

export function checkWorkloads(app: RawApp, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = Object.keys(app.services).sort();
  const strictEdges = new Map<string, string[]>();
  const ownGroups = new Set(names.map((w) => `${app.services[w]!.service ?? w}.${app.services[w]!.group ?? 'default'}`));
  const shared = joinedGroups(app);

  for (const w of names) {
    const s = app.services[w]!;
    const base = ['services', w];
    const p = dns1035Problem(w, MAX_WORKLOAD_NAME);
    if (p) out.push(error('name-invalid', `workload name "${w}" ${p}`, loc.at(base, 'key'), 'workload names are DNS-1035 labels: lowercase letters, digits and "-", starting with a letter, at most 52 characters'));
    if (s.image === undefined) out.push(error('schema-missing-key', `services.${w} is missing the required key "image"`, loc.at(base, 'key')));

    const serviceGroup = `${s.service ?? w}.${s.group ?? 'default'}`;
    if (serviceGroup.length > 63) {
      out.push(error('service-group-too-long', `service group "${serviceGroup}" is ${serviceGroup.length} characters long; it must fit a 63-character label value`, loc.at(s.group !== undefined ? [...base, 'group'] : s.service !== undefined ? [...base, 'service'] : base, s.group ?? s.service ? 'value' : 'key')));
    }

    const count = s.count ?? 1;
    if ((s.topology ?? 'standalone') === 'leader') {
      if (count === 1 || count === 2) {
        out.push(error('leader-count', `leader topology needs 0 or at least 3 members to elect a leader; services.${w}.count is ${count}`, loc.at([...base, s.count === undefined ? 'topology' : 'count']), 'set count to 3 (or 0 to stop the group)'));
      } else if (count > 0 && count % 2 === 0) {
        out.push(warning('leader-count-even', `services.${w}.count is ${count}: an even number of members tolerates no more failures than ${count - 1}`, loc.at([...base, 'count']), `use an odd count such as ${count + 1}`));
      }
    }

    // A restored member list makes the Supervisor ignore its seed file (habitat-supervisor-runtime.md §8).
    const mountPath = s.persistence?.mountPath;
    if (mountPath !== undefined && (mountPath.replace(/\/+$/, '') === '/hab/sup' || mountPath.startsWith('/hab/sup/') || /^\/(hab\/?)?$/.test(mountPath))) {
      out.push(error('persistence-hab-sup', `services.${w}.persistence.mountPath ${mountPath} would persist /hab/sup, the Supervisor's member list`, loc.at([...base, 'persistence', 'mountPath']), `a restored member list makes the Supervisor ignore the ring's seeds and call members at old addresses; persist /hab/svc/${s.service ?? w}/data instead`));
    }
    const grace = (s.pod as { terminationGracePeriodSeconds?: unknown } | undefined)?.terminationGracePeriodSeconds;
    if (typeof grace === 'number' && grace < MIN_GRACE_SECONDS) {
      out.push(warning('grace-period-short', `services.${w}.pod.terminationGracePeriodSeconds is ${grace}: a Supervisor needs time to announce its departure and stop its service (8 s by default)`, loc.at([...base, 'pod', 'terminationGracePeriodSeconds']), `use at least ${MIN_GRACE_SECONDS}; with 0 a deleted pod looks crashed to its ring and still counts toward quorum`));
    }

    const seenPorts = new Map<string, number>();
    (s.ports ?? []).forEach((port, i) => {
      const pp = portNameProblem(port.name);
      if (pp) out.push(error('port-name-invalid', `port name "${port.name}" ${pp}`, loc.at([...base, 'ports', i, 'name'])));
      else if (RESERVED_PORT_NAMES.has(port.name)) out.push(error('port-name-reserved', `port name "${port.name}" is used by the Supervisor's own ports`, loc.at([...base, 'ports', i, 'name']), 'choose another name'));
      const prev = seenPorts.get(port.name);
      if (prev !== undefined) out.push(error('port-name-duplicate', `port name "${port.name}" is already used by services.${w}.ports[${prev}]`, loc.at([...base, 'ports', i, 'name']), 'port names must be unique within a workload'));
      else seenPorts.set(port.name, i);
      const target = port.targetPort ?? port.port;
      const reserved = RESERVED_PORTS.get(target);
      if (reserved) out.push(error('port-reserved', `port ${target} is ${reserved}`, loc.at([...base, 'ports', i, port.targetPort !== undefined ? 'targetPort' : 'port']), 'the ring Service already exposes the Supervisor ports; pick another port'));
    });

    // Name syntax depends on the Kubernetes version: checked on the rendered StatefulSet (validate/k8s).
    for (const [k] of Object.entries(s.env ?? {})) {
      if (reservedEnv(k)) out.push(error('env-reserved', `environment variable ${k} is set by habitat-cmp`, loc.at([...base, 'env', k], 'key'), k.startsWith('HAB_BIND_') ? 'declare the bind under "binds" instead' : k.startsWith('HAB_CMP_') ? 'HAB_CMP_* variables describe the pod to habitat-cmp\'s start-up script' : k === 'HAB_LICENSE' ? 'the license is accepted with accept-no-persist for you' : 'set ring.sealedKey instead'));
    }

    const edges: string[] = [];
    for (const [bind, target] of Object.entries(s.binds ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (typeof target !== 'string') {
        const group = `${target.service}.${target.group ?? 'default'}`;
        if (!ownGroups.has(group) && !shared.has(group)) {
          out.push(error('bind-target-outside-ring', `bind "${bind}" of services.${w} names service group ${group}, which is neither a workload of this app nor in a ring it joins`, loc.at([...base, 'binds', bind]), `binds resolve only inside one ring, so it would wait forever: list the app running ${group} under ring.join with groups: [${group}]`));
        }
        continue;
      }
      if (target in app.services && (app.services[target]!.count ?? 1) === 0 && (s.bindingMode ?? 'strict') === 'strict' && (s.count ?? 1) > 0) {
        out.push(warning('bind-target-empty', `services.${w} binds strictly to ${target}, which runs no pods (count 0): its service waits until ${target} runs`, loc.at([...base, 'binds', bind]), `scale ${target} up, or set bindingMode: relaxed on ${w}`));
      }
      if (!(target in app.services)) {
        out.push(error('bind-target-unknown', `bind "${bind}" of services.${w} names "${target}", which is not a workload of this app`, loc.at([...base, 'binds', bind]), `known workloads: ${names.join(', ')}; to bind a service group outside this app write {service: NAME, group: GROUP}`));
      } else edges.push(target);
    }
    if ((s.bindingMode ?? 'strict') === 'strict') strictEdges.set(w, edges);
  }

  const cycle = findStrictBindCycle(strictEdges);
  if (cycle) {
    const [first, second] = cycle;
    const bind = Object.entries(app.services[first!]!.binds ?? {}).find(([, t]) => t === second)?.[0] ?? '';
    out.push(error('bind-cycle', `strict binds form a cycle that can never start: ${cycle.join(' -> ')}`, loc.at(['services', first!, 'binds', bind]), 'set bindingMode: relaxed on one workload of the cycle, or remove one bind'));
  }
  return out;
}
