import type { AppModel, Workload } from '../model/types';
import { objectMeta, workloadLabels, workloadSelector } from './labels';

/** Leader groups lose quorum when several members go at once; allow one voluntary disruption at a time. */
export function podDisruptionBudget(app: AppModel, w: Workload): Record<string, unknown> {
  return {
    apiVersion: app.pdbApiVersion,
    kind: 'PodDisruptionBudget',
    metadata: objectMeta(app, w.name, workloadLabels(app, w)),
    spec: { maxUnavailable: 1, selector: { matchLabels: workloadSelector(app, w) } },
  };
}
