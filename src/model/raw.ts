/**
 * habitat.yaml after schema validation and overlay merge: shapes are guaranteed,
 * values unchecked. Integers beyond 2^53 are bigints; inside `config`, floats are
 * ExactFloat (see numbersOutsideConfig).
 */
export interface RawService {
  image?: string;
  service?: string;
  group?: string;
  topology?: 'standalone' | 'leader';
  count?: number;
  channel?: string;
  bindingMode?: 'strict' | 'relaxed';
  config?: Record<string, unknown>;
  configFile?: string;
  secrets?: Record<string, string>;
  binds?: Record<string, string | { service: string; group?: string }>;
  ports?: { name: string; port: number; targetPort?: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
  persistence?: { size: string | number | bigint; mountPath: string; storageClassName?: string; accessModes?: string[] };
  env?: Record<string, string | number | bigint | boolean>;
  resources?: { requests?: Record<string, string | number | bigint>; limits?: Record<string, string | number | bigint> };
  configUpdate?: 'reload' | 'restart';
  pod?: Record<string, unknown>;
}

export interface RawRingJoin {
  app: string;
  namespace?: string;
  groups?: string[];
}

export interface RawApp {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string | number | bigint | boolean> };
  ring?: { sealedKey?: string; join?: RawRingJoin[] };
  sealing?: { certificate?: string; scope?: 'strict' | 'namespace-wide' | 'cluster-wide' };
  sync?: { serverSideApply?: boolean; sealedSecretsWave?: number };
  services: Record<string, RawService>;
  environments?: Record<string, { metadata?: object; ring?: object; sync?: object; services?: Record<string, RawService | null> }>;
}
