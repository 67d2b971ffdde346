import { finding, type FieldPath, type Finding } from './finding';
import { validateTolerations } from './tolerations';
import { asList, asObj, asStr, entriesOf, q } from './untyped';

// k8s.io/api core/v1 annotation_key_constants.go
const MIRROR = 'kubernetes.io/config.mirror';
const TOLERATIONS = 'scheduler.alpha.kubernetes.io/tolerations';
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_CONTAINER = 'container.apparmor.security.beta.kubernetes.io/';
const code = 'k8s-annotation-value-invalid' as const;

/** core ValidateSeccompProfile (the annotation form). */
function seccompValueProblem(v: string): string | undefined {
  if (v === 'runtime/default' || v === 'docker/default' || v === 'unconfined') return undefined;
  if (v.startsWith('localhost/')) {
    const rest = v.slice('localhost/'.length);
    return rest.startsWith('/') || rest.split('/').includes('..') ? 'must name a relative path without ".." after localhost/' : undefined;
  }
  return 'is not a seccomp profile: use runtime/default, unconfined or localhost/<path>';
}

/** core validateSeccompAnnotationsAndFieldsMatch. */
function seccompMatches(annotation: string, field: Record<string, unknown>): boolean {
  const type = asStr(field.type);
  if (type === 'Unconfined') return annotation === 'unconfined';
  if (type === 'RuntimeDefault') return annotation === 'runtime/default' || annotation === 'docker/default';
  if (type === 'Localhost') return annotation.startsWith('localhost/') && asStr(field.localhostProfile) === annotation.slice('localhost/'.length);
  return true;
}

/** core validateAppArmorAnnotationsAndFieldsMatchOnCreate (the pod-level profile; habitat-cmp sets no container one). */
function appArmorMatches(annotation: string, field: Record<string, unknown>): boolean {
  const type = asStr(field.type);
  if (type === 'Unconfined') return annotation === 'unconfined';
  if (type === 'RuntimeDefault') return annotation === 'runtime/default';
  if (type === 'Localhost') return annotation.startsWith('localhost/') && asStr(field.localhostProfile) === annotation.slice('localhost/'.length);
  return true;
}

/**
 * core ValidatePodSpecificAnnotations (mirror pods, tolerations, deletion cost,
 * seccomp, AppArmor) and, as ValidatePodTemplateSpec and ValidatePodCreate do,
 * the checks that annotations agree with the securityContext fields.
 */
export function validatePodSpecificAnnotations(annotations: unknown, spec: unknown, path: FieldPath): Finding[] {
  const out: Finding[] = [];
  const podSpec = asObj(spec) ?? {};
  const containers = asList(podSpec.containers).map((c) => asStr(asObj(c)?.name) ?? '');
  const sc = asObj(podSpec.securityContext) ?? {};
  for (const [k, raw] of entriesOf(annotations)) {
    const v = String(raw);
    const p = [...path, k];
    if (k === MIRROR && !asStr(podSpec.nodeName)) out.push(finding(code, p, `${MIRROR} is only for static pods, which need spec.nodeName`, { hint: 'remove this annotation' }));
    if (k === TOLERATIONS && v !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) out.push(finding(code, p, `${TOLERATIONS} must be a JSON list of tolerations`));
      else out.push(...validateTolerations(parsed, p).map((f) => ({ ...f, path: p, code })));
    }
    // helper.GetDeletionCostFromPodAnnotations: strconv.ParseInt(value, 10, 32)
    if (k === DELETION_COST && !(/^[+-]?[0-9]+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31 - (v.startsWith('-') ? 0 : 1))) {
      out.push(finding(code, p, `${DELETION_COST} ${q(v)} must be a 32-bit integer`));
    }
    if (k === SECCOMP_POD || k.startsWith(SECCOMP_CONTAINER)) {
      const sp = seccompValueProblem(v);
      if (sp) out.push(finding(code, p, `seccomp annotation value ${q(v)} ${sp}`));
    }
    if (k === SECCOMP_POD && asObj(sc.seccompProfile) && !seccompMatches(v, asObj(sc.seccompProfile)!)) {
      out.push(finding(code, p, 'seccomp annotation and securityContext.seccompProfile disagree', { hint: 'drop the annotation; the field replaces it' }));
    }
    if (k.startsWith(APPARMOR_CONTAINER)) {
      const container = k.slice(APPARMOR_CONTAINER.length);
      if (!containers.includes(container)) out.push(finding(code, p, `AppArmor annotation names container ${q(container)}, which is not in the pod`, { hint: `habitat-cmp's container is named ${containers.map((c) => q(c)).join(', ')}` }));
      // ValidateAppArmorProfileFormat
      if (!(v === '' || v === 'runtime/default' || v === 'unconfined' || v.startsWith('localhost/'))) out.push(finding(code, p, `AppArmor profile ${q(v)} is not runtime/default, unconfined or localhost/<name>`));
      else if (containers.includes(container) && asObj(sc.appArmorProfile) && !appArmorMatches(v, asObj(sc.appArmorProfile)!)) {
        out.push(finding(code, p, 'AppArmor annotation and securityContext.appArmorProfile disagree', { hint: 'drop the annotation; the field replaces it' }));
      }
    }
  }
  return out;
}
