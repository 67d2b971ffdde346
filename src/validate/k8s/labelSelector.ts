import { labelKeyProblem, labelValueProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding, type K8sCode } from './finding';
import { validateLabels } from './objectMeta';
import { asList, asObj, asStr, q } from './untyped';

/**
 * apimachinery ValidateLabelSelector (AllowInvalidLabelValueInSelector off, as
 * for new objects). `code` names the field the selector belongs to.
 */
export function validateLabelSelector(selector: unknown, path: FieldPath, code: K8sCode): Finding[] {
  const sel = asObj(selector);
  if (!sel) return [];
  const out: Finding[] = validateLabels(sel.matchLabels, [...path, 'matchLabels'], 'selector label').map((f) => ({ ...f, code }));
  asList(sel.matchExpressions).forEach((raw, i) => {
    const p = [...path, 'matchExpressions', i];
    const e = asObj(raw) ?? {};
    const op = asStr(e.operator) ?? '';
    const values = asList(e.values);
    // ValidateLabelSelectorRequirement
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) out.push(finding(code, [...p, 'values'], `selector operator ${op} needs at least one value`));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) out.push(finding(code, [...p, 'values'], `selector operator ${op} takes no values`));
    } else out.push(finding(code, [...p, 'operator'], `${q(op)} is not a label selector operator`, { hint: 'use In, NotIn, Exists or DoesNotExist' }));
    const key = asStr(e.key) ?? '';
    const kp = labelKeyProblem(key);
    if (kp) out.push(finding(code, [...p, 'key'], `selector key ${q(key)} ${kp}`));
    values.forEach((v, j) => {
      const vp = labelValueProblem(String(v));
      if (vp) out.push(finding(code, [...p, 'values', j], `selector value ${q(String(v))} ${vp}`));
    });
  });
  return out;
}
