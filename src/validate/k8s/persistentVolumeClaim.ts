import { dns1123LabelProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding } from './finding';
import { dns1123SubdomainProblem } from './formats';
import { validateAnnotations, validateLabels } from './objectMeta';
import { compareQuantity, parseQuantity } from './quantity';
import { asList, asObj, asStr, q } from './untyped';

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** core ValidatePersistentVolumeClaimSpec. */
function claimSpec(raw: unknown, p: FieldPath): Finding[] {
  const spec = asObj(raw) ?? {};
  const out: Finding[] = [];
  const modes = asList(spec.accessModes).map(String);
  if (modes.length === 0) out.push(finding('k8s-access-modes-invalid', [...p, 'accessModes'], 'a volume claim needs at least one access mode'));
  modes.forEach((m, i) => {
    if (!ACCESS_MODES.includes(m)) out.push(finding('k8s-access-modes-invalid', [...p, 'accessModes', i], `access mode ${q(m)} is not supported`, { hint: `use ${ACCESS_MODES.join(', ')}` }));
  });
  if (modes.includes('ReadWriteOncePod') && modes.some((m) => m !== 'ReadWriteOncePod' && ACCESS_MODES.includes(m))) {
    out.push(finding('k8s-access-modes-invalid', [...p, 'accessModes'], 'ReadWriteOncePod cannot be combined with other access modes', { hint: 'list ReadWriteOncePod alone' }));
  }
  const sp = [...p, 'resources', 'requests', 'storage'];
  const storage = asObj(asObj(spec.resources)?.requests)?.storage;
  if (storage === undefined) out.push(finding('k8s-storage-size-invalid', sp, 'a volume claim needs a storage request'));
  else {
    // ValidatePositiveQuantityValue, then ValidateResourceQuantityValue.
    const v = parseQuantity(String(storage));
    if (!v) out.push(finding('k8s-storage-size-invalid', sp, `storage size ${q(String(storage))} is not a Kubernetes quantity`, { hint: 'e.g. 512Mi, 10Gi' }));
    else if (compareQuantity(v, { negative: false, m: 0n, e: 0 }) <= 0) out.push(finding('k8s-storage-size-invalid', sp, `storage size ${q(String(storage))} must be greater than zero`, { hint: 'e.g. 512Mi, 10Gi' }));
  }
  const cls = asStr(spec.storageClassName);
  // ValidateClassName (NameIsDNSSubdomain); "" asks for no class and is fine.
  if (cls) {
    const cp = dns1123SubdomainProblem(cls);
    if (cp) out.push(finding('k8s-storage-class-name-invalid', [...p, 'storageClassName'], `StorageClass name ${q(cls)} ${cp}`, { hint: 'StorageClass names are lowercase DNS names: letters, digits, "-" and "."' }));
  }
  const mode = asStr(spec.volumeMode);
  if (mode !== undefined && mode !== 'Filesystem' && mode !== 'Block') out.push(finding('k8s-access-modes-invalid', [...p, 'volumeMode'], `volumeMode ${q(mode)} is not supported`));
  return out;
}

/**
 * core ValidatePersistentVolumeClaimTemplate for a StatefulSet's claim template:
 * checked by the API server from Kubernetes 1.34 (ValidateVolumeClaimTemplates),
 * and when the StatefulSet controller creates each claim in any version.
 */
export function validatePersistentVolumeClaimTemplate(raw: unknown, p: FieldPath): Finding[] {
  const t = asObj(raw) ?? {};
  const meta = asObj(t.metadata) ?? {};
  const out: Finding[] = [...validateLabels(meta.labels, [...p, 'metadata', 'labels']), ...validateAnnotations(meta.annotations, [...p, 'metadata', 'annotations'])];
  // The template's name becomes a pod volume name (a DNS label).
  const name = asStr(meta.name) ?? '';
  const np = dns1123LabelProblem(name);
  if (np) out.push(finding('k8s-volume-invalid', [...p, 'metadata', 'name'], `volume claim template name ${q(name)} ${np}`));
  out.push(...claimSpec(t.spec, [...p, 'spec']));
  return out;
}
