/**
 * What `diff` reports. Nothing here holds Secret data, sealed values or hashes
 * of them: objects are redacted before they are serialised (redact.ts), so every
 * output format is built from redacted material only.
 */
export type Severity = 'error' | 'warning' | 'info';

/** `error`: the sync will fail; `warning`: needs a human; `info`: expected effect. */
export type ImpactKind = 'sync-fails' | 'rolls' | 'reloads' | 'restart-needed' | 'leader' | 'prunes' | 'sealed' | 'namespace' | 'switch' | 'scales' | 'creates';

export interface ObjectRef {
  /** API group, "" for the core group. */
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ImpactItem {
  kind: ImpactKind;
  severity: Severity;
  object?: ObjectRef;
  /** One line a reviewer can act on. */
  summary: string;
  /** Reasons and facts, one per line. */
  details: string[];
  /** Commands to run (shell), in order; comments start with "#". */
  commands: string[];
}

export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface SecretDataChange {
  /** `data.user.toml`, `spec.encryptedData.requirepass`, … */
  field: string;
  status: ChangeStatus;
}

export interface ObjectEntry {
  ref: ObjectRef;
  apiVersion: string;
  status: ChangeStatus;
  /** Unified diff of the redacted YAML; "" unless changed. */
  diff: string;
  /** Secret data and sealed values: only whether each changed. */
  secrets: SecretDataChange[];
}

export interface SideInfo {
  /** What the user named: a revision, "working tree", or a directory. */
  label: string;
  /** Full commit id for git revisions. */
  commit?: string;
  /** The app does not exist on this side (no habitat.yaml): everything is added or pruned. */
  absent?: boolean;
}

export interface DiffReport {
  app: string;
  base: SideInfo;
  head: SideInfo;
  impact: ImpactItem[];
  objects: ObjectEntry[];
  counts: Record<ChangeStatus, number>;
}

export const refText = (r: ObjectRef): string => `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
