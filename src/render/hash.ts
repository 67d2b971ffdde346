import type { createHash as CreateHash } from 'node:crypto';

// node:crypto is loaded on first use: most renders never hash (no ring key, no
// configUpdate: restart), and loading it costs every start of the CLI.
let createHash: typeof CreateHash | undefined;

/** Short content hash for pod-template annotations: any change rolls the pods. */
export const contentHash = (...parts: string[]): string => {
  createHash ??= process.getBuiltinModule('node:crypto').createHash;
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p.length)).update(':').update(p);
  return h.digest('hex').slice(0, 16);
};
