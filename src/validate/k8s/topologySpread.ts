import { labelKeyProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding } from './finding';
import { validateLabelSelector } from './labelSelector';
import { asList, asNum, asObj, asStr, q } from './untyped';

const code = 'k8s-topology-spread-invalid' as const;
const POLICIES = ['Honor', 'Ignore'];

/** core validateMatchLabelKeysInTopologySpread. */
function matchLabelKeys(c: Record<string, unknown>, p: FieldPath): Finding[] {
  const keys = asList(c.matchLabelKeys).map(String);
  if (keys.length === 0) return [];
  const sel = asObj(c.labelSelector);
  const out: Finding[] = [];
  if (!sel) out.push(finding(code, [...p, 'matchLabelKeys'], 'matchLabelKeys needs a labelSelector'));
  const selectorKeys = new Set([...Object.keys(asObj(sel?.matchLabels) ?? {}), ...asList(sel?.matchExpressions).map((e) => String(asObj(e)?.key ?? ''))]);
  keys.forEach((k, i) => {
    const kp = labelKeyProblem(k);
    if (kp) out.push(finding(code, [...p, 'matchLabelKeys', i], `matchLabelKeys entry ${q(k)} ${kp}`));
    if (selectorKeys.has(k)) out.push(finding(code, [...p, 'matchLabelKeys', i], `label key ${q(k)} is in both matchLabelKeys and labelSelector`));
  });
  return out;
}

/** core validateTopologySpreadConstraints (AllowInvalidTopologySpreadConstraintLabelSelector off, as for new objects). */
export function validateTopologySpreadConstraints(list: unknown, path: FieldPath): Finding[] {
  const out: Finding[] = [];
  const all = asList(list).map((c) => asObj(c) ?? {});
  all.forEach((c, i) => {
    const p = [...path, i];
    // ValidateMaxSkew
    if (!((asNum(c.maxSkew) ?? 0) > 0)) out.push(finding(code, [...p, 'maxSkew'], `maxSkew ${q(c.maxSkew ?? 0)} must be greater than zero`));
    // ValidateTopologyKey
    const key = asStr(c.topologyKey) ?? '';
    if (key.length === 0) out.push(finding(code, [...p, 'topologyKey'], 'a topology spread constraint needs a topologyKey', { hint: 'e.g. topology.kubernetes.io/zone' }));
    // ValidateWhenUnsatisfiable
    const action = asStr(c.whenUnsatisfiable) ?? '';
    if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway') out.push(finding(code, [...p, 'whenUnsatisfiable'], `whenUnsatisfiable ${q(action)} is not supported`, { hint: 'use DoNotSchedule or ScheduleAnyway' }));
    // ValidateSpreadConstraintNotRepeat: {topologyKey, whenUnsatisfiable} names one constraint.
    if (all.slice(i + 1).some((o) => (asStr(o.topologyKey) ?? '') === key && (asStr(o.whenUnsatisfiable) ?? '') === action)) {
      out.push(finding(code, p, `more than one constraint for {${key}, ${action}}`, { hint: 'merge them: one constraint per topologyKey and whenUnsatisfiable' }));
    }
    // validateMinDomains
    if (c.minDomains !== undefined) {
      if (!((asNum(c.minDomains) ?? 0) > 0)) out.push(finding(code, [...p, 'minDomains'], `minDomains ${q(c.minDomains)} must be greater than zero`));
      if (action !== 'DoNotSchedule') out.push(finding(code, [...p, 'minDomains'], `minDomains needs whenUnsatisfiable DoNotSchedule, not ${q(action)}`));
    }
    // validateNodeInclusionPolicy
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      if (c[f] !== undefined && !POLICIES.includes(String(c[f]))) out.push(finding(code, [...p, f], `${f} ${q(c[f])} is not supported`, { hint: 'use Honor or Ignore' }));
    }
    out.push(...matchLabelKeys(c, p), ...validateLabelSelector(c.labelSelector, [...p, 'labelSelector'], code));
  });
  return out;
}
