import { scalarString } from '../serialize/toYaml';
import type { ImportedApp } from './importedApp';

/** What sealing and config placement decided for one app. */
export interface AppOutput {
  ringSealedKey?: string;
  /** Workload -> sealed user.toml values by dotted path, sorted. */
  secrets: ReadonlyMap<string, [string, string][]>;
  /** Workload -> configFile path relative to habitat.yaml. */
  configFiles: ReadonlyMap<string, string>;
}

// Printable, one line, no quote: single quotes read best for JSON-ish env values.
const SINGLE_QUOTABLE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff']*$/;

/** Plain when YAML 1.1 and 1.2 read it back as the same string, else quoted. */
function scalar(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const s = scalarString(v);
  if (s === v) return s;
  return SINGLE_QUOTABLE.test(v) && v.length > 0 ? `'${v}'` : s;
}

/**
 * habitat.yaml for an imported app, in the order README documents (metadata,
 * ring, sealing, services; per workload: image, service, group, topology,
 * count, ...), block style; maps sorted by key, ports in the order of the
 * Services they came from (the first one is what binds see). Same app, same bytes.
 */
export function writeHabitatYaml(app: ImportedApp, out: AppOutput): string {
  const L: string[] = [];
  const n = app.workloads.length;
  L.push(`# Imported by "habitat-cmp import": ${n} Habitat${n === 1 ? '' : 's'} (Habitat Operator)${app.namespace ? ` of namespace ${app.namespace}` : ''}, one workload per Habitat.`);
  L.push('# Review what the import reported, then check with "habitat-cmp validate".');
  L.push('apiVersion: habitat-cmp/v1', 'kind: App');
  if (app.name !== undefined || app.namespace !== undefined) {
    L.push('metadata:');
    if (app.name !== undefined) L.push(`  name: ${scalar(app.name)}`);
    if (app.namespace !== undefined) L.push(`  namespace: ${scalar(app.namespace)}`);
  }
  if (out.ringSealedKey !== undefined || app.join.length) {
    L.push('ring:');
    if (out.ringSealedKey !== undefined) L.push(`  sealedKey: ${scalar(out.ringSealedKey)}`);
    if (app.join.length) {
      L.push('  join:');
      for (const j of app.join) {
        L.push(`    - app: ${scalar(j.app)}`, '      groups:');
        for (const g of j.groups) L.push(`        - ${scalar(g)}`);
      }
    }
  }
  const sealsAnything = out.ringSealedKey !== undefined || [...out.secrets.values()].some((s) => s.length > 0);
  if (sealsAnything || app.scope !== 'strict') L.push('sealing:', `  scope: ${app.scope}`);
  L.push('services:');
  for (const w of app.workloads) {
    L.push(`  ${scalar(w.name)}:`);
    const p = (k: string, v: string | number) => L.push(`    ${k}: ${scalar(v)}`);
    p('image', w.image);
    if (w.service !== undefined) p('service', w.service);
    if (w.group !== undefined) p('group', w.group);
    p('topology', w.topology);
    p('count', w.count);
    if (w.channel !== undefined) p('channel', w.channel);
    const configFile = out.configFiles.get(w.name);
    if (configFile !== undefined) p('configFile', configFile);
    const secrets = out.secrets.get(w.name) ?? [];
    if (secrets.length) {
      L.push('    secrets:');
      for (const [path, v] of secrets) L.push(`      ${scalar(path)}: ${scalar(v)}`);
    }
    if (w.binds.length) {
      L.push('    binds:');
      for (const [name, t] of w.binds) {
        if (typeof t === 'string') L.push(`      ${scalar(name)}: ${scalar(t)}`);
        else L.push(`      ${scalar(name)}:`, `        service: ${scalar(t.service)}`, `        group: ${scalar(t.group)}`);
      }
    }
    if (w.ports.length) {
      L.push('    ports:');
      for (const port of w.ports) {
        L.push(`      - name: ${scalar(port.name)}`, `        port: ${port.port}`);
        if (port.targetPort !== undefined) L.push(`        targetPort: ${port.targetPort}`);
        if (port.protocol !== undefined) L.push(`        protocol: ${port.protocol}`);
      }
    }
    if (w.persistence) {
      L.push('    persistence:', `      size: ${scalar(w.persistence.size)}`, `      mountPath: ${scalar(w.persistence.mountPath)}`);
      if (w.persistence.storageClassName !== undefined) L.push(`      storageClassName: ${scalar(w.persistence.storageClassName)}`);
    }
    if (w.env.length) {
      L.push('    env:');
      for (const [k, v] of w.env) L.push(`      ${scalar(k)}: ${scalar(v)}`);
    }
  }
  return L.join('\n') + '\n';
}
