import type { AppModel } from '../model/types';
import { appLabels, objectMeta } from './labels';
import { PEERS_KEY, peersConfigMapName, RINGS_KEY, ringServiceName, SEED_SCRIPT_KEY, SERVICE_KEY } from './names';
import { SEED_SCRIPT } from './seedScript';

/**
 * The ring's seed data and the script that reads it at every container start
 * (seedScript.ts); the Supervisor never reads this directly. `peers` lists each
 * StatefulSet with its replicas (pods `<name>-<i>.<service>`), so it grows with
 * workloads, not pods; `rings` lists the ring Services of joined apps. Changing it
 * rolls nothing: running Supervisors ignore seeds once they know a member, and the
 * script lives here rather than in the pod template so that a new habitat-cmp
 * version does not restart every pod of every app.
 */
export function peersConfigMap(app: AppModel): Record<string, unknown> {
  const data: Record<string, string> = {
    [PEERS_KEY]: app.workloads
      .filter((w) => w.count >= 1)
      .map((w) => `${w.name} ${w.count}\n`)
      .join(''),
    [SERVICE_KEY]: ringServiceName(app),
    [SEED_SCRIPT_KEY]: SEED_SCRIPT,
  };
  if (app.join.length) {
    data[RINGS_KEY] = app.join.map((j) => `${j.app}-ring${j.namespace !== undefined && j.namespace !== app.namespace ? `.${j.namespace}` : ''}\n`).join('');
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(app, peersConfigMapName(app), appLabels(app)),
    data,
  };
}
