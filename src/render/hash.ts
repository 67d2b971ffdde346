import { createHash } from 'node:crypto';

/** Short content hash for pod-template annotations: any change rolls the pods. */
export const contentHash = (...parts: string[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p.length)).update(':').update(p);
  return h.digest('hex').slice(0, 16);
};
