import { renderAction } from '../action/render';
import { formatDiagnostics } from '../diag/format';
import { memFs } from '../load/repoFs';
import { toJsonStream } from '../serialize/toJson';
import { toYamlStream } from '../serialize/toYaml';

const APP = `apiVersion: habitat-cmp/v1
kind: App
metadata: {name: warm, namespace: warm, labels: {team: a}}
services:
  db:
    image: core/postgresql:11
    topology: leader
    count: 3
    configFile: db.toml
    config: {port: 5432, "quoted key": [1, 2.5, true, "x\\ny"]}
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
 * Exercises the render path in memory (success and error) so that V8 compiles
 * the functions a real run needs before the build takes its code cache. Never
 * used for output.
 */
export function warmUp(): void {
  for (const env of [undefined, 'prod']) {
    const r = renderAction(memFs({ 'habitat.yaml': APP, 'db.toml': 'max_connections = 100\n[auth]\nmethod = "md5"\n' }), env ? { environment: env } : {});
    toYamlStream(r.objects);
    toJsonStream(r.objects);
  }
  const bad = renderAction(memFs({ 'habitat.yaml': APP.replace('count: 3', 'count: 2').replace('image: nginx:1', 'imag: nginx:1') }), {});
  formatDiagnostics(bad.diagnostics, bad.sources);
}
