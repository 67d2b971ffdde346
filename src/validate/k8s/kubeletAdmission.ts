import { finding, type FieldPath, type Finding } from './finding';
import { asList, asNum, asObj } from './untyped';

/**
 * What the kubelet refuses when it starts the container, after the API server
 * and the StatefulSet controller have accepted everything.
 *
 * pkg/kubelet/kuberuntime/security_context_others.go verifyRunAsNonRoot: with
 * runAsNonRoot the effective runAsUser must be set and non-zero, or the image's
 * user must be numeric and non-zero. Images made by `hab pkg export container`
 * have no USER (components/pkg-export-container Dockerfile.hbs), so they run as
 * root: without a runAsUser the container never starts (CreateContainerConfigError).
 */
export function validateKubeletAdmission(spec: unknown, specPath: FieldPath): Finding[] {
  const s = asObj(spec) ?? {};
  const podSc = asObj(s.securityContext) ?? {};
  const out: Finding[] = [];
  asList(s.containers).forEach((c, i) => {
    const sc = { ...podSc, ...(asObj(asObj(c)?.securityContext) ?? {}) };
    if (sc.runAsNonRoot !== true) return;
    const uid = asNum(sc.runAsUser);
    const fromContainer = asObj(asObj(c)?.securityContext)?.runAsNonRoot === true;
    const at = fromContainer ? [...specPath, 'containers', i, 'securityContext', 'runAsNonRoot'] : [...specPath, 'securityContext', 'runAsNonRoot'];
    if (uid === 0) out.push(finding('k8s-run-as-non-root-image-root', at, 'runAsNonRoot is true but runAsUser is 0 (root): the kubelet refuses to start the container', { hint: 'set runAsUser to a non-zero uid, or drop runAsNonRoot' }));
    else if (uid === undefined) {
      out.push(finding('k8s-run-as-non-root-image-root', at, 'runAsNonRoot is true but no runAsUser is set, and Habitat images run as root: the kubelet refuses to start the container', { hint: 'set securityContext.runAsUser to a non-zero uid as well, or drop runAsNonRoot' }));
    }
  });
  return out;
}
