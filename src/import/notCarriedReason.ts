import { isPlainObject } from '../model/deepMerge';
import type { ManifestObject } from './parseManifests';


const RBAC = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount']);

function images(v: Record<string, unknown>): string[] {
  const tpl = isPlainObject(v.spec) && isPlainObject(v.spec.template) && isPlainObject(v.spec.template.spec) ? v.spec.template.spec : undefined;
  const containers = tpl && Array.isArray(tpl.containers) ? tpl.containers : [];
  return containers.filter(isPlainObject).map((c) => String(c.image ?? ''));
}

/** What an object of the input is, and what to do with it, when habitat.yaml cannot hold it: [message, hint]. */
export function notCarriedReason(obj: ManifestObject): [string, string] {
  const v = obj.value;
  const kind = typeof v.kind === 'string' ? v.kind : '(no kind)';
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
  const labels = isPlainObject(meta.labels) ? meta.labels : {};
  const it = `${kind} ${name}`;
  if (kind === 'CustomResourceDefinition' && name === 'habitats.habitat.sh') {
    return [`${it} (the Habitat CRD) is not needed by habitat-cmp; not carried`, 'delete it after the migration, once no Habitat objects are left'];
  }
  if ((kind === 'Deployment' || kind === 'Pod') && (/habitat-operator/.test(name) || images(v).some((i) => /habitat-operator/.test(i)))) {
    return [`${it} runs the Habitat Operator itself; not carried`, 'habitat-cmp needs no controller: delete the operator after the migration'];
  }
  if (RBAC.has(kind)) return [`${it} is RBAC; habitat-cmp renders none, not carried`, 'keep it elsewhere if something still needs it; the operator\'s own RBAC can go with the operator'];
  if (kind === 'StorageClass') return [`${it} is cluster storage setup; not carried`, 'manage it outside the app; persistence.storageClassName refers to it by name'];
  if (kind === 'Namespace') return [`${it} is not created by habitat-cmp; not carried`, 'create it beforehand, or let Argo CD create it (syncOptions: CreateNamespace=true)'];
  if (kind === 'ConfigMap' && name === 'peer-watch-file') return [`${it} is the operator's peer list; not carried`, 'habitat-cmp renders its own seed data (ConfigMap <app>-peers)'];
  if ((kind === 'StatefulSet' || kind === 'Deployment' || kind === 'Pod' || kind === 'PersistentVolumeClaim') && typeof labels['habitat-name'] === 'string') {
    return [`${it} was created by the operator for Habitat ${String(labels['habitat-name'])}; not carried`, 'habitat-cmp renders its own; existing PVCs named persistent-<habitat>-<n> are reused by the new StatefulSet'];
  }
  if (kind === 'Secret') return [`${it} is named by no imported Habitat; not carried`, 'seal what the app needs with "habitat-cmp seal"'];
  if (kind === 'ConfigMap') return [`${it} is not read by any imported Habitat; not carried`, 'keep it in your own manifests if something else reads it'];
  if (kind === 'Habitat') return [`${it} is not a Habitat object habitat-cmp can read; not carried`, 'only apiVersion habitat.sh/v1beta1 is read'];
  return [`${it} (${String(v.apiVersion ?? 'no apiVersion')}) is nothing habitat.yaml can express; not carried`, 'keep it in your own manifests (e.g. a second Argo CD source) if the app needs it'];
}
