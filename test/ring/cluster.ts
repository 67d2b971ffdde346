/**
 * A discrete-event model of the Kubernetes side of a Habitat app, driven only by
 * rendered manifests, with the Supervisor model of supervisor.ts inside each pod.
 *
 * Kubernetes rules modelled (kubernetes/kubernetes, behaviour documented in
 * ../shared/reference/habitat-supervisor-runtime.md §2, §4 and
 * argocd-sealed-secrets-day2.md §1.2 where it says so):
 * - StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go):
 *   `Parallel` creates and deletes pods without waiting; `OrderedReady` one at a
 *   time. RollingUpdate replaces pods from the highest ordinal down, one at a time,
 *   and deletes the next only when every pod is Running and Ready ("Parallel
 *   affects only scaling", §4). A deleted pod is recreated with the same name.
 * - Pods get an IP when their sandbox starts (before any container runs); the
 *   endpoints controller publishes the headless Service's DNS records a little
 *   later, for not-ready pods too when `publishNotReadyAddresses` is set, and
 *   removes them when the pod is gone. Pod records are
 *   `<pod>.<serviceName>.<ns>.svc.cluster.local`; the Service name resolves to all
 *   published pods.
 * - kubelet: a container that exits is restarted with CrashLoopBackOff (10 s,
 *   doubling, at most 300 s); env vars and volumes come from the pod spec (downward
 *   API fields, ConfigMap keys as files, emptyDirs that survive container restarts);
 *   probes run every periodSeconds after initialDelaySeconds; failureThreshold
 *   liveness failures restart the container; a pod is Ready after a readiness
 *   success; a deleted pod's containers get SIGTERM and, after
 *   terminationGracePeriodSeconds (default 30), SIGKILL.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Container, Obj, PodTemplate, Probe, Service, StatefulSet } from './manifests';
import { runScript, type DnsRecord, type Mount } from './script';
import { EXIT_NO_RETRY, parseSupArgs, readPeerFile, ROUND_MS, SERVICE_SHUTDOWN_MS, SUSPECT_TO_CONFIRMED_MS, Supervisor, TICK_MS, DEPARTURE_FANOUT, type MemberInfo } from './supervisor';

const IP_DELAY_MS = 1000;
const PULL_MS = 500;
const DNS_REMOVE_MS = 1000;
const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const CLUSTER_DOMAIN = 'cluster.local';
/** A typical service stop, well inside the Supervisor's 8 s ShutdownTimeout (SERVICE_SHUTDOWN_MS). */
const SERVICE_STOP_MS = Math.min(2000, SERVICE_SHUTDOWN_MS);

interface Sts {
  ns: string;
  obj: StatefulSet;
  revision: string;
}

export interface PodEvent {
  at: number;
  pod: string;
  what: string;
}

export interface Pod {
  key: string;
  ns: string;
  name: string;
  sts: string;
  ordinal: number;
  revision: string;
  template: PodTemplate;
  /** volumeClaimTemplates names: volumes the StatefulSet adds to each pod. */
  claims: string[];
  serviceName: string;
  phase: 'Pending' | 'Running' | 'Terminating' | 'Gone';
  unschedulable: boolean;
  ip?: string;
  dnsFrom?: number;
  dnsTo?: number;
  emptyDirs: Map<string, string>;
  /** The Supervisor of the current container, while it runs. */
  sup?: Supervisor;
  containerRunning: boolean;
  scriptDone: boolean;
  restarts: number;
  backoff: number;
  exits: number[];
  ready: boolean;
  readyEver: boolean;
  liveFails: number;
  readyFails: number;
  containerStartedAt: number;
  epoch: number;
}

function hash(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 10);
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);

export class Cluster {
  now = 0;
  private seq = 0;
  private queue: { at: number; seq: number; fn: () => void }[] = [];
  private stss = new Map<string, Sts>();
  private services = new Map<string, Service>();
  private configMaps = new Map<string, ConfigMap>();
  readonly pods = new Map<string, Pod>();
  private byIp = new Map<string, Supervisor>();
  private ipNext = 1;
  private memberNext = 1;
  private rng: () => number;
  private work: string;
  readonly log: PodEvent[] = [];
  /** Pods (ns/name) the scheduler never places. */
  readonly unschedulable = new Set<string>();

  constructor(seed: number) {
    let s = seed >>> 0 || 1;
    // mulberry32: reproducible delays
    this.rng = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    this.work = mkdtempSync(join(tmpdir(), 'ring-sim-'));
    this.at(0, () => this.tickControllers());
  }

  dispose(): void {
    rmSync(this.work, { recursive: true, force: true });
  }

  private at(t: number, fn: () => void): void {
    this.queue.push({ at: Math.max(t, this.now), seq: this.seq++, fn });
  }

  private note(pod: Pod | string, what: string): void {
    this.log.push({ at: this.now, pod: typeof pod === 'string' ? pod : pod.key, what });
  }

  /** Advance simulated time to `t`, running every event due. */
  runUntil(t: number): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.queue.length; i++) {
        const e = this.queue[i]!;
        if (best < 0 || e.at < this.queue[best]!.at || (e.at === this.queue[best]!.at && e.seq < this.queue[best]!.seq)) best = i;
      }
      if (best < 0 || this.queue[best]!.at > t) break;
      const e = this.queue.splice(best, 1)[0]!;
      this.now = e.at;
      e.fn();
    }
    this.now = t;
  }

  /** `kubectl apply` of a set of rendered objects into `ns` (objects without a namespace land there). */
  apply(objs: readonly Obj[], ns: string): void {
    for (const o of objs) {
      const on = o.metadata.namespace ?? ns;
      const key = `${on}/${o.metadata.name}`;
      if (o.kind === 'StatefulSet') {
        const s = o as StatefulSet;
        const prev = this.stss.get(key);
        if (prev && (JSON.stringify(prev.obj.spec.selector) !== JSON.stringify(s.spec.selector) || prev.obj.spec.serviceName !== s.spec.serviceName || prev.obj.spec.podManagementPolicy !== s.spec.podManagementPolicy)) {
          throw new Error(`apply ${key}: StatefulSet spec changes other than replicas, template and updateStrategy are forbidden`);
        }
        this.stss.set(key, { ns: on, obj: s, revision: hash(s.spec.template) });
      } else if (o.kind === 'Service') this.services.set(key, o as Service);
      else if (o.kind === 'ConfigMap') this.configMaps.set(key, o as ConfigMap);
    }
  }

  /** `kubectl rollout restart`: a new pod-template annotation, hence a new revision. */
  restartRollout(ns: string, sts: string): void {
    const s = this.stss.get(`${ns}/${sts}`);
    if (!s) throw new Error(`no StatefulSet ${ns}/${sts}`);
    const template = structuredClone(s.obj.spec.template);
    template.metadata.annotations = { ...template.metadata.annotations, 'kubectl.kubernetes.io/restartedAt': String(this.now) };
    s.obj = { ...s.obj, spec: { ...s.obj.spec, template } };
    s.revision = hash(template);
  }

  rolloutDone(ns: string, sts: string): boolean {
    const s = this.stss.get(`${ns}/${sts}`)!;
    const want = s.obj.spec.replicas ?? 1;
    for (let i = 0; i < want; i++) {
      const p = this.pods.get(`${ns}/${sts}-${i}`);
      if (!p || p.revision !== s.revision || p.phase !== 'Running' || !p.ready) return false;
    }
    return true;
  }

  /** A node failure: the pods die at once (no SIGTERM, no departure); their objects are force-deleted after `deleteAfterMs`. */
  killPods(keys: readonly string[], deleteAfterMs: number): void {
    for (const k of keys) {
      const p = this.pods.get(k);
      if (!p || p.phase === 'Gone') continue;
      this.note(p, 'node lost: killed');
      this.stopContainer(p, 'killed');
      p.phase = 'Terminating';
      p.epoch++;
      this.at(this.now + deleteAfterMs, () => this.podGone(p));
    }
  }

  // ---- controllers ----------------------------------------------------------------

  private tickControllers(): void {
    for (const s of [...this.stss.values()].sort((a, b) => (a.obj.metadata.name < b.obj.metadata.name ? -1 : 1))) this.reconcile(s);
    this.at(this.now + 1000, () => this.tickControllers());
  }

  private reconcile(s: Sts): void {
    const name = s.obj.metadata.name;
    const want = s.obj.spec.replicas ?? 1;
    const parallel = s.obj.spec.podManagementPolicy === 'Parallel';
    const mine = [...this.pods.values()].filter((p) => p.ns === s.ns && p.sts === name && p.phase !== 'Gone');
    const healthy = (p: Pod) => p.phase === 'Running' && p.ready;
    // scale down: highest ordinals first
    const extra = mine.filter((p) => p.ordinal >= want && p.phase !== 'Terminating').sort((a, b) => b.ordinal - a.ordinal);
    for (const p of parallel ? extra : extra.slice(0, mine.every(healthy) ? 1 : 0)) this.deletePod(p);
    // create missing pods
    for (let i = 0; i < want; i++) {
      const key = `${s.ns}/${name}-${i}`;
      const existing = this.pods.get(key);
      if (existing && existing.phase !== 'Gone') continue;
      if (!parallel) {
        const before = mine.filter((p) => p.ordinal < i);
        if (before.length < i || !before.every(healthy)) break;
      }
      this.createPod(s, i);
    }
    // rolling update: one pod at a time, highest ordinal first, only while all are healthy
    if ((s.obj.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const current = [...this.pods.values()].filter((p) => p.ns === s.ns && p.sts === name && p.phase !== 'Gone' && p.ordinal < want);
      if (current.length === want && current.every(healthy)) {
        const stale = current.filter((p) => p.revision !== s.revision).sort((a, b) => b.ordinal - a.ordinal)[0];
        if (stale) this.deletePod(stale);
      }
    }
  }

  private createPod(s: Sts, ordinal: number): void {
    const name = `${s.obj.metadata.name}-${ordinal}`;
    const key = `${s.ns}/${name}`;
    const prev = this.pods.get(key);
    const p: Pod = {
      key,
      ns: s.ns,
      name,
      sts: s.obj.metadata.name,
      ordinal,
      revision: s.revision,
      template: structuredClone(s.obj.spec.template),
      claims: (s.obj.spec.volumeClaimTemplates ?? []).map((v) => v.metadata.name),
      serviceName: s.obj.spec.serviceName,
      phase: 'Pending',
      unschedulable: this.unschedulable.has(key),
      emptyDirs: new Map(),
      containerRunning: false,
      scriptDone: false,
      restarts: 0,
      backoff: 0,
      exits: [],
      ready: false,
      readyEver: false,
      liveFails: 0,
      readyFails: 0,
      containerStartedAt: 0,
      epoch: (prev?.epoch ?? 0) + 1,
    };
    this.pods.set(key, p);
    this.note(p, 'created');
    if (p.unschedulable) return;
    const epoch = p.epoch;
    this.at(this.now + IP_DELAY_MS, () => {
      if (p.epoch !== epoch || p.phase !== 'Pending') return;
      p.phase = 'Running';
      p.ip = `10.${(this.ipNext >> 16) & 255}.${(this.ipNext >> 8) & 255}.${this.ipNext & 255}`;
      this.ipNext++;
      this.note(p, `sandbox up, ip ${p.ip}`);
      const svc = this.services.get(`${p.ns}/${p.serviceName}`);
      if (svc?.spec.publishNotReadyAddresses) this.publish(p, this.now + 1000 + Math.floor(this.rng() * 3000));
      this.at(this.now + PULL_MS, () => this.startContainer(p, epoch));
    });
  }

  private publish(p: Pod, at: number): void {
    if (p.dnsFrom !== undefined) return;
    p.dnsFrom = at;
  }

  private deletePod(p: Pod): void {
    if (p.phase === 'Terminating' || p.phase === 'Gone') return;
    this.note(p, 'deleted');
    const wasPending = p.phase === 'Pending';
    p.phase = 'Terminating';
    p.epoch++;
    if (wasPending || !p.containerRunning) {
      this.stopContainer(p, 'killed');
      this.podGone(p);
      return;
    }
    const grace = (p.template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const sup = p.sup;
    if (sup && sup.alive && grace > 0) {
      // launcher: SIGTERM -> Shutdown -> ShutdownMode::Normal: depart first, then stop services (§4).
      this.depart(sup);
      const stopIn = Math.min(grace, SERVICE_STOP_MS);
      this.at(this.now + stopIn, () => {
        this.stopContainer(p, 'terminated');
        this.podGone(p);
      });
    } else {
      this.stopContainer(p, 'killed');
      this.podGone(p);
    }
  }

  private podGone(p: Pod): void {
    if (p.phase === 'Gone') return;
    p.phase = 'Gone';
    p.ready = false;
    if (p.dnsFrom !== undefined && p.dnsTo === undefined) p.dnsTo = this.now + DNS_REMOVE_MS;
    this.note(p, 'gone');
  }

  // ---- containers -----------------------------------------------------------------

  private env(p: Pod, c: Container): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of c.env ?? []) {
      if (e.value !== undefined) out[e.name] = e.value;
      else if (e.valueFrom?.fieldRef) {
        const f = e.valueFrom.fieldRef.fieldPath;
        out[e.name] = f === 'metadata.name' ? p.name : f === 'metadata.namespace' ? p.ns : f === 'status.podIP' ? p.ip! : '';
      }
    }
    return out;
  }

  /** Volumes as host directories: ConfigMaps as one file per key (the current data), emptyDirs kept per pod. */
  private mounts(p: Pod, c: Container): Mount[] {
    const out: Mount[] = [];
    for (const vm of c.volumeMounts ?? []) {
      const v = (p.template.spec.volumes ?? []).find((x) => x.name === vm.name);
      if (!v) {
        // volumeClaimTemplates: one claim per ordinal, kept when the pod is replaced.
        if (!p.claims.includes(vm.name)) throw new Error(`${p.key}: volume ${vm.name} is not defined`);
        const dir = join(this.work, `pvc-${vm.name}-${p.name}`);
        mkdirSync(dir, { recursive: true });
        out.push({ path: vm.mountPath, hostDir: dir, readOnly: vm.readOnly ?? false });
        continue;
      }
      if (v.configMap) {
        const cm = this.configMaps.get(`${p.ns}/${v.configMap.name}`);
        const dir = join(this.work, `cm-${p.name}-${p.restarts}-${vm.name}-${this.seq++}`);
        mkdirSync(dir);
        for (const [k, val] of Object.entries(cm?.data ?? {})) writeFileSync(join(dir, k), val);
        out.push({ path: vm.mountPath, hostDir: dir, readOnly: true });
      } else if (v.emptyDir) {
        let dir = p.emptyDirs.get(vm.name);
        if (!dir) {
          dir = join(this.work, `empty-${p.name}-${p.epoch}-${vm.name}`);
          mkdirSync(dir);
          p.emptyDirs.set(vm.name, dir);
        }
        out.push({ path: vm.mountPath, hostDir: dir, readOnly: vm.readOnly ?? false });
      }
    }
    return out;
  }

  private startContainer(p: Pod, epoch: number): void {
    if (p.epoch !== epoch || p.phase !== 'Running') return;
    const c = p.template.spec.containers[0]!;
    p.containerStartedAt = this.now;
    p.containerRunning = true;
    p.liveFails = 0;
    p.readyFails = 0;
    p.scriptDone = false;
    this.scheduleProbes(p, epoch, p.restarts);
    const mounts = this.mounts(p, c);
    let args = c.args ?? [];
    let elapsed = 0;
    if (c.command) {
      const run = runScript({ command: c.command, args, env: this.env(p, c), mounts, namespace: p.ns, clock: Math.floor(this.now / 1000), dns: this.dnsRecords() });
      elapsed = run.elapsed * 1000;
      if (run.initArgs === undefined) {
        this.at(this.now + elapsed, () => this.containerExited(p, epoch, run.status, `script exited ${run.status}: ${run.stderr.trim()}`));
        return;
      }
      args = run.initArgs;
      this.note(p, `seed script: ${run.stderr.trim().split('\n').pop()}`);
    }
    const restarts = p.restarts;
    this.at(this.now + elapsed, () => {
      if (p.epoch !== epoch || p.restarts !== restarts || !p.containerRunning) return;
      p.scriptDone = true;
      this.launchSupervisor(p, c, args, mounts, epoch);
    });
  }

  private launchSupervisor(p: Pod, c: Container, args: string[], mounts: Mount[], epoch: number): void {
    const parsed = parseSupArgs(args);
    // The image runs the package habitat-cmp was told it runs (its app.kubernetes.io/component label).
    const pkg = p.template.metadata.labels['app.kubernetes.io/component'] ?? p.sts;
    const sup = new Supervisor(`m${this.memberNext++}`, p.ip!, `${pkg}.${parsed.group}`, parsed, this.now);
    p.sup = sup;
    this.byIp.set(sup.ip, sup);
    this.note(p, `supervisor ${sup.id} up`);
    const peerFile = parsed.peerWatchFile;
    const readFile = (): string | undefined => {
      if (!peerFile) return undefined;
      const m = [...mounts].sort((a, b) => b.path.length - a.path.length).find((x) => peerFile.startsWith(x.path + '/'));
      if (!m) return undefined;
      // ConfigMap volumes show the current data (kubelet syncs them).
      const f = join(m.hostDir, peerFile.slice(m.path.length + 1));
      if (m.readOnly) {
        const v = (p.template.spec.volumes ?? []).find((x) => (c.volumeMounts ?? []).some((vm) => vm.mountPath === m.path && vm.name === x.name));
        if (v?.configMap) return this.configMaps.get(`${p.ns}/${v.configMap.name}`)?.data?.[peerFile.slice(m.path.length + 1)];
      }
      return existsSync(f) ? readFileSync(f, 'utf8') : undefined;
    };
    sup.lastPeerFile = readFile();
    const restarts = p.restarts;
    const live = () => p.epoch === epoch && p.restarts === restarts && p.sup === sup && sup.alive;
    // Gateway and first main-loop tick about a second after start (§2 start-up order).
    this.at(this.now + TICK_MS, () => {
      if (!live()) return;
      sup.gatewayUp = true;
    });
    const tick = () => {
      if (!live()) return;
      const content = readFile();
      if (content !== sup.lastPeerFile) {
        sup.peerEvents = true; // file_watcher.rs polls mtime every second
        sup.lastPeerFile = content;
      }
      if (sup.needsSeeding() && sup.peerEvents && peerFile) {
        const r = readPeerFile(content, (host) => this.resolve(host, p.ns));
        if (!r.ok) {
          this.note(p, `Failed to resolve peer: ${JSON.stringify(r.line)} -> exit ${EXIT_NO_RETRY}`);
          this.containerExited(p, epoch, EXIT_NO_RETRY, 'peer file did not resolve');
          return;
        }
        sup.initial = r.addresses;
        sup.peerEvents = false;
        sup.haveMembers = false;
      }
      this.updateService(p, sup);
      this.at(this.now + TICK_MS, tick);
    };
    this.at(this.now + TICK_MS, tick);
    const round = () => {
      if (!live()) return;
      this.gossipRound(sup);
      this.at(this.now + ROUND_MS, round);
    };
    this.at(this.now + 500, round);
  }

  private stopContainer(p: Pod, how: 'killed' | 'terminated'): void {
    if (p.sup) {
      p.sup.alive = false;
      if (this.byIp.get(p.sup.ip) === p.sup) this.byIp.delete(p.sup.ip);
      if (how === 'killed') this.note(p, `supervisor ${p.sup.id} killed`);
    }
    p.containerRunning = false;
    p.ready = false;
  }

  private containerExited(p: Pod, epoch: number, code: number, why: string): void {
    if (p.epoch !== epoch || p.phase !== 'Running') return;
    this.stopContainer(p, 'killed');
    p.exits.push(code);
    this.note(p, `container exited ${code} (${why})`);
    p.backoff = p.backoff === 0 ? BACKOFF_START_MS : Math.min(p.backoff * 2, BACKOFF_MAX_MS);
    p.restarts++;
    this.at(this.now + p.backoff, () => this.startContainer(p, epoch));
  }

  // ---- probes -------------------------------------------------------------------

  private scheduleProbes(p: Pod, epoch: number, restarts: number): void {
    const c = p.template.spec.containers[0]!;
    const probe = (pr: Probe | undefined, kind: 'readiness' | 'liveness') => {
      if (!pr) return;
      const period = (pr.periodSeconds ?? 10) * 1000;
      const fail = pr.failureThreshold ?? 3;
      const run = () => {
        if (p.epoch !== epoch || p.restarts !== restarts || !p.containerRunning) return;
        const code = this.http(p, pr.httpGet.path);
        const ok = code === 200;
        if (kind === 'readiness') {
          if (ok) {
            p.readyFails = 0;
            if (!p.ready) this.note(p, 'ready');
            if (p.dnsFrom === undefined && !this.services.get(`${p.ns}/${p.serviceName}`)?.spec.publishNotReadyAddresses) this.publish(p, this.now + 1000);
            p.ready = true;
            p.readyEver = true;
          } else if (++p.readyFails >= fail) p.ready = false;
        } else if (ok) p.liveFails = 0;
        else if (++p.liveFails >= fail) {
          this.note(p, `liveness failed ${fail} times (last: ${code})`);
          this.containerExited(p, epoch, 137, 'liveness probe');
          return;
        }
        this.at(this.now + period, run);
      };
      this.at(this.now + (pr.initialDelaySeconds ?? 0) * 1000, run);
    };
    probe(c.readinessProbe, 'readiness');
    probe(c.livenessProbe, 'liveness');
  }

  /** http_gateway.rs (§6): `/` 200 once up; `/services/<pkg>/<group>/health` 200 once the service runs, 500 before, 404 for another group. */
  private http(p: Pod, path: string): number | 'refused' {
    const sup = p.sup;
    if (!sup || !sup.alive || !sup.gatewayUp) return 'refused';
    if (path === '/') return 200;
    const m = /^\/services\/([^/]+)\/([^/]+)\/health$/.exec(path);
    if (!m) return 404;
    if (`${m[1]}.${m[2]}` !== sup.group) return 404;
    return sup.serviceStarted ? 200 : 500;
  }

  // ---- DNS ------------------------------------------------------------------------

  /** Every A record, with the interval it is visible in (seconds, for the script stub). */
  dnsRecords(): DnsRecord[] {
    const out: DnsRecord[] = [];
    const sec = (ms: number) => Math.ceil(ms / 1000);
    for (const p of this.pods.values()) {
      if (p.dnsFrom === undefined || !p.ip) continue;
      const to = p.dnsTo === undefined ? 1e9 : sec(p.dnsTo);
      const from = sec(p.dnsFrom);
      if (to <= from) continue;
      for (const [key, svc] of this.services) {
        const [ns, name] = key.split('/');
        if (ns !== p.ns || svc.spec.clusterIP !== 'None' || !matches(svc.spec.selector, p.template.metadata.labels)) continue;
        if (name === p.serviceName) out.push({ fqdn: `${p.name}.${name}.${ns}.svc.${CLUSTER_DOMAIN}`, ip: p.ip, from, to });
        out.push({ fqdn: `${name}.${ns}.svc.${CLUSTER_DOMAIN}`, ip: p.ip, from, to });
      }
    }
    return out.sort((a, b) => (a.fqdn < b.fqdn ? -1 : a.fqdn > b.fqdn ? 1 : a.ip < b.ip ? -1 : 1));
  }

  /** getaddrinfo with the pod's search list (ndots:5), as the Supervisor resolves peer lines. */
  resolve(host: string, ns: string): string[] | undefined {
    const now = Math.floor(this.now / 1000);
    const records = this.dnsRecords().filter((r) => now >= r.from && now < r.to);
    const dots = host.split('.').length - 1;
    const candidates = [...(dots < 5 ? [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN].map((d) => `${host}.${d}`) : []), host];
    for (const c of candidates) {
      const ips = records.filter((r) => r.fqdn === c).map((r) => r.ip);
      if (ips.length) return ips;
    }
    return undefined;
  }

  // ---- gossip -----------------------------------------------------------------------

  private reach(ip: string): Supervisor | undefined {
    const s = this.byIp.get(ip);
    return s && s.alive ? s : undefined;
  }

  /** outbound.rs run_loop: initial members are pinged until a majority of them is known; then the latch (§2). */
  private gossipRound(s: Supervisor): void {
    if (!s.haveMembers && s.initial.length) {
      const min = Math.floor(s.initial.length / 2) + 1;
      if (s.members.size >= min) s.haveMembers = true;
      else {
        for (const ip of s.initial) {
          if (ip === s.ip) {
            s.pingedItself(this.now);
            continue;
          }
          const t = this.reach(ip);
          if (!t) continue;
          t.learn(s.self(this.now), this.now); // inbound.rs mark_sender_alive
          s.learn(t.self(this.now), this.now); // the ack
        }
      }
    }
    // Probe and exchange with every member known as Alive or Suspect (member.rs pingable_mlr).
    for (const m of [...s.members.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (m.id === s.id || (m.health !== 'Alive' && m.health !== 'Suspect')) continue;
      const t = this.reach(m.ip);
      if (t && t.id === m.id) {
        this.exchange(s, t);
      } else if (m.health === 'Alive') {
        s.members.set(m.id, { ...m, health: 'Suspect', since: this.now });
      } else if (this.now - m.since >= SUSPECT_TO_CONFIRMED_MS) {
        s.members.set(m.id, { ...m, health: 'Confirmed', since: this.now });
        this.departOneConfirmedIfNoQuorum(s);
      }
    }
    this.electionStep(s);
  }

  private exchange(a: Supervisor, b: Supervisor): void {
    const aTable = [a.self(this.now), ...a.members.values()];
    const bTable = [b.self(this.now), ...b.members.values()];
    const beforeA = a.members.size;
    const beforeB = b.members.size;
    for (const m of bTable) a.learn(m, this.now);
    for (const m of aTable) b.learn(m, this.now);
    if (a.members.size > beforeA) this.departOneConfirmedIfNoQuorum(a);
    if (b.members.size > beforeB) this.departOneConfirmedIfNoQuorum(b);
    this.shareElection(a, b);
    this.shareElection(b, a);
  }

  /** #6053 (server.rs insert_service_impl): when a member joins and quorum is lost, depart the Confirmed member with the lowest ID. */
  private departOneConfirmedIfNoQuorum(s: Supervisor): void {
    if (s.args.topology !== 'leader' || s.quorum()) return;
    const confirmed = [...s.members.values()].filter((m) => m.group === s.group && m.health === 'Confirmed').sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    if (confirmed) s.members.set(confirmed.id, { ...confirmed, health: 'Departed', since: this.now });
  }

  /** Election rumours (pull.rs insert_election): a finished election with a live leader is adopted from a peer of the group. */
  private shareElection(from: Supervisor, to: Supervisor): void {
    if (from.group !== to.group || !from.election || !to.election || from.election.status !== 'finished') return;
    const leader = from.election.leader!;
    const known = leader === to.id ? to.self(this.now) : to.members.get(leader);
    if (!known || known.health !== 'Alive') return;
    // A running election adopts a finished one; two finished ones settle on one leader (the rumour with the winning vote).
    if ((to.election.status === 'running' && to.quorum()) || (to.election.status === 'finished' && leader < to.election.leader!)) to.election = { status: 'finished', leader };
  }

  /**
   * Leader topology: an election restarts when the leader is Departed or at least
   * Confirmed (#5859, §4); it finishes only through rumours from a peer of the group
   * (a lone Supervisor never finishes, §2) and only with quorum (alive > total / 2).
   */
  private electionStep(s: Supervisor): void {
    const e = s.election;
    if (!e) return;
    if (e.status === 'finished' && e.leader !== s.id) {
      const l = s.members.get(e.leader!);
      if (!l || l.health === 'Confirmed' || l.health === 'Departed') s.election = { status: 'running' };
    }
    if (s.election!.status === 'running') {
      const peers = s.aliveGroupPeers().map((m) => this.reach(m.ip)).filter((t): t is Supervisor => t !== undefined && t.group === s.group);
      if (peers.length && s.quorum() && peers.some((t) => t.quorum())) {
        const candidates = [s.id, ...s.aliveGroupPeers().map((m) => m.id)].sort();
        s.election = { status: 'finished', leader: candidates[0]! };
      }
    }
  }

  private depart(s: Supervisor): void {
    s.departed = true;
    s.incarnation++;
    const me = s.self(this.now);
    const known = [...s.members.values()].filter((m) => m.id !== s.id && m.health === 'Alive').sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, DEPARTURE_FANOUT);
    for (const m of known) this.reach(m.ip)?.learn(me, this.now);
  }

  private updateService(p: Pod, s: Supervisor): void {
    if (s.serviceStarted) return;
    const electionOk = !s.election || s.election.status === 'finished';
    if (electionOk && s.bindsSatisfied()) {
      s.serviceStarted = true;
      this.note(p, 'service started');
    }
  }

  // ---- observations for scenarios -------------------------------------------------

  /** Supervisors of pods that are running and not being deleted. */
  liveSupervisors(): Supervisor[] {
    return [...this.pods.values()].filter((p) => p.phase === 'Running' && p.sup?.alive && p.scriptDone).map((p) => p.sup!);
  }

  scheduledPods(): Pod[] {
    return [...this.pods.values()].filter((p) => p.phase !== 'Gone' && !p.unschedulable);
  }

  podOf(s: Supervisor): Pod | undefined {
    return [...this.pods.values()].find((p) => p.sup === s);
  }

  memberView(s: Supervisor): MemberInfo[] {
    return [...s.members.values()];
  }
}
