/**
 * What the rendered-object validators report: a problem at a field of a
 * rendered object. `checkRenderedObjects` turns it into a positioned diagnostic
 * at the habitat.yaml value the field came from.
 *
 * The codes are a closed set so every rule is listed once here and each has an
 * error case in test/cases.
 */
export type K8sCode =
  // object metadata (apimachinery ValidateObjectMetaAccessor, ValidateLabels, ValidateAnnotations)
  | 'k8s-name-invalid'
  | 'k8s-namespace-invalid'
  | 'k8s-label-key-invalid'
  | 'k8s-label-value-invalid'
  | 'k8s-annotation-key-invalid'
  | 'k8s-annotations-too-large'
  | 'k8s-annotation-value-invalid'
  // pod spec and its container (core ValidatePodSpec, validateContainerCommon)
  | 'k8s-volume-invalid'
  | 'k8s-container-invalid'
  | 'k8s-container-port-invalid'
  | 'env-name-invalid'
  | 'k8s-mount-path-duplicate'
  | 'k8s-mount-invalid'
  | 'k8s-probe-invalid'
  | 'k8s-resource-name-invalid'
  | 'k8s-resource-quantity-invalid'
  | 'k8s-resources-request-exceeds-limit'
  | 'k8s-resources-request-must-equal-limit'
  | 'k8s-resources-limit-required'
  | 'k8s-resources-hugepages-need-cpu-or-memory'
  | 'k8s-restart-policy-invalid'
  | 'k8s-node-selector-invalid'
  | 'k8s-toleration-invalid'
  | 'k8s-affinity-invalid'
  | 'k8s-topology-spread-invalid'
  | 'k8s-security-context-invalid'
  | 'k8s-service-account-name-invalid'
  | 'k8s-priority-class-name-invalid'
  | 'k8s-runtime-class-name-invalid'
  | 'k8s-dns-policy-invalid'
  | 'k8s-dns-config-invalid'
  | 'k8s-host-alias-invalid'
  | 'k8s-image-pull-secret-invalid'
  // the kubelet refuses to start the container (pkg/kubelet)
  | 'k8s-run-as-non-root-image-root'
  | 'k8s-sysctl-not-safe'
  // StatefulSet, its claim templates and the pods and claims its controller creates
  | 'k8s-statefulset-invalid'
  | 'k8s-statefulset-pod-name-invalid'
  | 'k8s-storage-class-name-invalid'
  | 'k8s-storage-size-invalid'
  | 'k8s-access-modes-invalid'
  // Service, PodDisruptionBudget, ConfigMap, Secret
  | 'k8s-service-invalid'
  | 'k8s-service-port-invalid'
  | 'k8s-pdb-invalid'
  | 'k8s-data-key-invalid'
  | 'k8s-configmap-too-large';

export type FieldPath = readonly (string | number)[];

export interface Finding {
  code: K8sCode;
  /** Path of the offending field from the rendered object's root, e.g. ['spec', 'template', 'spec', 'tolerations', 0, 'operator']. */
  path: FieldPath;
  /** The map key at `path` is at fault (a label key, an env name), not its value. */
  key?: boolean;
  message: string;
  hint?: string;
  warning?: boolean;
}

export const finding = (code: K8sCode, path: FieldPath, message: string, extra: Omit<Finding, 'code' | 'path' | 'message'> = {}): Finding => ({ code, path, message, ...extra });
