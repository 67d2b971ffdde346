import { validateConfigMap, validateSealedSecret, validateSecret } from './configData';
import type { Finding } from './finding';
import type { KubeRules } from './kubeRules';
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
  // Objects too large for Argo CD's client-side apply are refused by checkApplySize (apply-too-large).
  return errors;
}
