import { validateConfigMap, validateSealedSecret, validateSecret } from './configData';
import type { Finding } from './finding';
import type { KubeRules } from './kubeRules';
import { lastAppliedWarning } from './lastAppliedWarning';
import { validateObjectMeta } from './objectMeta';
import { validatePodDisruptionBudget } from './podDisruptionBudget';
import { validateService } from './service';
import { validateStatefulSet } from './statefulSet';
import type { Obj } from './untyped';

/** The API server's validation for each kind habitat-cmp renders (and, for StatefulSets, the pods and claims they lead to). */
export function validateRenderedObject(obj: Obj, rules: KubeRules): Finding[] {
  const errors = (() => {
    switch (obj.kind) {
      case 'StatefulSet':
        return validateStatefulSet(obj, rules);
      case 'Service':
        return validateService(obj);
      case 'PodDisruptionBudget':
        return validatePodDisruptionBudget(obj);
      case 'ConfigMap':
        return validateConfigMap(obj);
      case 'Secret':
        return validateSecret(obj);
      case 'SealedSecret':
        return validateSealedSecret(obj);
      default:
        // Custom resources get apimachinery's generic ObjectMeta validation (names are DNS subdomains).
        return validateObjectMeta(obj.metadata, 'dns1123-subdomain', String(obj.kind));
    }
  })();
  // An object already too large for its kind, or for its annotations, is reported once, as that. A
  // workload's Service and PodDisruptionBudget hold a subset of what its StatefulSet holds: skip them.
  if (obj.kind === 'Service' || obj.kind === 'PodDisruptionBudget') return errors;
  return errors.some((f) => f.code === 'k8s-configmap-too-large' || f.code === 'k8s-annotations-too-large') ? errors : [...errors, ...lastAppliedWarning(obj)];
}
