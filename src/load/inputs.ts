/**
 * Everything outside habitat.yaml that may change the output. Nothing else from
 * the environment is read (and this is read only by the CLI, never while rendering).
 */
export interface Inputs {
  /** Environment overlay to apply. */
  environment?: string;
  /** Default app name when metadata.name is unset. */
  appName?: string;
  /** Destination namespace (ARGOCD_APP_NAMESPACE / --namespace). */
  namespace?: string;
  /** e.g. "1.29.3"; decides API versions such as policy/v1. */
  kubeVersion?: string;
  /** When given: the API versions the cluster offers ("apps/v1", "apps/v1/StatefulSet"). */
  apiVersions?: string[];
  /** Parameter `images`: workload -> image. */
  images?: WorkloadValues;
  /** Parameter `counts`: workload -> count, as strings (Argo parameter maps are strings). */
  counts?: WorkloadValues;
}

/**
 * A parameter map. Argo CD's PARAM_* variables carry workload names only in
 * escaped form (upper case, "-" as "_"), so those are a separate map, matched
 * against the real names once the workloads are known.
 */
export interface WorkloadValues {
  /** Workload name -> value. */
  named: Map<string, string>;
  /** Escaped workload name (PARAM_IMAGES_WEB_APP: "WEB_APP") -> value. */
  escaped: Map<string, string>;
}
