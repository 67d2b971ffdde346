/**
 * Validation rules that changed between Kubernetes versions, from KUBE_VERSION.
 * An unknown or missing version gets the current rules.
 */
export interface KubeRules {
  /** "Kubernetes 1.31", or "current Kubernetes" when KUBE_VERSION is unknown; for messages. */
  describe: string;
  /** RelaxedEnvironmentVariableValidation: beta and on by default from 1.32, GA (locked on) in 1.34. */
  relaxedEnvNames: boolean;
  /** RelaxedDNSSearchValidation: beta and on by default from 1.33, GA in 1.34. */
  relaxedDnsSearch: boolean;
}

export function kubeRules(kubeVersion: string | undefined): KubeRules {
  const m = kubeVersion ? /^v?(\d+)\.(\d+)/.exec(kubeVersion) : null;
  if (!m) return { describe: 'current Kubernetes (KUBE_VERSION unset)', relaxedEnvNames: true, relaxedDnsSearch: true };
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const atLeast = (min: number) => major > 1 || (major === 1 && minor >= min);
  return { describe: `Kubernetes ${major}.${minor}`, relaxedEnvNames: atLeast(32), relaxedDnsSearch: atLeast(33) };
}
