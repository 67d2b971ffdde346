/** Ring names as Habitat key files allow them (`<ring>-<revision>.sym.key`). */
export const RING_NAME = /^[A-Za-z0-9_-]+$/;
