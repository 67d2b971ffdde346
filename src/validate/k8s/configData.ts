import { MAX_SECRET_BYTES } from '../checkSecretSizes';
import { finding, type Finding } from './finding';
import { configMapKeyProblem, utf8Length } from './formats';
import { validateObjectMeta } from './objectMeta';
import { asObj, entriesOf, q, type Obj } from './untyped';

function keys(map: unknown, path: string[], what: string): Finding[] {
  return entriesOf(map).flatMap(([k]) => {
    const kp = configMapKeyProblem(k);
    return kp ? [finding('k8s-data-key-invalid', [...path, k], `${what} key ${q(k)} ${kp}`, { key: true })] : [];
  });
}

/** core ValidateConfigMap: keys IsConfigMapKey, no key in both data and binaryData, at most 1 MiB (MaxSecretSize) of values. */
export function validateConfigMap(obj: Obj): Finding[] {
  const out: Finding[] = [...validateObjectMeta(obj.metadata, 'dns1123-subdomain', 'ConfigMap'), ...keys(obj.data, ['data'], 'ConfigMap'), ...keys(obj.binaryData, ['binaryData'], 'ConfigMap')];
  const binary = asObj(obj.binaryData) ?? {};
  let total = 0;
  for (const [k, v] of entriesOf(obj.data)) {
    if (Object.prototype.hasOwnProperty.call(binary, k)) out.push(finding('k8s-data-key-invalid', ['data', k], `ConfigMap key ${q(k)} is in both data and binaryData`, { key: true }));
    total += utf8Length(String(v));
  }
  // binaryData is base64 in the manifest; its decoded size counts.
  for (const [, v] of entriesOf(obj.binaryData)) total += Math.floor((String(v).replace(/=+$/, '').length * 3) / 4);
  if (total > MAX_SECRET_BYTES) out.push(finding('k8s-configmap-too-large', ['data'], `ConfigMap ${q(asObj(obj.metadata)?.name ?? '')} would hold ${total} bytes; Kubernetes allows ${MAX_SECRET_BYTES}`, { hint: 'fewer workloads or replicas per app: split the app' }));
  return out;
}

/** core ValidateSecret: keys of data (stringData is merged into it) are IsConfigMapKey. Its size is checkSecretSizes' job. */
export function validateSecret(obj: Obj): Finding[] {
  return [...validateObjectMeta(obj.metadata, 'dns1123-subdomain', 'Secret'), ...keys(obj.data, ['data'], 'Secret'), ...keys(obj.stringData, ['stringData'], 'Secret')];
}

/** A SealedSecret becomes a Secret with its encryptedData and template data keys; the controller's create is validated like ValidateSecret. */
export function validateSealedSecret(obj: Obj): Finding[] {
  const spec = asObj(obj.spec) ?? {};
  return [
    ...validateObjectMeta(obj.metadata, 'dns1123-subdomain', 'SealedSecret'),
    ...keys(spec.encryptedData, ['spec', 'encryptedData'], 'Secret'),
    ...keys(asObj(spec.template)?.data, ['spec', 'template', 'data'], 'Secret'),
  ];
}
