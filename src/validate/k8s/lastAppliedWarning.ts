import { finding, type Finding } from './finding';
import { utf8Length } from './formats';
import { MAX_SECRET_BYTES } from '../checkSecretSizes';
import { MAX_ANNOTATIONS_BYTES } from './objectMeta';
import { asObj, entriesOf, q, type Obj } from './untyped';
import { compactJson } from '../../serialize/toJson';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Argo CD applies client-side by default, which stores the whole object as JSON
 * in the last-applied-configuration annotation; the API server then refuses the
 * object once all annotations pass 256 KiB (ValidateAnnotations). A warning, not
 * an error: the ServerSideApply=true or Replace=true sync options avoid it.
 * The JSON here is compact, like kubectl's, so the estimate is a lower bound.
 */
export function lastAppliedWarning(obj: Obj): Finding[] {
  const annotations = entriesOf(asObj(obj.metadata)?.annotations).reduce((n, [k, v]) => n + utf8Length(k) + utf8Length(String(v)), 0);
  const total = annotations + utf8Length(LAST_APPLIED) + utf8Length(compactJson(obj)) + 1;
  // Past the 1 MiB data limit of Secrets and ConfigMaps there is a hard error already.
  if (total <= MAX_ANNOTATIONS_BYTES || (/^(Secret|SealedSecret|ConfigMap)$/.test(String(obj.kind)) && total > MAX_SECRET_BYTES)) return [];
  return [
    finding('k8s-last-applied-too-large', [], `${String(obj.kind)} ${q(asObj(obj.metadata)?.name ?? '')} is about ${total} bytes of JSON; client-side apply stores it in an annotation limited to ${MAX_ANNOTATIONS_BYTES}`, {
      warning: true,
      hint: 'sync this Application with ServerSideApply=true (or Replace=true), or make the object smaller',
    }),
  ];
}
