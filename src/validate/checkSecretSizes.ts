import { error, type Diagnostic, type Position } from '../diag/diagnostic';
import type { K8sObject } from '../render/renderApp';

/** The API server refuses Secrets whose data exceed 1 MiB; better to say so before Argo CD tries. */
export const MAX_SECRET_BYTES = 1024 * 1024;

const size = (m: unknown): number =>
  m && typeof m === 'object' ? Object.entries(m as Record<string, string>).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(String(v)), 0) : 0;

/** The data a Secret (or the Secret a SealedSecret makes) holds, as the 1 MiB limit counts it. */
export function secretDataBytes(o: K8sObject): number {
  const spec = o.spec as { encryptedData?: object; template?: { data?: object } } | undefined;
  return o.kind === 'Secret' ? size(o.stringData) : o.kind === 'SealedSecret' ? size(spec?.encryptedData) + size(spec?.template?.data) : 0;
}

/** `where(workload)` says where that workload's config comes from; undefined workload means the ring key. */
export function checkSecretSizes(objects: readonly K8sObject[], where: (workload?: string) => Position): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const o of objects) {
    if (o.kind !== 'Secret' && o.kind !== 'SealedSecret') continue;
    const bytes = secretDataBytes(o);
    if (bytes <= MAX_SECRET_BYTES) continue;
    const workload = o.metadata.name.replace(/-config$/, '');
    out.push(
      error('secret-too-large', `${o.kind} "${o.metadata.name}" would hold ${bytes} bytes; Kubernetes limits a Secret to ${MAX_SECRET_BYTES}`, where(o.metadata.name.endsWith('-config') ? workload : undefined), 'keep user.toml small: large data belongs in the package or a volume'),
    );
  }
  return out;
}
