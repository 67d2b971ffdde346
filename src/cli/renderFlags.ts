import type { Inputs } from '../load/inputs';
import type { FlagDoc } from './commandSpec';

/** The inputs Argo CD gives `generate`, as flags of render and validate. */
export const RENDER_FLAGS: readonly FlagDoc[] = [
  { name: 'env', value: 'NAME', help: 'environment overlay from habitat.yaml (Argo CD: the environment parameter or HABITAT_ENV)' },
  { name: 'name', value: 'APP', help: 'app name when metadata.name is unset (Argo CD: ARGOCD_APP_NAME); default: the directory name' },
  { name: 'namespace', value: 'NS', help: 'destination namespace (Argo CD: ARGOCD_APP_NAMESPACE)' },
  { name: 'kube-version', value: 'V', help: 'cluster version, e.g. 1.29.3 (Argo CD: KUBE_VERSION)' },
  { name: 'api-versions', value: 'LIST', help: 'API versions the cluster offers, e.g. v1,apps/v1,bitnami.com/v1alpha1 (Argo CD: KUBE_API_VERSIONS)' },
];

export function inputsFromFlags(flags: Record<string, string | boolean>): Inputs {
  const inputs: Inputs = {};
  if (typeof flags.env === 'string') inputs.environment = flags.env;
  if (typeof flags.name === 'string') inputs.appName = flags.name;
  if (typeof flags.namespace === 'string') inputs.namespace = flags.namespace;
  if (typeof flags['kube-version'] === 'string') inputs.kubeVersion = flags['kube-version'];
  if (typeof flags['api-versions'] === 'string') inputs.apiVersions = flags['api-versions'].split(',').map((s) => s.trim()).filter(Boolean);
  return inputs;
}
