import type { AppModel } from '../model/types';
import { appService } from './appService';
import { configSecret } from './configSecret';
import { peersConfigMap } from './peersConfigMap';
import { podDisruptionBudget } from './podDisruptionBudget';
import { ringKeySecret } from './ringKeySecret';
import { ringService } from './ringService';
import { statefulSet } from './statefulSet';
import { userToml } from './userToml';

export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** Pure: model in, objects out (unordered; serialize/ orders them). */
export function renderApp(app: AppModel): K8sObject[] {
  const out: Record<string, unknown>[] = [ringService(app), peersConfigMap(app)];
  if (app.ringSealedKey !== undefined) out.push(ringKeySecret(app, app.ringSealedKey));
  for (const w of app.workloads) {
    const toml = userToml(w);
    out.push(statefulSet(app, w, toml), configSecret(app, w, toml));
    if (w.ports.length) out.push(appService(app, w));
    if (w.topology === 'leader') out.push(podDisruptionBudget(app, w));
  }
  return out as K8sObject[];
}
