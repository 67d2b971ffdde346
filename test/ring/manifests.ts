/**
 * The simulator's only input: rendered manifests (what Argo CD would apply). It
 * reads them as a cluster would, without any knowledge of habitat.yaml.
 */
import { parseAllDocuments } from 'yaml';

export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
}

export interface Probe {
  httpGet: { path: string; port: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

export interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string };
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Container[]; initContainers?: Container[]; volumes?: Volume[]; terminationGracePeriodSeconds?: number };
}

export interface StatefulSet extends Obj {
  spec: {
    replicas?: number;
    serviceName: string;
    podManagementPolicy?: 'Parallel' | 'OrderedReady';
    updateStrategy?: { type: 'RollingUpdate' | 'OnDelete' };
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
    volumeClaimTemplates?: { metadata: { name: string } }[];
  };
}

export interface Service extends Obj {
  spec: { clusterIP?: string; publishNotReadyAddresses?: boolean; selector?: Record<string, string> };
}

export interface ConfigMap extends Obj {
  data?: Record<string, string>;
}

export function parseManifests(text: string): Obj[] {
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`manifest does not parse: ${doc.errors[0]!.message}`);
    const v = doc.toJS() as Obj | null;
    if (v) out.push(v);
  }
  return out;
}

export const byKind = <T extends Obj>(objs: readonly Obj[], kind: string): T[] => objs.filter((o) => o.kind === kind) as T[];
