import { labelKeyProblem, labelValueProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding } from './finding';
import { asList, asObj, asStr, q } from './untyped';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** core ValidateTolerations (with validateTaintEffect, empty effect allowed). */
export function validateTolerations(list: unknown, path: FieldPath): Finding[] {
  const out: Finding[] = [];
  asList(list).forEach((raw, i) => {
    const p = [...path, i];
    const t = asObj(raw) ?? {};
    const key = asStr(t.key) ?? '';
    const op = asStr(t.operator) ?? '';
    const value = asStr(t.value) ?? '';
    const effect = asStr(t.effect) ?? '';
    if (key.length > 0) {
      const kp = labelKeyProblem(key);
      if (kp) out.push(finding('k8s-toleration-invalid', [...p, 'key'], `toleration key ${q(key)} ${kp}`));
    }
    if (key.length === 0 && op !== 'Exists') {
      out.push(finding('k8s-toleration-invalid', [...p, 'operator'], 'a toleration without a key must use operator Exists (it matches every taint)', { hint: 'set key, or operator: Exists' }));
    }
    if (t.tolerationSeconds !== undefined && effect !== 'NoExecute') {
      out.push(finding('k8s-toleration-invalid', [...p, 'effect'], 'tolerationSeconds needs effect NoExecute', { hint: 'set effect: NoExecute or drop tolerationSeconds' }));
    }
    if (op === 'Equal' || op === '') {
      const vp = labelValueProblem(value);
      if (vp) out.push(finding('k8s-toleration-invalid', [...p, 'value'], `toleration value ${q(value)} ${vp}`));
    } else if (op === 'Exists') {
      if (value.length > 0) out.push(finding('k8s-toleration-invalid', [...p, 'value'], 'a toleration with operator Exists takes no value', { hint: 'drop value, or use operator: Equal' }));
    } else {
      out.push(finding('k8s-toleration-invalid', [...p, 'operator'], `toleration operator ${q(op)} is not supported`, { hint: 'use Equal or Exists' }));
    }
    if (effect.length > 0 && !EFFECTS.includes(effect)) {
      out.push(finding('k8s-toleration-invalid', [...p, 'effect'], `toleration effect ${q(effect)} is not supported`, { hint: `use ${EFFECTS.join(', ')} (or leave it empty to match all effects)` }));
    }
  });
  return out;
}
