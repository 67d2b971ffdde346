import { error, type Diagnostic } from '../diag/diagnostic';
import type { Inputs } from '../load/inputs';
import type { TomlTable } from '../parse/parseToml';
import type { Locator } from '../validate/locator';
import { configCollision } from './configCollision';
import { isPlainObject, mergeConfig } from './deepMerge';
import type { RawApp } from './raw';
import type { AppModel, Bind, Port, Workload } from './types';

const byName = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const str = (v: string | number | bigint | boolean): string => String(v);

/** policy/v1 PodDisruptionBudget exists from Kubernetes 1.21; unknown versions get the current API. */
export function pdbApiVersion(kubeVersion: string | undefined): AppModel['pdbApiVersion'] {
  const m = kubeVersion ? /^v?(\d+)\.(\d+)/.exec(kubeVersion) : null;
  if (!m) return 'policy/v1';
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > 1 || (maj === 1 && min >= 21) ? 'policy/v1' : 'policy/v1beta1';
}

const hasNull = (v: unknown): boolean =>
  v === null || (typeof v === 'object' && (Array.isArray(v) ? v.some(hasNull) : Object.values(v as object).some(hasNull)));

/** TOML has no null; say where one is instead of writing a broken user.toml. */
function findNull(v: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (!hasNull(v)) return undefined;
  if (v === null) return path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = findNull(v[i], [...path, i]);
      if (p) return p;
    }
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v).sort()) {
      const p = findNull(v[k], [...path, k]);
      if (p) return p;
    }
  }
  return undefined;
}

export function buildModel(
  app: RawApp,
  ident: { name: string; namespace?: string },
  inputs: Inputs,
  configFiles: ReadonlyMap<string, TomlTable>,
  loc: Locator,
): { model: AppModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const workloads: Workload[] = [];
  for (const [name, s] of Object.entries(app.services).sort(byName)) {
    const base = ['services', name];
    const nullAt = findNull(s.config, [...base, 'config']);
    if (nullAt) diagnostics.push(error('config-null', `${nullAt.join('.')} is null, which TOML cannot express`, loc.at(nullAt), 'remove the key or give it a value'));
    const config = mergeConfig(configFiles.get(name) ?? {}, (s.config ?? {}) as TomlTable);
    const secrets = Object.entries(s.secrets ?? {}).sort(byName);
    for (const [path] of secrets) {
      const hit = configCollision(config, path.split('.'));
      if (hit !== undefined) {
        diagnostics.push(error('secret-config-collision', `sealed value "${path}" collides with the plain config value "${hit}" of services.${name}`, loc.at([...base, 'secrets', path], 'key'), 'remove the plain value from config/configFile, or seal it under another path'));
      }
    }
    const binds: Bind[] = Object.entries(s.binds ?? {})
      .sort(byName)
      .map(([bind, t]) => {
        if (typeof t === 'string') {
          const target = app.services[t];
          return { name: bind, service: target?.service ?? t, group: target?.group ?? 'default', workload: t };
        }
        return { name: bind, service: t.service, group: t.group ?? 'default' };
      });
    const ports: Port[] = (s.ports ?? []).map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' }));
    const w: Workload = {
      name,
      image: s.image ?? '',
      service: s.service ?? name,
      group: s.group ?? 'default',
      topology: s.topology ?? 'standalone',
      count: s.count ?? 1,
      bindingMode: s.bindingMode ?? 'strict',
      config,
      secrets,
      binds,
      ports,
      env: Object.entries(s.env ?? {}).map(([k, v]) => [k, str(v)] as [string, string]).sort(byName),
      configUpdate: s.configUpdate ?? 'reload',
      pod: s.pod ?? {},
    };
    if (s.channel !== undefined) w.channel = s.channel;
    if (s.persistence) {
      w.persistence = {
        size: str(s.persistence.size),
        mountPath: s.persistence.mountPath,
        accessModes: s.persistence.accessModes ?? ['ReadWriteOnce'],
        ...(s.persistence.storageClassName !== undefined ? { storageClassName: s.persistence.storageClassName } : {}),
      };
    }
    if (s.resources) {
      const conv = (m?: Record<string, string | number | bigint>) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, str(v)])) : undefined);
      w.resources = {};
      const req = conv(s.resources.requests);
      const lim = conv(s.resources.limits);
      if (req) w.resources.requests = req;
      if (lim) w.resources.limits = lim;
    }
    workloads.push(w);
  }
  const model: AppModel = {
    name: ident.name,
    labels: Object.fromEntries(Object.entries(app.metadata?.labels ?? {}).map(([k, v]) => [k, str(v)])),
    scope: app.sealing?.scope ?? 'strict',
    serverSideApply: app.sync?.serverSideApply === true,
    pdbApiVersion: pdbApiVersion(inputs.kubeVersion),
    workloads,
    join: (app.ring?.join ?? [])
      .map((j) => ({
        app: j.app,
        ...(j.namespace !== undefined ? { namespace: j.namespace } : {}),
        groups: [...new Set(j.groups ?? [])].sort().map((g) => {
          const dot = g.indexOf('.');
          return { service: g.slice(0, dot), group: g.slice(dot + 1) };
        }),
      }))
      .sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : (a.namespace ?? '') < (b.namespace ?? '') ? -1 : (a.namespace ?? '') > (b.namespace ?? '') ? 1 : 0)),
  };
  if (ident.namespace !== undefined) model.namespace = ident.namespace;
  if (app.ring?.sealedKey !== undefined) model.ringSealedKey = app.ring.sealedKey;
  if (app.sync?.sealedSecretsWave !== undefined) model.sealedSecretsWave = app.sync.sealedSecretsWave;
  return { model, diagnostics };
}
