import { error, warning, type Diagnostic } from '../../diag/diagnostic';
import type { RawApp } from '../../model/raw';
import type { AppModel } from '../../model/types';
import type { K8sObject } from '../../render/renderApp';
import type { Locator } from '../locator';
import { habitatSourceOf } from './habitatSource';
import { kubeRules } from './kubeRules';
import { validateRenderedObject } from './validateRenderedObject';

/**
 * The last check before output: every rendered object against the Kubernetes
 * API server's validation (and the kubelet's, for pods), so that what the
 * cluster would refuse, possibly only when the StatefulSet controller creates
 * a pod long after Argo CD reported the app as synced, is refused here, at the
 * habitat.yaml value that caused it.
 */
export function checkRenderedObjects(objects: readonly K8sObject[], app: AppModel, raw: RawApp, kubeVersion: string | undefined, loc: Locator): Diagnostic[] {
  const rules = kubeRules(kubeVersion);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const obj of objects) {
    for (const f of validateRenderedObject(obj, rules)) {
      const src = habitatSourceOf(obj, f, app, raw);
      const at = loc.at(src.path, src.part);
      const hint = src.hint ?? f.hint;
      const d = f.warning ? warning(f.code, f.message, at, hint) : error(f.code, f.message, at, hint);
      // App labels and the service name reach several objects; say it once.
      const id = `${d.code}\u0000${d.offset}\u0000${d.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(d);
    }
  }
  return out.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
}
