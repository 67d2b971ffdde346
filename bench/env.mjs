// The environments the benchmark runs commands in.
//
// Argo CD's sidecar runs `generate` with argocd-cmp-server's own environment plus the
// request's variables (reference/argocd-cmp-contract.md §2.2: `env := append(os.Environ(),
// environ(envEntries)...)`, cmd.Dir = the app's directory). The sidecar image's own
// environment is the Node base image's: PATH, HOME=/tmp and a few informational variables
// (NODE_VERSION, YARN_VERSION, HOSTNAME, KUBERNETES_*) that Node does not read. It has no
// NODE_EXTRA_CA_CERTS and no NODE_OPTIONS: on the machines this benchmark was first run on,
// NODE_EXTRA_CA_CERTS pointed at the system CA bundle and cost every Node start ≈ 60 ms
// (Node parses the whole bundle at start-up), which the sidecar never pays. So every
// command here gets only PATH and HOME, and `generate` gets Argo CD's request variables on
// top.
import { dirname } from 'node:path';

/** PATH and HOME only (HOME=/tmp as in the sidecar image). `nodeBin`'s directory goes first. */
export function cleanEnv(nodeBin = process.execPath) {
  const path = [dirname(nodeBin), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  return { PATH: [...new Set(path)].join(':'), HOME: '/tmp' };
}

/**
 * What `kubectl api-versions` plus kinds gives Argo CD for a Kubernetes 1.31 cluster with
 * Argo CD and Sealed Secrets installed: "group/version" and "group/version/Kind", sorted
 * (Argo CD sends both forms; reference §2.2 `KUBE_API_VERSIONS`).
 */
const API_KINDS = {
  v1: ['Binding', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'],
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'argoproj.io/v1alpha1': ['AppProject', 'Application', 'ApplicationSet'],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenReview'],
  'authorization.k8s.io/v1': ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['CronJob', 'Job'],
  'bitnami.com/v1alpha1': ['SealedSecret'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'flowcontrol.apiserver.k8s.io/v1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['IngressClass', 'Ingress', 'NetworkPolicy'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'policy/v1': ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': ['ClusterRoleBinding', 'ClusterRole', 'RoleBinding', 'Role'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'CSIStorageCapacity', 'StorageClass', 'VolumeAttachment'],
};
export const KUBE_VERSION = '1.31.0';
export const API_VERSIONS = Object.entries(API_KINDS)
  .flatMap(([gv, kinds]) => [gv, ...kinds.map((k) => `${gv}/${k}`)])
  .sort();

/**
 * The request variables argocd-cmp-server adds for `generate` of an Application named
 * `app` (plugin selected by name, no parameters set: ARGOCD_APP_PARAMETERS=null).
 */
export function argoEnv(nodeBin, { app, namespace, path }) {
  const revision = '3f5e9a1c0b7d4e2f8a6c1b9d0e3f7a5c2b8d4e6f';
  return {
    ...cleanEnv(nodeBin),
    ARGOCD_APP_NAME: app,
    ARGOCD_APP_NAMESPACE: namespace,
    ARGOCD_APP_PROJECT_NAME: 'default',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/platform/apps.git',
    ARGOCD_APP_SOURCE_PATH: path,
    ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
    KUBE_VERSION,
    KUBE_API_VERSIONS: API_VERSIONS.join(','),
    ARGOCD_APP_PARAMETERS: 'null',
  };
}

/**
 * `helm template` as Argo CD's repo-server runs it for a Helm source (util/helm/cmd.go:
 * chart path ".", cwd the app's directory, release name, namespace, kube version, one
 * --api-versions per entry, --include-crds).
 */
export function helmTemplateArgs({ app, namespace }) {
  return ['template', '.', '--name-template', app, '--namespace', namespace, '--kube-version', KUBE_VERSION, ...API_VERSIONS.flatMap((v) => ['--api-versions', v]), '--include-crds'];
}
