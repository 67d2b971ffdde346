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
  let objects = app.serverSideApply ? out.map((o) => annotate(o, SYNC_OPTIONS, 'ServerSideApply=true')) : out;
  const wave = app.sealedSecretsWave;
  if (wave !== undefined) objects = objects.map((o) => (o.kind === 'SealedSecret' ? annotate(o, SYNC_WAVE, String(wave)) : o));
  return objects as K8sObject[];
}

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * Argo CD's per-object settings, on the object's own metadata (never a SealedSecret's
 * template): the per-object form of a sync option means declaring it in
 * habitat.yaml is enough, whatever the Application's syncOptions say.
 */
function annotate(o: Record<string, unknown>, key: string, value: string): Record<string, unknown> {
  const meta = o.metadata as Record<string, unknown>;
  return { ...o, metadata: { ...meta, annotations: { ...(meta.annotations as object | undefined), [key]: value } } };
}
