import type { TomlTable } from '../parse/parseToml';
import type { SealingScope } from '../seal/scopeLabel';
import type { OperatorHabitat, Topology } from './readHabitat';
import type { ImportedPort } from './readService';

/** user.toml of a Habitat, from its config Secret. The text is secret: never printed. */
export interface ImportedConfig {
  secret: string;
  text: string;
  table: TomlTable;
}

/** A workload of the habitat.yaml to write; fields left undefined take habitat.yaml's defaults. */
export interface ImportedWorkload {
  name: string;
  habitat: OperatorHabitat;
  image: string;
  service?: string;
  group?: string;
  topology: Topology;
  count: number;
  channel?: string;
  /** Bind name -> a workload of this app, or a service group of a joined app. Sorted by name. */
  binds: [string, string | { service: string; group: string }][];
  env: [string, string][];
  ports: ImportedPort[];
  persistence?: { size: string; mountPath: string; storageClassName?: string };
  config?: ImportedConfig;
}

export interface RingJoin {
  app: string;
  /** `service.group` names this app binds to in that app. */
  groups: string[];
}

export interface ImportedApp {
  /** metadata.name; undefined leaves it to Argo CD's Application name (or the directory). */
  name?: string;
  namespace?: string;
  /** Output directory relative to --out: "" for a single app. */
  dir: string;
  /** The ring key file (secret: never printed) and the Secret it came from. */
  ringKey?: { content: string; secret: string };
  scope: SealingScope;
  join: RingJoin[];
  /** Sorted by name. */
  workloads: ImportedWorkload[];
}
