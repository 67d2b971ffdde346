import type { Inputs, WorkloadValues } from '../load/inputs';
import { UsageError } from './args';
import type { FlagDoc } from './commandSpec';

/** The inputs Argo CD gives `generate`, as flags of render and validate. */
export const RENDER_FLAGS: readonly FlagDoc[] = [
  { name: 'env', value: 'NAME', help: 'environment overlay from habitat.yaml (Argo CD: the environment parameter or HABITAT_ENV)' },
  { name: 'name', value: 'APP', help: 'app name when metadata.name is unset (Argo CD: ARGOCD_APP_NAME); default: the directory name' },
  { name: 'namespace', value: 'NS', help: 'destination namespace (Argo CD: ARGOCD_APP_NAMESPACE)' },
  { name: 'kube-version', value: 'V', help: 'cluster version, e.g. 1.29.3 (Argo CD: KUBE_VERSION)' },
  { name: 'api-versions', value: 'LIST', help: 'API versions the cluster offers, e.g. v1,apps/v1,bitnami.com/v1alpha1 (Argo CD: KUBE_API_VERSIONS)' },
  { name: 'images', value: 'W=IMAGE,..', help: 'the images parameter: an image per workload (Argo CD: ARGOCD_APP_PARAMETERS)' },
  { name: 'counts', value: 'W=N,..', help: 'the counts parameter: replicas per workload (Argo CD: ARGOCD_APP_PARAMETERS)' },
];

/** `--images web=reg/web:2,db=reg/db:1`: the Application's `images`/`counts` parameter maps. */
function parameterMap(flag: string, value: string): WorkloadValues {
  const named = new Map<string, string>();
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} takes WORKLOAD=VALUE pairs separated by commas`);
    named.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return { named, escaped: new Map() };
}

export function inputsFromFlags(flags: Record<string, string | boolean>): Inputs {
  const inputs: Inputs = {};
  if (typeof flags.env === 'string') inputs.environment = flags.env;
  if (typeof flags.name === 'string') inputs.appName = flags.name;
  if (typeof flags.namespace === 'string') inputs.namespace = flags.namespace;
  if (typeof flags['kube-version'] === 'string') inputs.kubeVersion = flags['kube-version'];
  if (typeof flags['api-versions'] === 'string') inputs.apiVersions = flags['api-versions'].split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof flags.images === 'string') inputs.images = parameterMap('images', flags.images);
  if (typeof flags.counts === 'string') inputs.counts = parameterMap('counts', flags.counts);
  return inputs;
}
