/**
 * A Habitat Supervisor, reduced to what decides whether pods form one ring: peer
 * seeding, SWIM membership, leader elections, binds and the health gateway.
 * Every rule cites habitat-sh/habitat 2.1.78 as summarised in
 * ../shared/reference/habitat-supervisor-runtime.md (§ numbers below).
 *
 * Abstraction (documented so a reviewer can judge it): gossip runs in rounds of
 * 3.1 s per Supervisor; in a round a Supervisor exchanges its whole member table
 * and election state with every member it knows as Alive or Suspect and can reach.
 * Real SWIM probes one member per round and piggybacks rumours, so it converges
 * more slowly, but who can learn of whom is the same: a Supervisor hears of others
 * only through members it already knows, or from those that ping it.
 */

/** butterfly/src/server/timing.rs: ping 1000 ms + pingreq 2100 ms (§2). */
export const ROUND_MS = 3100;
/** Suspect for three rounds, then Confirmed (§4: "Confirmed after 3 × 3.1 s"). */
export const SUSPECT_TO_CONFIRMED_MS = 3 * ROUND_MS;
/** manager.rs main loop tick (§1). */
export const TICK_MS = 1000;
/** sup/src/manager/.. set_departed_mlw_smw_rhw: the departure rumour goes to at most 10 members (§4). */
export const DEPARTURE_FANOUT = 10;
/** core/src/os/process.rs ShutdownTimeout::default(): 8 s for a service to stop. */
export const SERVICE_SHUTDOWN_MS = 8000;
/** launcher-protocol ERR_NO_RETRY_EXCODE (§1). */
export const EXIT_NO_RETRY = 86;
export const GOSSIP_PORT = 9638;

export type Health = 'Alive' | 'Suspect' | 'Confirmed' | 'Departed';
const RANK: Record<Health, number> = { Alive: 0, Suspect: 1, Confirmed: 2, Departed: 3 };

export interface MemberInfo {
  id: string;
  ip: string;
  incarnation: number;
  health: Health;
  /** `<package>.<group>` the member runs. */
  group: string;
  since: number;
}

export interface SupArgs {
  group: string;
  topology: 'standalone' | 'leader';
  peerWatchFile?: string;
  binds: { name: string; group: string }[];
  bindingMode: 'strict' | 'relaxed';
}

/** The container args, as `hab sup run <ident> ARGS` parses them (init.sh.hbs, §7, §12). */
export function parseSupArgs(args: readonly string[]): SupArgs {
  const out: SupArgs = { group: 'default', topology: 'standalone', binds: [], bindingMode: 'strict' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = (): string => {
      const x = args[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--group') out.group = v();
    else if (a === '--topology') {
      const t = v();
      if (t !== 'standalone' && t !== 'leader') throw new Error(`unknown topology ${t}`);
      out.topology = t;
    } else if (a === '--peer-watch-file') out.peerWatchFile = v();
    else if (a === '--bind') {
      // core/src/service.rs ServiceBind::from_str: exactly one ":", service.group (§9).
      const b = v();
      const m = /^([^:]+):([^#@.:]+)\.([^#@.:]+)$/.exec(b);
      if (!m) throw new Error(`invalid bind ${b}`);
      out.binds.push({ name: m[1]!, group: `${m[2]}.${m[3]}` });
    } else if (a === '--binding-mode') {
      const m = v();
      if (m !== 'strict' && m !== 'relaxed') throw new Error(`unknown binding mode ${m}`);
      out.bindingMode = m;
    } else if (a === '--channel') v();
    else throw new Error(`the model does not know the Supervisor flag ${a}`);
  }
  return out;
}

export type Resolve = (host: string) => string[] | undefined;

/**
 * peer_watcher.rs get_members (§1): a missing file is no members; each line gets
 * ":9638" unless it has a ":"; the first address of each resolved line is used;
 * the first line that does not resolve (an empty line becomes ":9638") fails the
 * whole read, which the main loop turns into exit 86.
 */
export function readPeerFile(content: string | undefined, resolve: Resolve): { ok: true; addresses: string[] } | { ok: false; line: string } {
  if (content === undefined) return { ok: true, addresses: [] };
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // BufRead::lines() yields no empty last line
  const addresses: string[] = [];
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const withPort = line.includes(':') ? line : `${line}:${GOSSIP_PORT}`;
    const m = /^(.*):(\d+)$/.exec(withPort);
    if (!m || m[1] === '' || /[\s\[\]]/.test(m[1]!)) return { ok: false, line };
    const host = m[1]!;
    const ips = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? [host] : resolve(host);
    if (!ips || ips.length === 0) return { ok: false, line };
    addresses.push(ips[0]!);
  }
  return { ok: true, addresses };
}

export interface ElectionState {
  status: 'running' | 'finished';
  leader?: string;
}

export class Supervisor {
  readonly members = new Map<string, MemberInfo>();
  incarnation = 0;
  alive = true;
  /** Addresses from the peer file (outbound.rs initial members). */
  initial: string[] = [];
  haveMembers = false;
  /** peer_watcher.rs: have_events starts true from 1.6.1041 (§1). */
  peerEvents = true;
  lastPeerFile: string | undefined;
  election?: ElectionState;
  serviceStarted = false;
  gatewayUp = false;
  departed = false;
  nextRound = 0;

  constructor(
    readonly id: string,
    readonly ip: string,
    /** `<package>.<group>` */
    readonly group: string,
    readonly args: SupArgs,
    readonly startedAt: number,
  ) {
    if (args.topology === 'leader') this.election = { status: 'running' };
  }

  self(now: number): MemberInfo {
    return { id: this.id, ip: this.ip, incarnation: this.incarnation, health: this.departed ? 'Departed' : 'Alive', group: this.group, since: now };
  }

  /** server.rs need_peer_seeding_mlr: the member list is empty (§1). */
  needsSeeding(): boolean {
    return this.members.size === 0;
  }

  /** Insert or update what we know of `m`; newer incarnation wins, else worse health (SWIM). */
  learn(m: MemberInfo, now: number): void {
    if (m.id === this.id) return;
    const cur = this.members.get(m.id);
    if (!cur) {
      this.members.set(m.id, { ...m, since: now });
      return;
    }
    if (cur.health === 'Departed') return;
    if (m.incarnation > cur.incarnation || (m.incarnation === cur.incarnation && RANK[m.health] > RANK[cur.health])) {
      this.members.set(m.id, { ...m, since: m.health === cur.health ? cur.since : now });
    }
  }

  /** inbound.rs process_ping + mark_sender_alive: a ping to its own address inserts itself (§3). */
  pingedItself(now: number): void {
    if (!this.members.has(this.id)) this.members.set(this.id, { ...this.self(now), since: now });
  }

  /** Group members this Supervisor counts for quorum: Alive, Suspect, Confirmed, and itself (server.rs check_quorum_mlr, §4). */
  quorum(): boolean {
    let total = 1;
    let alive = 1;
    for (const m of this.members.values()) {
      if (m.id === this.id || m.group !== this.group) continue;
      if (m.health === 'Departed') continue;
      total++;
      if (m.health === 'Alive') alive++;
    }
    return alive > total / 2;
  }

  aliveGroupPeers(): MemberInfo[] {
    return [...this.members.values()].filter((m) => m.id !== this.id && m.group === this.group && m.health === 'Alive');
  }

  /** A bound group is present when some member of this ring runs it and is alive (manager/service.rs validate_binds, §9). */
  bindsSatisfied(): boolean {
    if (this.args.bindingMode === 'relaxed') return true;
    return this.args.binds.every((b) => b.group === this.group || [...this.members.values()].some((m) => m.group === b.group && m.health === 'Alive' && m.id !== this.id));
  }
}
