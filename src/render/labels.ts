import type { AppModel, Workload } from '../model/types';

const MANAGED_BY = 'habitat-cmp';

// Label sets are shared, read-only, by every object of an app or workload: a large
// app renders thousands of them, and nothing downstream mutates output objects.
const appMemo = new WeakMap<AppModel, Readonly<Record<string, string>>>();
const workloadMemo = new WeakMap<Workload, Readonly<Record<string, string>>>();

/** On every object. Never app.kubernetes.io/instance: that is Argo CD's tracking label. */
export function appLabels(app: AppModel): Record<string, string> {
  let l = appMemo.get(app);
  if (!l) {
    l = Object.freeze({ ...app.labels, 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': app.name });
    appMemo.set(app, l);
  }
  return l as Record<string, string>;
}

/** Selects the whole ring: every pod of the app. */
export function ringSelector(app: AppModel): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': app.name };
}

/** Immutable StatefulSet selector: only labels that never change for a workload. */
export function workloadSelector(app: AppModel, w: Workload): Record<string, string> {
  return { 'app.kubernetes.io/name': w.name, 'app.kubernetes.io/part-of': app.name };
}

export function workloadLabels(app: AppModel, w: Workload): Record<string, string> {
  let l = workloadMemo.get(w);
  if (!l) {
    l = Object.freeze({
      ...appLabels(app),
      'app.kubernetes.io/name': w.name,
      'app.kubernetes.io/component': w.service,
      'habitat.sh/service-group': `${w.service}.${w.group}`,
      'habitat.sh/topology': w.topology,
    });
    workloadMemo.set(w, l);
  }
  return l as Record<string, string>;
}

export function objectMeta(app: AppModel, name: string, labels: Record<string, string>, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    name,
    ...(app.namespace !== undefined ? { namespace: app.namespace } : {}),
    labels,
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
  };
}
