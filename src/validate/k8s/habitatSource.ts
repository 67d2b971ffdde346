import type { RawApp } from '../../model/raw';
import type { AppModel } from '../../model/types';
import type { K8sObject } from '../../render/renderApp';
import { DATA_VOLUME } from '../../render/statefulSet';
import { RESERVED_LABELS } from '../checkMetadata';
import type { FieldPath, Finding } from './finding';
import { asList, asObj, asStr } from './untyped';

/** A path in (merged) habitat.yaml, and whether the key or the value there is at fault. */
export interface HabitatSource {
  path: (string | number)[];
  part: 'key' | 'value';
  /** Replaces the finding's hint when the value reached the field indirectly. */
  hint?: string;
}

/** Pod template fields habitat-cmp copies 1:1 from services.W.pod (see render/statefulSet.ts). */
const POD_FIELDS = new Set([
  'nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints', 'serviceAccountName', 'automountServiceAccountToken', 'securityContext',
  'imagePullSecrets', 'priorityClassName', 'runtimeClassName', 'schedulerName', 'terminationGracePeriodSeconds', 'dnsPolicy', 'dnsConfig', 'hostAliases',
]);
/** The Supervisor's own container ports come first; app ports follow in habitat.yaml order. */
const SUPERVISOR_PORTS = 3;

const has = (o: unknown, k: string): boolean => Object.prototype.hasOwnProperty.call(asObj(o) ?? {}, k);

/** The rendered field at `path`, for looking up which env var or mount a finding is about. */
function fieldAt(obj: K8sObject, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const seg of path) cur = typeof seg === 'number' ? asList(cur)[seg] : asObj(cur)?.[seg];
  return cur;
}

/**
 * Maps a finding on a rendered object back to the habitat.yaml value that
 * produced the field. Anything without a more precise origin falls back to the
 * workload's key (or the app's metadata).
 */
export function habitatSourceOf(obj: K8sObject, f: Finding, app: AppModel, raw: RawApp): HabitatSource {
  const labels = asObj(asObj(obj.metadata)?.labels) ?? {};
  const isConfig = obj.kind === 'Secret' || obj.kind === 'SealedSecret';
  const w = isConfig ? app.workloads.find((x) => obj.metadata.name === `${x.name}-config`) : app.workloads.find((x) => x.name === labels['app.kubernetes.io/name']);
  const rs = w ? raw.services[w.name] : undefined;
  const part: HabitatSource['part'] = f.key ? 'key' : 'value';
  const appSource: HabitatSource = raw.metadata?.name !== undefined ? { path: ['metadata', 'name'], part: 'value' } : { path: [], part: 'value' };
  const whole: HabitatSource = w ? { path: ['services', w.name], part: 'key' } : appSource;
  const svc = (rest: (string | number)[], p: HabitatSource['part'] = part): HabitatSource => ({ path: ['services', w!.name, ...rest], part: p });
  const p = f.path;

  const labelSource = (key: string): HabitatSource => {
    if (has(app.labels, key)) return { path: ['metadata', 'labels', key], part };
    if (!w || !rs) return appSource;
    const hint = `the workload's objects are labelled ${key} with it; label values start and end with a letter or digit, and are at most 63 characters`;
    if (key === 'app.kubernetes.io/component') return rs.service !== undefined ? { ...svc(['service'], 'value'), hint } : whole;
    if (key === 'habitat.sh/service-group') return rs.group !== undefined ? { ...svc(['group'], 'value'), hint } : rs.service !== undefined ? { ...svc(['service'], 'value'), hint } : whole;
    if (key === 'habitat.sh/topology' && rs.topology !== undefined) return svc(['topology'], 'value');
    return whole;
  };

  if (p[0] === 'metadata') {
    if (p[1] === 'name') return whole;
    if (p[1] === 'namespace') return { path: ['metadata', 'namespace'], part: 'value' };
    if (p[1] === 'labels' && typeof p[2] === 'string') return labelSource(p[2]);
    return whole;
  }
  if (!w || !rs) {
    if (obj.kind === 'SealedSecret') return { path: ['ring', 'sealedKey'], part: 'value' };
    if (obj.kind === 'ConfigMap') return { path: ['services'], part: 'key' };
    return appSource;
  }
  const configSource = (): HabitatSource => (rs.config ? svc(['config'], 'key') : rs.configFile !== undefined ? svc(['configFile'], 'value') : whole);

  if (isConfig) {
    if (p[1] === 'encryptedData' && typeof p[2] === 'string') return svc(['secrets', p[2]], 'key');
    return configSource();
  }
  if (obj.kind === 'Service') {
    const i = p[2];
    if (p[1] !== 'ports' || typeof i !== 'number') return whole;
    const port = rs.ports?.[i];
    const field = p[3];
    if (field === 'targetPort') return svc(['ports', i, port?.targetPort !== undefined ? 'targetPort' : 'port']);
    if (field === 'port' || field === 'name' || field === 'protocol') return svc(['ports', i, field]);
    return svc(['ports', i]);
  }
  if (obj.kind !== 'StatefulSet') return whole;

  const [, a, b, c, d, e, ...rest] = p;
  if (a === 'replicas') return svc(['count']);
  if (a === 'volumeClaimTemplates') {
    if (c !== 'spec') return svc(['persistence']);
    if (d === 'storageClassName') return svc(['persistence', 'storageClassName']);
    if (d === 'resources') return svc(['persistence', 'size']);
    if (d === 'accessModes') return svc(['persistence', 'accessModes', ...(typeof e === 'number' ? [e] : [])]);
    return svc(['persistence']);
  }
  if (a !== 'template') return whole;
  if (b === 'metadata') {
    // User pod labels come first; app labels and habitat-cmp's own labels are written over them.
    if (c === 'labels' && typeof d === 'string') return has(w.pod.labels, d) && !has(app.labels, d) && !RESERVED_LABELS.has(d) ? svc(['pod', 'labels', d]) : labelSource(d);
    if (c === 'annotations') return typeof d === 'string' && has(w.pod.annotations, d) ? svc(['pod', 'annotations', d]) : has(w.pod, 'annotations') ? svc(['pod', 'annotations'], 'key') : whole;
    return whole;
  }
  if (b !== 'spec' || typeof c !== 'string') return whole;
  if (POD_FIELDS.has(c)) return svc(['pod', c, ...[d, e, ...rest].filter((x): x is string | number => x !== undefined)]);
  if (c !== 'containers') return whole;
  const container = p.slice(0, 5);
  const [field, i, leaf] = [e, rest[0], rest[1]];
  if (field === 'image') return svc(['image']);
  if (field === 'resources') return rest.length ? svc(['resources', ...rest.filter((x): x is string | number => x !== undefined)]) : svc(['resources'], 'key');
  if (field === 'env' && typeof i === 'number') {
    const name = asStr(asObj(fieldAt(obj, [...container, 'env', i]))?.name) ?? '';
    if (w.env.some(([k]) => k === name)) return svc(['env', name], leaf === 'name' || f.key ? 'key' : 'value');
    return name.startsWith('HAB_BIND_') && rs.binds ? svc(['binds'], 'key') : whole;
  }
  if (field === 'volumeMounts' && typeof i === 'number') {
    const mount = asStr(asObj(fieldAt(obj, [...container, 'volumeMounts', i]))?.name);
    if (mount === DATA_VOLUME) return svc(['persistence', 'mountPath']);
    return rs.service !== undefined ? svc(['service'], 'value') : whole;
  }
  if (field === 'ports' && typeof i === 'number' && i >= SUPERVISOR_PORTS) {
    const j = i - SUPERVISOR_PORTS;
    if (leaf === 'containerPort') return svc(['ports', j, rs.ports?.[j]?.targetPort !== undefined ? 'targetPort' : 'port']);
    return svc(['ports', j, ...(leaf === 'name' || leaf === 'protocol' ? [leaf] : [])]);
  }
  return whole;
}
