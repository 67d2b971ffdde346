import { isPlainObject } from '../model/deepMerge';
import { error, warning, type Diagnostic, type Position } from '../diag/diagnostic';
import type { ManifestObject, Path } from './parseManifests';

export type Topology = 'standalone' | 'leader';

export interface OperatorBind {
  name: string;
  service: string;
  group: string;
  at: Position;
}

/** One entry of the operator's `env` list (core/v1 EnvVar). */
export interface OperatorEnv {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
  at: Position;
}

/** A Habitat object, both layouts read into one shape (fields as the operator's Go types decode them). */
export interface OperatorHabitat {
  obj: ManifestObject;
  name: string;
  namespace?: string;
  /** `v1beta2`: customVersion v1beta2, spec.v1beta2 (operator 0.6+). `v1beta1`: the legacy layout, fields under spec (operator < 0.8, a Deployment). */
  layout: 'v1beta2' | 'v1beta1';
  /** Path of the spec fields inside the object: ['spec', 'v1beta2'] or ['spec']. */
  base: Path;
  image: string;
  count: number;
  countMissing: boolean;
  serviceName?: string;
  topology: Topology;
  group?: string;
  channel?: string;
  configSecretName?: string;
  ringSecretName?: string;
  binds: OperatorBind[];
  env: OperatorEnv[];
  persistence?: { size: string; mountPath: string; storageClassName?: string };
  /** metadata.labels and annotations keys (the operator copied none of them), sorted. */
  labelKeys: string[];
  annotationKeys: string[];
}

/** The operator's own check (utils.go ringKeyRegexp): `<ring>-<YYYYMMDDhhmmss>`; Go's \w is ASCII. */
export const RING_SECRET_NAME = /^([A-Za-z0-9_-]+)-\d{14}$/;

const FIELDS = {
  top: ['apiVersion', 'kind', 'metadata', 'spec', 'status', 'customVersion'],
  v1beta2: ['count', 'image', 'service', 'env', 'persistentStorage'],
  v1beta1: ['count', 'image', 'service', 'env'],
  serviceV1beta2: ['name', 'topology', 'group', 'channel', 'configSecretName', 'ringSecretName', 'bind'],
  serviceV1beta1: ['name', 'topology', 'group', 'configSecretName', 'ringSecretName', 'bind'],
  bind: ['name', 'service', 'group'],
  persistentStorage: ['size', 'mountPath', 'storageClassName'],
} as const;

/** kubectl adds this to every applied object; it repeats the object, so it is not news. */
const KUBECTL_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

const dotted = (p: Path) => p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1);

/**
 * Reads a Habitat the way the operator's controller decoded and validated it
 * (pkg/apis/habitat/v1beta1/types.go, controller/*\/utils.go validateCustomObject):
 * a wrong type or a missing required field is an error, since the operator
 * refused such an object too; a field it does not know is a warning (Go's
 * JSON decoder ignored it).
 */
export function readHabitat(obj: ManifestObject): { habitat?: OperatorHabitat; diagnostics: Diagnostic[] } {
  const d: Diagnostic[] = [];
  const v = obj.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const what = `Habitat ${name || '(unnamed)'}`;
  if (!name) d.push(error('import-habitat-name-missing', 'this Habitat has no metadata.name', obj.at(['metadata'], 'key')));
  if (v.apiVersion !== 'habitat.sh/v1beta1') {
    d.push(error('import-habitat-api-version', `${what}: apiVersion ${JSON.stringify(v.apiVersion)} is not habitat.sh/v1beta1, the operator's only API version`, obj.at(['apiVersion'])));
    return { diagnostics: d };
  }
  const custom = v.customVersion;
  const spec = isPlainObject(v.spec) ? v.spec : undefined;
  if (!spec) {
    d.push(error('import-habitat-spec-missing', `${what} has no spec`, obj.at(['spec'], 'key')));
    return { diagnostics: d };
  }
  let layout: OperatorHabitat['layout'];
  if (custom === 'v1beta2') {
    layout = 'v1beta2';
    if (!isPlainObject(spec.v1beta2)) {
      d.push(error('import-habitat-spec-missing', `${what} has customVersion v1beta2 but no spec.v1beta2 mapping; the operator refused it`, obj.at(['spec'], 'key'), 'put count, image, service, env and persistentStorage under spec.v1beta2'));
      return { diagnostics: d };
    }
  } else if (custom === undefined || custom === 'v1beta1') {
    layout = 'v1beta1';
    if (spec.v1beta2 !== undefined) {
      d.push(error('import-custom-version', `${what} has spec.v1beta2 but not customVersion: v1beta2; operator 0.8 ignored it and older ones read spec directly`, obj.at(['spec', 'v1beta2'], 'key'), 'add "customVersion: v1beta2" at the top level of the object'));
      return { diagnostics: d };
    }
  } else {
    d.push(error('import-custom-version', `${what}: customVersion ${JSON.stringify(custom)} is neither v1beta1 nor v1beta2`, obj.at(['customVersion'])));
    return { diagnostics: d };
  }
  const base: Path = layout === 'v1beta2' ? ['spec', 'v1beta2'] : ['spec'];
  const s = (layout === 'v1beta2' ? spec.v1beta2 : spec) as Record<string, unknown>;

  const unknown = (m: Record<string, unknown>, path: Path, known: readonly string[]) => {
    for (const k of Object.keys(m).sort()) {
      if (!known.includes(k)) d.push(warning('import-field-ignored', `${what}: ${dotted([...path, k])} is not a field of the operator's ${layout} spec; it had no effect and is not carried`, obj.at([...path, k], 'key')));
    }
  };
  unknown(v, [], FIELDS.top);
  if (layout === 'v1beta2') unknown(spec, ['spec'], ['v1beta2']);
  unknown(s, base, layout === 'v1beta2' ? FIELDS.v1beta2 : FIELDS.v1beta1);

  const str = (m: Record<string, unknown>, path: Path, key: string, required: boolean): string | undefined => {
    const x = m[key];
    if (x === undefined || x === null) {
      if (required) d.push(error('import-field-missing', `${what}: ${dotted([...path, key])} is required`, obj.at(path, 'key')));
      return undefined;
    }
    if (typeof x !== 'string') {
      d.push(error('import-field-type', `${what}: ${dotted([...path, key])} must be a string`, obj.at([...path, key])));
      return undefined;
    }
    return x;
  };

  const image = str(s, base, 'image', true) ?? '';
  let count = 0;
  const countMissing = s.count === undefined || s.count === null;
  if (!countMissing) {
    if (typeof s.count !== 'number' || !Number.isInteger(s.count)) d.push(error('import-field-type', `${what}: ${dotted([...base, 'count'])} must be an integer`, obj.at([...base, 'count'])));
    else count = s.count;
  }

  const svcPath = [...base, 'service'];
  const svc = s.service;
  if (!isPlainObject(svc)) {
    d.push(error(svc === undefined ? 'import-field-missing' : 'import-field-type', `${what}: ${dotted(svcPath)} must be a mapping (name, topology, ...)`, obj.at(svc === undefined ? base : svcPath, svc === undefined ? 'key' : 'value')));
    return { diagnostics: d };
  }
  unknown(svc, svcPath, layout === 'v1beta2' ? FIELDS.serviceV1beta2 : FIELDS.serviceV1beta1);
  const serviceName = str(svc, svcPath, 'name', false);
  const topologyRaw = str(svc, svcPath, 'topology', false);
  let topology: Topology = 'standalone';
  if (topologyRaw === 'standalone' || topologyRaw === 'leader') topology = topologyRaw;
  else if (svc.topology === undefined || svc.topology === null || typeof svc.topology === 'string') {
    d.push(error('import-topology-invalid', `${what}: topology must be standalone or leader${topologyRaw === undefined ? ' (it is missing)' : ''}; the operator refused this Habitat`, obj.at(topologyRaw === undefined ? svcPath : [...svcPath, 'topology'], topologyRaw === undefined ? 'key' : 'value')));
  }
  // Legacy fields were plain Go strings: "" meant "not set". v1beta2 used pointers: "" is a value.
  const opt = (key: string) => {
    const x = str(svc, svcPath, key, false);
    return layout === 'v1beta1' && x === '' ? undefined : x;
  };
  const group = opt('group');
  const channel = layout === 'v1beta2' ? opt('channel') : undefined;
  const configSecretName = opt('configSecretName');
  const ringSecretName = opt('ringSecretName');
  if (ringSecretName !== undefined && !RING_SECRET_NAME.test(ringSecretName)) {
    d.push(error('import-ring-secret-name', `${what}: ringSecretName must be <ring>-<YYYYMMDDhhmmss> (the key file's name); the operator refused this Habitat`, obj.at([...svcPath, 'ringSecretName'])));
  }

  const binds: OperatorBind[] = [];
  if (svc.bind !== undefined && svc.bind !== null) {
    if (!Array.isArray(svc.bind)) d.push(error('import-field-type', `${what}: ${dotted([...svcPath, 'bind'])} must be a list`, obj.at([...svcPath, 'bind'])));
    else {
      svc.bind.forEach((b, i) => {
        const p = [...svcPath, 'bind', i];
        if (!isPlainObject(b)) return void d.push(error('import-field-type', `${what}: ${dotted(p)} must be a mapping (name, service, group)`, obj.at(p)));
        unknown(b, p, FIELDS.bind);
        const bn = str(b, p, 'name', true);
        const bs = str(b, p, 'service', true);
        const bg = str(b, p, 'group', true);
        if (bn !== undefined && bs !== undefined && bg !== undefined) binds.push({ name: bn, service: bs, group: bg, at: obj.at(p) });
      });
    }
  }

  const env: OperatorEnv[] = [];
  if (s.env !== undefined && s.env !== null) {
    if (!Array.isArray(s.env)) d.push(error('import-field-type', `${what}: ${dotted([...base, 'env'])} must be a list of {name, value} entries`, obj.at([...base, 'env'])));
    else {
      s.env.forEach((e, i) => {
        const p = [...base, 'env', i];
        if (!isPlainObject(e)) return void d.push(error('import-field-type', `${what}: ${dotted(p)} must be a mapping (name, value or valueFrom)`, obj.at(p)));
        const en = str(e, p, 'name', true);
        const ev = str(e, p, 'value', false);
        const from = e.valueFrom;
        if (from !== undefined && from !== null && !isPlainObject(from)) d.push(error('import-field-type', `${what}: ${dotted([...p, 'valueFrom'])} must be a mapping`, obj.at([...p, 'valueFrom'])));
        if (en === undefined) return;
        env.push({ name: en, ...(ev !== undefined ? { value: ev } : {}), ...(isPlainObject(from) ? { valueFrom: from } : {}), at: obj.at(p) });
      });
    }
  }

  let persistence: OperatorHabitat['persistence'];
  if (layout === 'v1beta2' && s.persistentStorage !== undefined && s.persistentStorage !== null) {
    const p = [...base, 'persistentStorage'];
    const ps = s.persistentStorage;
    if (!isPlainObject(ps)) d.push(error('import-field-type', `${what}: ${dotted(p)} must be a mapping (size, mountPath, storageClassName)`, obj.at(p)));
    else {
      unknown(ps, p, FIELDS.persistentStorage);
      const size = str(ps, p, 'size', true);
      const mountPath = str(ps, p, 'mountPath', true);
      const storageClassName = str(ps, p, 'storageClassName', false);
      if (size !== undefined && mountPath !== undefined) persistence = { size, mountPath, ...(storageClassName !== undefined ? { storageClassName } : {}) };
    }
  }

  const labelKeys = Object.keys(isPlainObject(meta.labels) ? meta.labels : {}).sort();
  const annotationKeys = Object.keys(isPlainObject(meta.annotations) ? meta.annotations : {}).filter((k) => k !== KUBECTL_ANNOTATION).sort();

  if (d.some((x) => x.severity === 'error')) return { diagnostics: d };
  const habitat: OperatorHabitat = {
    obj, name, layout, base, image, count, countMissing, topology, binds, env, labelKeys, annotationKeys,
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    ...(serviceName !== undefined ? { serviceName } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(channel !== undefined ? { channel } : {}),
    ...(configSecretName !== undefined ? { configSecretName } : {}),
    ...(ringSecretName !== undefined ? { ringSecretName } : {}),
    ...(persistence ? { persistence } : {}),
  };
  return { habitat, diagnostics: d };
}
