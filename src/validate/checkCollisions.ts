import { error, type Diagnostic } from '../diag/diagnostic';
import type { K8sObject } from '../render/renderApp';
import type { Locator } from './locator';

/** A SealedSecret produces a Secret of the same name, so the two share one namespace of names. */
const nameKind = (kind: string) => (kind === 'SealedSecret' ? 'Secret' : kind);

/** Two rendered objects with the same kind/namespace/name would overwrite each other in the cluster. */
export function checkCollisions(objects: readonly K8sObject[], workloads: readonly string[], loc: Locator): Diagnostic[] {
  const seen = new Map<string, K8sObject>();
  const out: Diagnostic[] = [];
  for (const o of objects) {
    const key = `${nameKind(o.kind)}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const prev = seen.get(key);
    if (!prev) {
      seen.set(key, o);
      continue;
    }
    const culprit = workloads.find((w) => o.metadata.name === w || o.metadata.name.startsWith(w + '-')) ?? workloads.find((w) => prev.metadata.name.startsWith(w));
    out.push(
      error(
        'name-collision',
        prev.kind === o.kind ? `two ${o.kind}s would both be named "${o.metadata.name}"` : `a ${prev.kind} and a ${o.kind} would both produce the Secret "${o.metadata.name}"`,
        culprit ? loc.at(['services', culprit], 'key') : loc.at(['metadata', 'name']),
        'rename the workload: names ending in -ring, -peers, -ring-key or -config can clash with the objects habitat-cmp renders for the app',
      ),
    );
  }
  return out;
}
