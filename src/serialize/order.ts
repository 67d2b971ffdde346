import type { K8sObject } from '../render/renderApp';

/** Helm's install order (releaseutil.InstallOrder); kinds not listed go last, by kind name. */
const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];
const RANK = new Map(INSTALL_ORDER.map((k, i) => [k, i]));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Total order: kind rank, kind, namespace, name, apiVersion. No two distinct objects compare equal. */
export function compareObjects(a: K8sObject, b: K8sObject): number {
  const ra = RANK.get(a.kind) ?? INSTALL_ORDER.length;
  const rb = RANK.get(b.kind) ?? INSTALL_ORDER.length;
  return ra - rb || cmp(a.kind, b.kind) || cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name) || cmp(a.apiVersion, b.apiVersion);
}

export const sortObjects = (objs: readonly K8sObject[]): K8sObject[] => [...objs].sort(compareObjects);
