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
  return (app.serverSideApply ? out.map(serverSide) : out) as K8sObject[];
}

export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * The per-object form of Argo CD's sync option, so declaring server-side apply in
 * habitat.yaml is enough: it holds whatever the Application's syncOptions say.
 */
function serverSide(o: Record<string, unknown>): Record<string, unknown> {
  const meta = o.metadata as Record<string, unknown>;
  return { ...o, metadata: { ...meta, annotations: { ...(meta.annotations as object | undefined), [SYNC_OPTIONS]: 'ServerSideApply=true' } } };
}
