import { dns1123LabelProblem, labelKeyProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding } from './finding';
import { dns1123SubdomainProblem } from './formats';
import { validateLabelSelector } from './labelSelector';
import { asList, asNum, asObj, asStr, q } from './untyped';

const code = 'k8s-affinity-invalid' as const;

/** core ValidateNodeSelectorRequirement. */
function nodeSelectorRequirement(raw: unknown, p: FieldPath): Finding[] {
  const r = asObj(raw) ?? {};
  const op = asStr(r.operator) ?? '';
  const n = asList(r.values).length;
  const out: Finding[] = [];
  if (op === 'In' || op === 'NotIn') {
    if (n === 0) out.push(finding(code, [...p, 'values'], `node selector operator ${op} needs at least one value`));
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (n > 0) out.push(finding(code, [...p, 'values'], `node selector operator ${op} takes no values`));
  } else if (op === 'Gt' || op === 'Lt') {
    if (n !== 1) out.push(finding(code, [...p, 'values'], `node selector operator ${op} takes exactly one value`));
  } else out.push(finding(code, [...p, 'operator'], `${q(op)} is not a node selector operator`, { hint: 'use In, NotIn, Exists, DoesNotExist, Gt or Lt' }));
  const key = asStr(r.key) ?? '';
  const kp = labelKeyProblem(key);
  if (kp) out.push(finding(code, [...p, 'key'], `node selector key ${q(key)} ${kp}`));
  return out;
}

/** core ValidateNodeFieldSelectorRequirement: only metadata.name, with In or NotIn and one node name. */
function nodeFieldSelectorRequirement(raw: unknown, p: FieldPath): Finding[] {
  const r = asObj(raw) ?? {};
  const op = asStr(r.operator) ?? '';
  const values = asList(r.values);
  const out: Finding[] = [];
  if (op === 'In' || op === 'NotIn') {
    if (values.length !== 1) out.push(finding(code, [...p, 'values'], `matchFields with operator ${op} takes exactly one value`));
  } else out.push(finding(code, [...p, 'operator'], `${q(op)} is not a valid matchFields operator`, { hint: 'use In or NotIn' }));
  if (asStr(r.key) !== 'metadata.name') out.push(finding(code, [...p, 'key'], `matchFields key ${q(asStr(r.key) ?? '')} is not supported`, { hint: 'matchFields only supports metadata.name' }));
  else {
    values.forEach((v, j) => {
      const np = dns1123SubdomainProblem(String(v));
      if (np) out.push(finding(code, [...p, 'values', j], `node name ${q(String(v))} ${np}`));
    });
  }
  return out;
}

/** core ValidateNodeSelectorTerm. */
const nodeSelectorTerm = (raw: unknown, p: FieldPath): Finding[] => {
  const t = asObj(raw) ?? {};
  return [
    ...asList(t.matchExpressions).flatMap((r, j) => nodeSelectorRequirement(r, [...p, 'matchExpressions', j])),
    ...asList(t.matchFields).flatMap((r, j) => nodeFieldSelectorRequirement(r, [...p, 'matchFields', j])),
  ];
};

function weight(raw: unknown, p: FieldPath): Finding[] {
  const w = asNum(raw) ?? 0;
  return w >= 1 && w <= 100 ? [] : [finding(code, p, `weight ${q(raw ?? 0)} must be from 1 to 100`)];
}

/** core validateNodeAffinity, ValidateNodeSelector, ValidatePreferredSchedulingTerms. */
function nodeAffinity(raw: unknown, p: FieldPath): Finding[] {
  const na = asObj(raw);
  if (!na) return [];
  const out: Finding[] = [];
  const req = asObj(na.requiredDuringSchedulingIgnoredDuringExecution);
  if (req) {
    const terms = asList(req.nodeSelectorTerms);
    const rp = [...p, 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'];
    if (terms.length === 0) out.push(finding(code, rp, 'requiredDuringSchedulingIgnoredDuringExecution needs at least one node selector term'));
    terms.forEach((t, i) => out.push(...nodeSelectorTerm(t, [...rp, i])));
  }
  asList(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw2, i) => {
    const pp = [...p, 'preferredDuringSchedulingIgnoredDuringExecution', i];
    const t = asObj(raw2) ?? {};
    out.push(...weight(t.weight, [...pp, 'weight']), ...nodeSelectorTerm(t.preference, [...pp, 'preference']));
  });
  return out;
}

/** core validateLabelKeys and validateMatchLabelKeysAndMismatchLabelKeys (rules 1 and 3). */
function labelKeys(term: Record<string, unknown>, p: FieldPath): Finding[] {
  const out: Finding[] = [];
  const match = asList(term.matchLabelKeys).map(String);
  const mismatch = asList(term.mismatchLabelKeys).map(String);
  for (const [field, keys] of [['matchLabelKeys', match], ['mismatchLabelKeys', mismatch]] as const) {
    if (keys.length && !asObj(term.labelSelector)) out.push(finding(code, [...p, field], `${field} needs a labelSelector`));
    keys.forEach((k, i) => {
      const kp = labelKeyProblem(k);
      if (kp) out.push(finding(code, [...p, field, i], `${field} entry ${q(k)} ${kp}`));
    });
  }
  match.forEach((k, i) => {
    if (mismatch.includes(k)) out.push(finding(code, [...p, 'matchLabelKeys', i], `label key ${q(k)} is in both matchLabelKeys and mismatchLabelKeys`));
  });
  return out;
}

/** core validatePodAffinityTerm (with ValidatePodAffinityTermSelector). */
function podAffinityTerm(raw: unknown, p: FieldPath): Finding[] {
  const t = asObj(raw) ?? {};
  const out: Finding[] = [
    ...validateLabelSelector(t.labelSelector, [...p, 'labelSelector'], code),
    ...validateLabelSelector(t.namespaceSelector, [...p, 'namespaceSelector'], code),
  ];
  asList(t.namespaces).forEach((ns, i) => {
    const np = dns1123LabelProblem(String(ns));
    if (np) out.push(finding(code, [...p, 'namespaces', i], `namespace ${q(String(ns))} ${np}`));
  });
  out.push(...labelKeys(t, p));
  const key = asStr(t.topologyKey) ?? '';
  if (key.length === 0) out.push(finding(code, [...p, 'topologyKey'], 'a pod affinity term needs a topologyKey', { hint: 'e.g. kubernetes.io/hostname or topology.kubernetes.io/zone' }));
  else {
    const kp = labelKeyProblem(key);
    if (kp) out.push(finding(code, [...p, 'topologyKey'], `topologyKey ${q(key)} ${kp}`));
  }
  return out;
}

/** core validatePodAffinity / validatePodAntiAffinity. */
function podAffinity(raw: unknown, p: FieldPath): Finding[] {
  const a = asObj(raw);
  if (!a) return [];
  return [
    ...asList(a.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => podAffinityTerm(t, [...p, 'requiredDuringSchedulingIgnoredDuringExecution', i])),
    ...asList(a.preferredDuringSchedulingIgnoredDuringExecution).flatMap((raw2, i) => {
      const pp = [...p, 'preferredDuringSchedulingIgnoredDuringExecution', i];
      const t = asObj(raw2) ?? {};
      return [...weight(t.weight, [...pp, 'weight']), ...podAffinityTerm(t.podAffinityTerm, [...pp, 'podAffinityTerm'])];
    }),
  ];
}

/** core validateAffinity. */
export function validateAffinity(raw: unknown, path: FieldPath): Finding[] {
  const a = asObj(raw);
  if (!a) return [];
  return [...nodeAffinity(a.nodeAffinity, [...path, 'nodeAffinity']), ...podAffinity(a.podAffinity, [...path, 'podAffinity']), ...podAffinity(a.podAntiAffinity, [...path, 'podAntiAffinity'])];
}
