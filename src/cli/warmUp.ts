import { basename, dirname } from 'node:path';
import { renderAction } from '../action/render';
import { inputsFromArgoEnv } from '../load/argoEnv';
import { nodeFs } from '../load/nodeFs';
import { memFs } from '../load/repoFs';
import { toYamlDocuments } from '../serialize/toYaml';

const APP = `apiVersion: habitat-cmp/v1
kind: App
metadata: {name: warm, namespace: warm, labels: {team: a}}
ring:
  join: [{app: cache, groups: [redis.old]}]
services:
  db:
    image: core/postgresql:11
    topology: leader
    count: 3
    configFile: db.toml
    config: {port: 5432, "quoted key": [1, 2.5, true, "x\\ny"], log: {level: info}}
    ports: [{name: pg, port: 5432}]
    persistence: {size: 1Gi, mountPath: /data}
    resources: {requests: {cpu: 100m}}
  web:
    image: nginx:1
    binds: {db: db, ext: {service: redis, group: old}}
    configUpdate: restart
    env: {A: "1"}
    pod: {nodeSelector: {a: b}}
environments:
  prod:
    services:
      web: {count: 2}
`;

/**
 * Runs what `generate` runs on success (Argo CD's env, reading files, the pipeline,
 * YAML out), in memory, so that V8 has compiled those functions when the build takes
 * its code cache. The cache holds exactly what was compiled, and every start-up
 * deserializes all of it: the error path (yaml with positions, diagnostics
 * formatting), JSON output and the seal commands stay out, and are compiled from
 * source on the rare run that needs them. Never used for output. `self` is a file
 * that exists (the CLI itself), read to exercise the real-filesystem reader.
 */
export function warmUp(self: string): void {
  inputsFromArgoEnv({ ARGOCD_APP_NAME: 'ns_warm', ARGOCD_APP_NAMESPACE: 'warm', KUBE_VERSION: '1.31.0', KUBE_API_VERSIONS: 'v1,apps/v1,policy/v1', ARGOCD_APP_PARAMETERS: 'null' });
  nodeFs(dirname(self)).read(basename(self), 1 << 30);
  for (const environment of [undefined, 'prod']) {
    const r = renderAction(memFs({ 'habitat.yaml': APP, 'db.toml': 'max_connections = 100\n[auth]\nmethod = "md5"\n' }), environment ? { environment } : {});
    // a warm-up app that stopped rendering would put the error path into the cache instead
    if (r.diagnostics.length) throw new Error(`warm-up app no longer renders cleanly: ${r.diagnostics.map((d) => d.code).join(', ')}`);
    toYamlDocuments(r.objects);
  }
}
