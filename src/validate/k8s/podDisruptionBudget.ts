import { finding, type Finding } from './finding';
import { isPercent } from './formats';
import { validateLabelSelector } from './labelSelector';
import { validateObjectMeta } from './objectMeta';
import { asNum, asObj, q, type Obj } from './untyped';

/** apps ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
function intOrPercent(v: unknown, field: string): Finding[] {
  if (typeof v === 'string') {
    if (!isPercent(v)) return [finding('k8s-pdb-invalid', ['spec', field], `${field} ${q(v)} must be an integer or a percentage`)];
    return Number(v.slice(0, -1)) > 100 ? [finding('k8s-pdb-invalid', ['spec', field], `${field} ${q(v)} must not be more than 100%`)] : [];
  }
  const n = asNum(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? [] : [finding('k8s-pdb-invalid', ['spec', field], `${field} ${q(v)} must be a non-negative integer`)];
}

/** policy ValidatePodDisruptionBudget (with ValidatePodDisruptionBudgetSpec). */
export function validatePodDisruptionBudget(obj: Obj): Finding[] {
  const out: Finding[] = validateObjectMeta(obj.metadata, 'dns1123-subdomain', 'PodDisruptionBudget');
  const spec = asObj(obj.spec) ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) out.push(finding('k8s-pdb-invalid', ['spec'], 'minAvailable and maxUnavailable cannot both be set'));
  for (const f of ['minAvailable', 'maxUnavailable']) if (spec[f] !== undefined) out.push(...intOrPercent(spec[f], f));
  out.push(...validateLabelSelector(spec.selector, ['spec', 'selector'], 'k8s-pdb-invalid'));
  return out;
}
