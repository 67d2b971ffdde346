import { error, type Diagnostic, type Position } from '../diag/diagnostic';
import type { K8sObject } from '../render/renderApp';
import { MAX_SECRET_BYTES, secretDataBytes } from './checkSecretSizes';
import { compactJson } from '../serialize/toJson';

/**
 * apimachinery `ValidateAnnotationsSize` (pkg/api/validation/objectmeta.go): the
 * keys and values of all annotations together may hold at most
 * `TotalAnnotationSizeLimitB` = 256 KiB ("metadata.annotations: Too long: must
 * have at most 262144 bytes").
 */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

/** Client-side apply (Argo CD's default) stores the whole applied object here. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/**
 * Argo CD 3.x tracks with `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<ns>/<name>`,
 * added before applying, so it is inside the copy and beside it. The Argo CD app
 * name is not an input here: counted at its longest (253).
 */
const TRACKING_KEY = 'argocd.argoproj.io/tracking-id';
const trackingValueBytes = (o: K8sObject): number => 253 + 1 + o.apiVersion.length + 1 + o.kind.length + 1 + (o.metadata.namespace?.length ?? 0) + 1 + o.metadata.name.length;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Bytes of `JSON.stringify` output as Go's encoding/json writes the same value
 * (kubectl's copy): `<`, `>` and `&` become \u003c-style escapes (+5 bytes) and
 * U+2028/U+2029 are escaped (+3). Control characters match (Go >= 1.22 also
 * writes the short \b and \f).
 */
export function goJsonBytes(json: string): number {
  let extra = 0;
  for (const m of json.matchAll(GO_DIFFERS)) extra += m[0] === '\u2028' || m[0] === '\u2029' ? 3 : 5;
  return utf8(json) + extra;
}

const GO_DIFFERS = /[<>&\u2028\u2029]/g;

const ownAnnotationBytes = (metadata: object): number => Object.entries((metadata as { annotations?: Record<string, string> }).annotations ?? {}).reduce((n, [k, v]) => n + utf8(k) + utf8(v), 0);

/** What client-side apply would put into metadata.annotations, in bytes (an upper estimate). */
export function clientSideApplyAnnotationBytes(o: K8sObject, json = compactJson(o)): number {
  const own = ownAnnotationBytes(o.metadata);
  const tracking = utf8(TRACKING_KEY) + trackingValueBytes(o);
  // The copy holds the object with the tracking annotation (`"key":"value",` in JSON).
  return own + tracking + utf8(LAST_APPLIED) + goJsonBytes(json) + tracking + 6;
}

/**
 * An upper bound that spares the exact count for ordinary objects: each UTF-16
 * unit of JSON is at most 6 bytes in Go's output, the object's own annotations are
 * inside it and beside it (twice), and the tracking annotation and key are < 2 KiB.
 */
const boundedBelowLimit = (json: string): boolean => json.length * 12 + 2048 <= MAX_ANNOTATION_BYTES;

/**
 * Refuses objects that client-side apply cannot store, unless the app declares
 * server-side apply. `where(o)` says which part of habitat.yaml made the object.
 */
export function checkApplySize(objects: readonly K8sObject[], serverSideApply: boolean, where: (o: K8sObject) => Position): Diagnostic[] {
  if (serverSideApply) return [];
  const out: Diagnostic[] = [];
  for (const o of objects) {
    // Refused already (secret-too-large), and server-side apply would not help it.
    if (secretDataBytes(o) > MAX_SECRET_BYTES) continue;
    const json = compactJson(o);
    if (boundedBelowLimit(json)) continue;
    const bytes = clientSideApplyAnnotationBytes(o, json);
    if (bytes <= MAX_ANNOTATION_BYTES) continue;
    // Its own (or its pod template's) annotations are over the limit already: refused at any
    // apply, and reported as k8s-annotations-too-large.
    const template = (o as { spec?: { template?: { metadata?: Record<string, unknown> } } }).spec?.template?.metadata;
    if (ownAnnotationBytes(o.metadata) > MAX_ANNOTATION_BYTES || (template && ownAnnotationBytes(template) > MAX_ANNOTATION_BYTES)) continue;
    out.push(
      error(
        'apply-too-large',
        `${o.kind} "${o.metadata.name}" is too large for client-side apply: its ${LAST_APPLIED} copy makes about ${bytes} bytes of annotations; the limit is ${MAX_ANNOTATION_BYTES}`,
        where(o),
        'make the config smaller, or let Argo CD apply server-side (ServerSideApply=true): set sync.serverSideApply: true in habitat.yaml',
      ),
    );
  }
  return out;
}
