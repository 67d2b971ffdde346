// Types for image.mjs, so TypeScript tests can import it under `strict`.
export declare const ROOT: string;
export declare const STAND_IN: { image: string; suite: string; node: string; npm: string; corepack: string; yarn: string; revision: number };
export declare const STAND_IN_LABEL: string;
export declare class ImageUnavailable extends Error {}
export declare function cacheDir(): string;
/** Why this machine cannot build the image at all (not Linux, not root, no buildah and no apt-get), or null. */
export declare function unavailableReason(): string | null;
export declare function ensureCommands(needs: Record<string, string>, log?: (msg: string) => void): Promise<void>;
export declare function dockerfileBase(dockerfile?: string): string;
export declare function qualify(ref: string): string;
export declare function inspectImage(ref: string): Promise<OciImage | null>;
export declare function standInKey(): string;
export declare function ensureBase(log?: (msg: string) => void): Promise<{ ref: string; standIn: boolean }>;
/** Uncompressed layer sizes in bytes, bottom first. */
export declare function layerSizes(ref: string): Promise<number[]>;
export declare function imageSize(ref: string): Promise<number>;
export declare function buildImage(opts?: { tag?: string; log?: (msg: string) => void }): Promise<{ id: string; tag: string; size: number; base: { ref: string; standIn: boolean } }>;
/** A container of `image` (named habitat-cmp-<what>-<pid>[-<suffix>]) with its rootfs mounted here; release() removes it. */
export declare function mountImage(image: string, what: string, suffix?: string): Promise<{ rootfs: string; release: () => Promise<unknown> }>;
export declare function sandboxArgv(opts: { rootfs: string; tmp: string; cwd: string; env: Record<string, string>; argv: string[]; uid: number; gid: number }): string[];

/** The parts of `buildah inspect --type image` the tests read. */
export interface OciImage {
  Manifest: string;
  OCIv1: {
    config: {
      User?: string;
      Env?: string[];
      Entrypoint?: string[];
      Cmd?: string[];
      WorkingDir?: string;
      Labels?: Record<string, string>;
    };
  };
}
