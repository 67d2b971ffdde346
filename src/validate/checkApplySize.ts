import { error, type Diagnostic, type Position } from '../diag/diagnostic';
import type { K8sObject } from '../render/renderApp';

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
 * Bytes of the object as Go's encoding/json writes it (kubectl's copy): HTML
 * characters become \u003c-style escapes, \b and \f become \u0008/\u000c, and
 * U+2028/U+2029 are escaped; JSON.stringify does none of that.
 */
export function goJsonBytes(v: unknown): number {
  return utf8(JSON.stringify(v)) + goExtra(v);
}

const GO_ESCAPED = /[<>&\u2028\u2029\b\f]/g;
const extraOf = (s: string): number => {
  let n = 0;
  for (const m of s.matchAll(GO_ESCAPED)) n += m[0] === '\u2028' || m[0] === '\u2029' ? 3 : m[0] === '\b' || m[0] === '\f' ? 4 : 5;
  return n;
};

function goExtra(v: unknown): number {
  if (typeof v === 'string') return extraOf(v);
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) for (const x of v) n += goExtra(x);
  else for (const [k, x] of Object.entries(v)) n += extraOf(k) + goExtra(x);
  return n;
}

/** What client-side apply would put into metadata.annotations, in bytes (an upper estimate). */
export function clientSideApplyAnnotationBytes(o: K8sObject): number {
  const own = Object.entries((o.metadata as { annotations?: Record<string, string> }).annotations ?? {}).reduce((n, [k, v]) => n + utf8(k) + utf8(v), 0);
  const tracking = utf8(TRACKING_KEY) + trackingValueBytes(o);
  // The copy holds the object with the tracking annotation (`"key":"value",` in JSON).
  return own + tracking + utf8(LAST_APPLIED) + goJsonBytes(o) + tracking + 6;
}

/**
 * Refuses objects that client-side apply cannot store, unless the app declares
 * server-side apply. `where(o)` says which part of habitat.yaml made the object.
 */
export function checkApplySize(objects: readonly K8sObject[], serverSideApply: boolean, where: (o: K8sObject) => Position): Diagnostic[] {
  if (serverSideApply) return [];
  const out: Diagnostic[] = [];
  for (const o of objects) {
    const bytes = clientSideApplyAnnotationBytes(o);
    if (bytes <= MAX_ANNOTATION_BYTES) continue;
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
