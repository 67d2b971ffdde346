import { finding, type FieldPath, type Finding } from './finding';
import { sysctlNameProblem } from './formats';
import { asList, asNum, asObj, asStr, q } from './untyped';

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
/**
 * pkg/kubelet/sysctl safe_sysctls.go: the sysctls every kubelet admits (the newest
 * list; older kubelets and kernels know fewer). Any other sysctl gets the pod
 * refused with SysctlForbidden unless the node runs with --allowed-unsafe-sysctls,
 * which habitat-cmp cannot see: a warning.
 */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);
/** sysctl NormalizeName: with a "/" in it, "/" and "." swap roles. */
const normalizeSysctl = (n: string): string => (n.includes('/') ? n.replace(/[./]/g, (c) => (c === '.' ? '/' : '.')) : n);

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
  asList(podSc.sysctls).forEach((raw, i) => {
    const name = asStr(asObj(raw)?.name) ?? '';
    // An invalid name is an API error already.
    if (name && !sysctlNameProblem(name) && !SAFE_SYSCTLS.has(normalizeSysctl(name))) {
      out.push(finding('k8s-sysctl-not-safe', [...specPath, 'securityContext', 'sysctls', i, 'name'], `sysctl ${q(name)} is not one the kubelet allows by default: pods are refused (SysctlForbidden)`, {
        warning: true,
        hint: 'keep it only if every node runs the kubelet with --allowed-unsafe-sysctls listing it',
      }));
    }
  });
  return out;
}
