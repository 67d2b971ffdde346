import type { AppModel } from '../model/types';
import { appLabels, objectMeta } from './labels';
import { PEERS_KEY, peersConfigMapName, ringServiceName } from './names';

/**
 * The Supervisor's --peer-watch-file: one resolvable host per line. A blank line
 * or an unresolvable name ends the Supervisor's loop, so only pod 0 of workloads
 * that run at least one pod is listed, and there is never an empty line.
 */
export function peersConfigMap(app: AppModel): Record<string, unknown> {
  const hosts = app.workloads
    .filter((w) => w.count >= 1)
    .map((w) => `${w.name}-0.${ringServiceName(app)}`)
    .sort();
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(app, peersConfigMapName(app), appLabels(app)),
    data: { [PEERS_KEY]: hosts.map((h) => h + '\n').join('') },
  };
}
