import type { AppModel } from '../model/types';
import type { K8sObject } from '../render/renderApp';
import { changedPaths } from './changedPaths';
import { configKeyChanges } from './configKeys';
import type { ObjectPair } from './objectDiff';
import type { ImpactItem, ObjectRef } from './types';
import { refText } from './types';

/**
 * What a reviewer must know before the sync: derived from the rendered objects
 * (what Argo CD applies), with the models only to name user.toml keys. Each rule
 * cites the upstream behaviour it models (see
 * shared/reference/argocd-sealed-secrets-day2.md).
 */
type Obj = K8sObject & Record<string, unknown>;
type Spec = Record<string, unknown>;
type Models = { before?: AppModel; after?: AppModel };

const spec = (o: K8sObject | undefined): Spec => ((o as Obj | undefined)?.spec ?? {}) as Spec;
const labels = (o: K8sObject | undefined): Record<string, string> => ((o?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {});
const replicas = (o: K8sObject | undefined): number => (typeof spec(o).replicas === 'number' ? (spec(o).replicas as number) : o ? 1 : 0);
const isLeader = (o: K8sObject | undefined): boolean => labels(o)['habitat.sh/topology'] === 'leader';
const nsFlag = (r: ObjectRef): string => (r.namespace !== undefined ? `-n ${r.namespace} ` : '');
const item = (i: Omit<ImpactItem, 'details' | 'commands'> & Partial<Pick<ImpactItem, 'details' | 'commands'>>): ImpactItem => ({ details: [], commands: [], ...i });
const list = (xs: readonly string[], max = 12): string => (xs.length > max ? `${xs.slice(0, max).join(', ')} and ${xs.length - max} more` : xs.join(', '));
/** Quorum is a majority of the group; what remains is how many members may fail. */
export const faultTolerance = (n: number): number => (n <= 0 ? 0 : Math.floor((n - 1) / 2));

/**
 * ValidateStatefulSetUpdate (kubernetes pkg/apis/apps/validation/validation.go)
 * lets an update change only these spec fields; anything else is refused with
 * "updates to statefulset spec for fields other than ... are forbidden".
 * revisionHistoryLimit became mutable in 1.32-1.34 (exact version not known):
 * counted as immutable, which is the safe side (habitat-cmp never renders it).
 */
const MUTABLE_SPEC = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

function immutableChanges(b: K8sObject, a: K8sObject): string[] {
  const strip = (s: Spec) => Object.fromEntries(Object.entries(s).filter(([k]) => !MUTABLE_SPEC.has(k)));
  return [...new Set(changedPaths(strip(spec(b)), strip(spec(a))).map((p) => p.split(/[.[]/)[0]!))];
}

type Vct = { metadata?: { name?: string }; spec?: { resources?: { requests?: { storage?: string } }; storageClassName?: string; accessModes?: string[] } };
const vcts = (o: K8sObject): Vct[] => (spec(o).volumeClaimTemplates ?? []) as Vct[];

/** Binary-suffixed or decimal quantities to bytes, for "bigger or smaller"; undefined when unsure. */
function quantityBytes(q: string | undefined): number | undefined {
  const m = q === undefined ? null : /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(q);
  if (!m) return undefined;
  const pow: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  return Number(m[1]) * (m[2] ? pow[m[2]]! : 1);
}

function immutableItem(p: ObjectPair, fields: string[]): ImpactItem {
  const b = p.before!;
  const a = p.after!;
  const w = p.ref.name;
  const n = nsFlag(p.ref);
  const details: string[] = [];
  const commands: string[] = [];
  const sb = spec(b);
  const sa = spec(a);
  for (const f of fields) {
    if (f === 'serviceName' || f === 'podManagementPolicy') details.push(`${f}: ${JSON.stringify(sb[f])} → ${JSON.stringify(sa[f])}`);
    else if (f === 'selector') details.push(`selector: ${JSON.stringify(sb.selector)} → ${JSON.stringify(sa.selector)}; the new selector must also match the running pods' labels, or they are left behind`);
    else if (f !== 'volumeClaimTemplates') details.push(`${f} changed`);
  }
  if (fields.includes('volumeClaimTemplates')) {
    const bv = new Map(vcts(b).map((v) => [v.metadata?.name ?? '', v]));
    const av = new Map(vcts(a).map((v) => [v.metadata?.name ?? '', v]));
    for (const name of [...new Set([...bv.keys(), ...av.keys()])].sort()) {
      const x = bv.get(name);
      const y = av.get(name);
      if (!x) details.push(`volumeClaimTemplates: "${name}" added (new pods get a new PVC; data in the old ones is not moved)`);
      else if (!y) details.push(`volumeClaimTemplates: "${name}" removed (the PVCs ${name}-${w}-N stay, unused)`);
      else {
        const sizeB = x.spec?.resources?.requests?.storage;
        const sizeA = y.spec?.resources?.requests?.storage;
        if (sizeB !== sizeA) {
          const bb = quantityBytes(sizeB);
          const ab = quantityBytes(sizeA);
          if (bb !== undefined && ab !== undefined && ab < bb) details.push(`volumeClaimTemplates "${name}": size ${sizeB} → ${sizeA}: a PersistentVolumeClaim cannot shrink; existing PVCs keep ${sizeB}, only new ordinals get ${sizeA}`);
          else {
            details.push(`volumeClaimTemplates "${name}": size ${sizeB} → ${sizeA}: resize each existing PVC first (needs allowVolumeExpansion: true on its StorageClass)`);
            const cls = y.spec?.storageClassName ?? x.spec?.storageClassName;
            commands.push(`# the StorageClass must allow expansion (prints "true"):`);
            commands.push(cls !== undefined ? `kubectl get storageclass ${cls} -o jsonpath='{.allowVolumeExpansion}'` : `kubectl get storageclass "$(kubectl ${n}get pvc ${name}-${w}-0 -o jsonpath='{.spec.storageClassName}')" -o jsonpath='{.allowVolumeExpansion}'`);
            for (let i = 0; i < Math.max(replicas(b), 1); i++) commands.push(`kubectl ${n}patch pvc ${name}-${w}-${i} -p '{"spec":{"resources":{"requests":{"storage":"${sizeA}"}}}}'`);
          }
        }
        if (x.spec?.storageClassName !== y.spec?.storageClassName) {
          details.push(`volumeClaimTemplates "${name}": storageClassName ${JSON.stringify(x.spec?.storageClassName ?? null)} → ${JSON.stringify(y.spec?.storageClassName ?? null)}: existing PVCs keep their class; only new ordinals get the new one (moving data means new PVCs)`);
        }
        if (JSON.stringify(x.spec?.accessModes) !== JSON.stringify(y.spec?.accessModes)) details.push(`volumeClaimTemplates "${name}": accessModes ${JSON.stringify(x.spec?.accessModes)} → ${JSON.stringify(y.spec?.accessModes)} (existing PVCs keep theirs)`);
        const rest = changedPaths({ ...x, spec: { ...x.spec, resources: undefined, storageClassName: undefined, accessModes: undefined } }, { ...y, spec: { ...y.spec, resources: undefined, storageClassName: undefined, accessModes: undefined } });
        if (rest.length) details.push(`volumeClaimTemplates "${name}": ${list(rest)} changed`);
      }
    }
  }
  details.push(`Argo CD's dry run does not catch this: the objects before it in the wave are applied, the StatefulSet patch is refused ("updates to statefulset spec for fields other than ... are forbidden"), and auto-sync stops retrying this revision. Replace=true does not help; Force=true,Replace=true deletes the pods.`);
  commands.push(`kubectl ${n}delete statefulset ${w} --cascade=orphan`);
  commands.push(`# then sync the Application: the new StatefulSet adopts the running pods (and their PVCs) and rolls them`);
  return item({ kind: 'sync-fails', severity: 'error', object: p.ref, summary: `StatefulSet ${w}: immutable field${fields.length > 1 ? 's' : ''} ${fields.join(', ')} change${fields.length > 1 ? '' : 's'}; the sync will fail until the StatefulSet is recreated`, details, commands });
}

type Container = { name: string; image?: string; env?: { name: string }[] };
const containers = (o: K8sObject | undefined): Container[] => (((spec(o).template as Spec | undefined)?.spec as Spec | undefined)?.containers ?? []) as Container[];

function rollReasons(b: K8sObject, a: K8sObject, configKeys: string[]): string[] {
  const tb = spec(b).template;
  const ta = spec(a).template;
  const reasons = new Set<string>();
  const env = new Map<string, string>();
  for (const p of changedPaths(tb, ta)) {
    let m: RegExpExecArray | null;
    if (p.startsWith('metadata.annotations["habitat.sh/config-hash"]')) reasons.add(`user.toml changed (configUpdate: restart)${configKeys.length ? `: ${list(configKeys)}` : ''}`);
    else if (p.startsWith('metadata.annotations["habitat.sh/ring-key-hash"]')) reasons.add('ring key rotated');
    else if (p.startsWith('metadata.labels')) reasons.add('pod labels');
    else if (p.startsWith('metadata.annotations')) reasons.add('pod annotations');
    else if ((m = /^spec\.(containers|initContainers)\[([^\]]+)\](?:\.([A-Za-z]+))?/.exec(p))) {
      const [, group, c, field] = m;
      const what = group === 'initContainers' ? `init container ${c}` : `container ${c}`;
      if (field === undefined) reasons.add(`${what} added or removed`);
      else if (field === 'image') {
        const img = (o: K8sObject) => ((((spec(o).template as Spec).spec as Spec)[group!] ?? []) as Container[]).find((x) => x.name === c)?.image;
        reasons.add(`image ${img(b)} → ${img(a)}`);
      } else if (field === 'env') {
        const name = /\.env\[([^\]]+)\]/.exec(p)?.[1] ?? '';
        const had = (o: K8sObject) => containers(o).find((x) => x.name === c)?.env?.some((v) => v.name === name) ?? false;
        if (name) env.set(name, !had(b) ? 'added' : !had(a) ? 'removed' : 'changed');
        else reasons.add('env');
      } else if (field === 'resources') reasons.add('resources');
      else if (field === 'command') reasons.add('container command (the ring seed script)');
      else if (field === 'args') reasons.add('Supervisor arguments (topology, group, channel, binds)');
      else if (/Probe$/.test(field)) reasons.add('probes');
      else if (field === 'volumeMounts') reasons.add('volume mounts');
      else if (field === 'ports') reasons.add('container ports');
      else reasons.add(`${what}: ${field}`);
    } else if (p.startsWith('spec.volumes')) reasons.add('volumes');
    else if ((m = /^spec\.([A-Za-z]+)/.exec(p))) reasons.add(`pod ${m[1]}`);
    else reasons.add(p);
  }
  if (env.size) reasons.add(`env ${list([...env].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => `${k} (${v})`))}`);
  return [...reasons];
}

type Refs = { volumes: Set<string>; env: Set<string>; configMaps: Set<string> };

/** Which Secrets and ConfigMaps a pod template reads, and how (a volume is refreshed live; env only at start). */
function podRefs(o: K8sObject): Refs {
  const refs: Refs = { volumes: new Set(), env: new Set(), configMaps: new Set() };
  const ps = ((spec(o).template as Spec | undefined)?.spec ?? {}) as { volumes?: Record<string, Record<string, string>>[]; containers?: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] };
  for (const v of ps.volumes ?? []) {
    if (v.secret?.secretName) refs.volumes.add(v.secret.secretName);
    if (v.configMap?.name) refs.configMaps.add(v.configMap.name);
  }
  for (const c of [...(ps.containers ?? []), ...(ps.initContainers ?? [])]) {
    for (const e of (c.env ?? []) as { valueFrom?: { secretKeyRef?: { name?: string } } }[]) if (e.valueFrom?.secretKeyRef?.name) refs.env.add(e.valueFrom.secretKeyRef.name);
    for (const e of (c.envFrom ?? []) as { secretRef?: { name?: string } }[]) if (e.secretRef?.name) refs.env.add(e.secretRef.name);
  }
  return refs;
}

const scopeOf = (o: K8sObject): 'strict' | 'namespace-wide' | 'cluster-wide' => {
  const ann = (o.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  return ann['sealedsecrets.bitnami.com/cluster-wide'] === 'true' ? 'cluster-wide' : ann['sealedsecrets.bitnami.com/namespace-wide'] === 'true' ? 'namespace-wide' : 'strict';
};
const encrypted = (o: K8sObject): Record<string, string> => ((spec(o).encryptedData ?? {}) as Record<string, string>);

export function assessImpact(pairs: readonly ObjectPair[], models: Models): ImpactItem[] {
  const out: ImpactItem[] = [];
  const workload = (m: AppModel | undefined, name: string) => m?.workloads.find((w) => w.name === name);
  const rolled = new Set<string>();

  // Namespace: a different namespace is a different object to Argo CD.
  const nss = (side: 'before' | 'after') => [...new Set(pairs.flatMap((p) => (p[side] ? [p[side]!.metadata.namespace ?? ''] : [])))].sort();
  const nb = nss('before');
  const na = nss('after');
  if (nb.length && na.length && JSON.stringify(nb) !== JSON.stringify(na)) {
    const show = (xs: string[]) => xs.map((x) => x || '(none: the Application destination)').join(', ');
    out.push(item({
      kind: 'namespace', severity: 'warning',
      summary: `namespace ${show(nb)} → ${show(na)}: every object is created anew in the new namespace and the old ones are pruned`,
      details: [
        'PersistentVolumeClaims are not moved: the new pods start with empty volumes, the old PVCs stay in the old namespace',
        'sealed values under strict or namespace-wide scope were sealed for the old namespace: re-seal them for the new one (habitat-cmp seal, ring-key)',
        'the Application\'s destination namespace must change with it',
      ],
    }));
  }

  for (const p of pairs) {
    if (p.ref.kind !== 'StatefulSet') continue;
    const w = p.ref.name;
    if (p.status === 'added') {
      out.push(item({ kind: 'creates', severity: 'info', object: p.ref, summary: `StatefulSet ${w}: new workload, ${replicas(p.after)} pod${replicas(p.after) === 1 ? '' : 's'} start` }));
      continue;
    }
    if (p.status === 'removed') continue;
    if (p.status !== 'changed') continue;
    const b = p.before!;
    const a = p.after!;
    const imm = immutableChanges(b, a);
    if (imm.length) out.push(immutableItem(p, imm));
    if (changedPaths(spec(b).template, spec(a).template).length) {
      const keys = configKeyChanges(workload(models.before, w), workload(models.after, w));
      const reasons = rollReasons(b, a, keys);
      if (replicas(a) === 0) out.push(item({ kind: 'rolls', severity: 'info', object: p.ref, summary: `StatefulSet ${w}: pod template changes, but no pod runs (replicas 0)`, details: reasons }));
      else {
        rolled.add(w);
        const leaderNote = isLeader(a) ? ['a leader group rolls one pod at a time from the highest ordinal; the group re-elects if the leader is replaced'] : [];
        out.push(item({ kind: 'rolls', severity: 'info', object: p.ref, summary: `pods of ${w} roll (${replicas(a)}): ${list(reasons, 6)}`, details: [...(reasons.length > 6 ? reasons : []), ...leaderNote] }));
      }
    }
    const rb = replicas(b);
    const ra = replicas(a);
    if (rb !== ra && !isLeader(a)) {
      out.push(item({ kind: 'scales', severity: 'info', object: p.ref, summary: `StatefulSet ${w}: ${rb} → ${ra} pods`, details: ra < rb ? [`pods ${w}-${ra}..${w}-${rb - 1} are removed, highest first; their PVCs stay`] : [] }));
    }
    if (isLeader(b) !== isLeader(a)) {
      out.push(item({ kind: 'leader', severity: 'warning', object: p.ref, summary: `StatefulSet ${w}: topology ${isLeader(b) ? 'leader' : 'standalone'} → ${isLeader(a) ? 'leader' : 'standalone'}`, details: ['every Supervisor of the group restarts with the new --topology; a leader group elects once a majority runs it'] }));
    }
  }

  // Leader groups: Habitat elects with a majority of the group (quorum n/2+1).
  for (const p of pairs) {
    if (p.ref.kind !== 'StatefulSet' || !isLeader(p.after)) continue;
    const n = replicas(p.after);
    const before = p.before && isLeader(p.before) ? replicas(p.before) : undefined;
    if (before === n) continue;
    const w = p.ref.name;
    const from = before === undefined ? '' : `${before} → `;
    if (n > 0 && n < 3) {
      out.push(item({ kind: 'leader', severity: 'error', object: p.ref, summary: `leader group ${w}: ${from}${n} members; a leader group needs 0 or at least 3`, details: ['with fewer than 3 members no majority survives a failure and elections cannot complete'] }));
    } else if (n > 0 && n % 2 === 0) {
      out.push(item({ kind: 'leader', severity: 'warning', object: p.ref, summary: `leader group ${w}: ${from}${n} members, an even count: quorum is ${n / 2 + 1}, it tolerates ${faultTolerance(n)} failure${faultTolerance(n) === 1 ? '' : 's'}, as ${n - 1} members do`, details: [`use ${n - 1} or ${n + 1}`] }));
    }
    if (before !== undefined && before > 0 && faultTolerance(n) < faultTolerance(before)) {
      out.push(item({ kind: 'leader', severity: 'warning', object: p.ref, summary: `leader group ${w}: ${before} → ${n} members lowers fault tolerance from ${faultTolerance(before)} to ${faultTolerance(n)} failure${faultTolerance(n) === 1 ? '' : 's'}`, details: n === 0 ? ['the group stops'] : [`pods ${w}-${n}..${w}-${before - 1} leave; if the leader is among them the rest re-elect`] }));
    }
  }

  // Secrets and sealed values: the data is never shown, only which keys changed and who reads them.
  const stsAfter = pairs.filter((p) => p.ref.kind === 'StatefulSet' && p.after).map((p) => [p.ref.name, p.after!, podRefs(p.after!)] as const);
  for (const p of pairs) {
    const isSecret = p.ref.kind === 'Secret' || p.ref.kind === 'SealedSecret';
    if (p.ref.kind === 'ConfigMap' && p.status === 'changed') {
      const readers = stsAfter.filter(([, , r]) => r.configMaps.has(p.ref.name)).map(([n]) => n);
      out.push(item({ kind: 'reloads', severity: 'info', object: p.ref, summary: `ConfigMap ${p.ref.name}: updated in place, no pod restarts${readers.length ? ` (read by ${list(readers)} through a volume)` : ''}` }));
    }
    if (!isSecret || p.status !== 'changed') continue;
    const changed = p.entry.secrets.filter((s) => s.status !== 'unchanged');
    if (!changed.length) continue;
    const sealed = changed.filter((s) => s.field.startsWith('spec.encryptedData.'));
    if (sealed.length) {
      const ringKey = sealed.some((s) => s.field === 'spec.encryptedData.ring-key');
      out.push(item({
        kind: 'sealed', severity: 'info', object: p.ref,
        summary: ringKey ? `ring key changed (SealedSecret ${p.ref.name}): every pod of the app rolls to it` : `SealedSecret ${p.ref.name}: sealed value${sealed.length > 1 ? 's' : ''} ${list(sealed.map((s) => `${s.field.slice('spec.encryptedData.'.length)} (${s.status})`))}`,
        details: ringKey
          ? ['pods that run the old key and pods that run the new one cannot gossip: the ring is split until the roll completes', 'the plaintext is not compared: sealing is randomised, so a re-sealed value always differs']
          : ['the plaintext is not compared: sealing is randomised, so a re-sealed value always differs'],
      }));
    }
    for (const [w, , refs] of stsAfter) {
      if (rolled.has(w)) continue;
      if (refs.volumes.has(p.ref.name)) {
        const keys = configKeyChanges(workload(models.before, w), workload(models.after, w));
        out.push(item({ kind: 'reloads', severity: 'info', object: p.ref, summary: `${w}: ${p.ref.name} changes reach running pods without a restart (configUpdate: reload)${keys.length ? `: ${list(keys)}` : ''}`, details: ['the kubelet refreshes the mounted Secret (about a minute); the Supervisor applies user.toml when it changes'] }));
      } else if (refs.env.has(p.ref.name)) {
        out.push(item({ kind: 'restart-needed', severity: 'warning', object: p.ref, summary: `${w}: reads ${p.ref.name} through env, which is resolved only at start: running pods keep the old value`, commands: [`kubectl ${nsFlag(p.ref)}rollout restart statefulset ${w}`] }));
      }
    }
  }

  // Plain Secret <-> SealedSecret under one name; sealed values moved to a name or namespace they were not sealed for.
  const removed = pairs.filter((p) => p.status === 'removed');
  const added = pairs.filter((p) => p.status === 'added');
  for (const r of removed) {
    const other = added.find((x) => x.ref.name === r.ref.name && x.ref.namespace === r.ref.namespace && ((r.ref.kind === 'Secret' && x.ref.kind === 'SealedSecret') || (r.ref.kind === 'SealedSecret' && x.ref.kind === 'Secret')));
    if (!other) continue;
    if (r.ref.kind === 'Secret') {
      out.push(item({
        kind: 'switch', severity: 'warning', object: other.ref,
        summary: `${r.ref.name}: plain Secret → SealedSecret`,
        details: [
          'with pruning on, Argo CD deletes the plain Secret first (prune runs before apply unless PruneLast=true) and the controller creates it again once it has decrypted the SealedSecret; pods starting meanwhile wait for it',
          'with pruning off, the controller takes the live Secret over because habitat-cmp renders plain config Secrets with sealedsecrets.bitnami.com/managed: "true" (the Secret must have been synced with that annotation first)',
        ],
      }));
    } else {
      out.push(item({
        kind: 'switch', severity: 'warning', object: other.ref,
        summary: `${r.ref.name}: SealedSecret → plain Secret`,
        details: ['pruning the SealedSecret garbage-collects the Secret it owns, possibly after Argo CD applied the plain one: if the Secret is then missing, sync again'],
      }));
    }
  }
  for (const x of added.filter((p) => p.ref.kind === 'SealedSecret')) {
    const values = new Set(Object.values(encrypted(x.after!)));
    const scope = scopeOf(x.after!);
    if (scope === 'cluster-wide') continue;
    for (const p of pairs) {
      if (!p.before || p.ref.kind !== 'SealedSecret' || p === x) continue;
      if (!Object.values(encrypted(p.before)).some((v) => values.has(v))) continue;
      const moved = scope === 'strict' ? p.ref.namespace !== x.ref.namespace || p.ref.name !== x.ref.name : p.ref.namespace !== x.ref.namespace;
      if (!moved) continue;
      out.push(item({
        kind: 'sealed', severity: 'error', object: x.ref,
        summary: `${refText(x.ref)} cannot be decrypted: its values were sealed for ${refText(p.ref)} (${scope} scope)`,
        details: ['the sync succeeds but the controller reports "no key could decrypt secret" and the Secret is never created: pods wait for it', 're-seal every value of it for the new name and namespace'],
      }));
      break;
    }
  }

  for (const p of removed) {
    const isSts = p.ref.kind === 'StatefulSet';
    const claims = isSts ? vcts(p.before!).map((v) => `${v.metadata?.name}-${p.ref.name}-N`) : [];
    out.push(item({
      kind: 'prunes', severity: isSts ? 'warning' : 'info', object: p.ref,
      summary: `Argo CD prunes ${refText(p.ref)}${isSts ? `: its ${replicas(p.before)} pod${replicas(p.before) === 1 ? ' is' : 's are'} deleted` : ''} (with pruning off it stays, marked "requires pruning")`,
      details: claims.length ? [`its PersistentVolumeClaims (${claims.join(', ')}) stay: delete them by hand when the data is no longer needed`] : [],
    }));
  }

  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.map((x, i) => [x, i] as const).sort(([x, i], [y, j]) => rank[x.severity] - rank[y.severity] || i - j).map(([x]) => x);
}
