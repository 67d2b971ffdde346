import type { AppModel, Workload } from '../model/types';
import { objectMeta, workloadLabels, workloadSelector } from './labels';

/** ClusterIP Service named after the workload, for its app ports (only when it declares some). */
export function appService(app: AppModel, w: Workload): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(app, w.name, workloadLabels(app, w)),
    spec: {
      type: 'ClusterIP',
      selector: workloadSelector(app, w),
      ports: w.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
    },
  };
}
