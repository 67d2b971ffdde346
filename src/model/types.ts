import type { TomlTable } from '../parse/parseToml';

export type Topology = 'standalone' | 'leader';
export type Scope = 'strict' | 'namespace-wide' | 'cluster-wide';

export interface Bind {
  name: string;
  service: string;
  group: string;
  /** Set when the producer is a workload of this app. */
  workload?: string;
}

export interface Port {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface Persistence {
  size: string;
  mountPath: string;
  storageClassName?: string;
  accessModes: string[];
}

export interface Workload {
  name: string;
  image: string;
  service: string;
  group: string;
  topology: Topology;
  count: number;
  channel?: string;
  bindingMode: 'strict' | 'relaxed';
  /** Plain user.toml: configFile merged with `config` (config wins). */
  config: TomlTable;
  /** Dotted TOML path -> sealed value (ciphertext, base64). Sorted by path. */
  secrets: [string, string][];
  binds: Bind[];
  ports: Port[];
  persistence?: Persistence;
  /** User env, sorted by name. */
  env: [string, string][];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  configUpdate: 'reload' | 'restart';
  pod: Record<string, unknown>;
}

/** Another app whose gossip ring this app shares (`ring.join`). */
export interface RingJoin {
  app: string;
  /** Unset: the same namespace as this app's pods. */
  namespace?: string;
  /** Its service groups that this app may bind to. */
  groups: { service: string; group: string }[];
}

export interface AppModel {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  ringSealedKey?: string;
  /** Sorted by app, then namespace. */
  join: RingJoin[];
  scope: Scope;
  /** Argo CD applies server-side (habitat.yaml sync.serverSideApply): no client-side-apply size limit. */
  serverSideApply: boolean;
  /** Opt-in sync wave for SealedSecrets (habitat.yaml sync.sealedSecretsWave); none by default. */
  sealedSecretsWave?: number;
  /** policy/v1 or policy/v1beta1, from KUBE_VERSION. */
  pdbApiVersion: 'policy/v1' | 'policy/v1beta1';
  /** Sorted by name. */
  workloads: Workload[];
}
