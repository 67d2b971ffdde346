import { isPlainObject } from '../model/deepMerge';
import { RESERVED_PORTS } from '../validate/checkWorkloads';
import { portNameProblem } from '../validate/dnsNames';
import type { ManifestObject } from './parseManifests';
import type { OperatorHabitat } from './readHabitat';

export interface ImportedPort {
  name: string;
  port: number;
  targetPort?: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** What one Service of the input means for the import. */
export interface ServiceReading {
  /** The one Habitat whose pods it selects, if exactly one. */
  habitat?: OperatorHabitat;
  /** Ports that can become `ports` of that workload. */
  ports: ImportedPort[];
  /** Type and node ports, which the rendered ClusterIP Service does not have. */
  exposure: string[];
  /** Ports left out, with why. */
  dropped: string[];
  /** Why nothing is carried, when nothing is. */
  reason?: string;
}


/** The labels the operator put on pods (stateful_sets.go; legacy Deployments lacked operator.habitat.sh/topology). */
export function operatorPodLabels(h: OperatorHabitat): Record<string, string> {
  return {
    habitat: 'true',
    'habitat-name': h.name,
    topology: h.topology,
    ...(h.layout === 'v1beta2' ? { 'operator.habitat.sh/topology': h.topology } : {}),
  };
}

/**
 * The operator created no Service; users wrote their own, selecting the
 * operator's pod labels. Those labels do not exist on habitat-cmp pods, so the
 * Service itself cannot be kept as is. Its numeric ports can: they become the
 * workload's `ports` (a ClusterIP Service named after the workload). Named
 * target ports never resolved (the operator declared no container ports), and
 * the Supervisor's own ports are already on the ring Service.
 */
export function readService(svc: ManifestObject, habitats: readonly OperatorHabitat[]): ServiceReading {
  const spec = isPlainObject(svc.value.spec) ? svc.value.spec : {};
  const exposure: string[] = [];
  const dropped: string[] = [];
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  if (type !== 'ClusterIP') exposure.push(type);
  const selector = isPlainObject(spec.selector) ? spec.selector : {};
  const sel = Object.entries(selector);
  if (sel.length === 0) return { ports: [], exposure, dropped, reason: 'it has no selector' };
  const matches = habitats.filter((h) => {
    const labels = operatorPodLabels(h);
    return sel.every(([k, v]) => labels[k] === String(v));
  });
  if (matches.length === 0) return { ports: [], exposure, dropped, reason: 'it selects no pod of an imported Habitat' };
  if (matches.length > 1) return { ports: [], exposure, dropped, reason: `it selects pods of ${matches.length} Habitats (${matches.map((h) => h.name).sort().join(', ')}); ports belong to one workload` };
  const ports: ImportedPort[] = [];
  const rawPorts = Array.isArray(spec.ports) ? spec.ports : [];
  for (const p of rawPorts) {
    if (!isPlainObject(p) || typeof p.port !== 'number') continue;
    const protocol = p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP';
    if (typeof p.nodePort === 'number') exposure.push(`nodePort ${p.nodePort}`);
    if (typeof p.targetPort === 'string') {
      dropped.push(`${p.port} (named targetPort: no operator container declared ports)`);
      continue;
    }
    const target = typeof p.targetPort === 'number' ? p.targetPort : p.port;
    if (RESERVED_PORTS.has(target)) {
      dropped.push(`${p.port} (the Supervisor's, on the ring Service)`);
      continue;
    }
    const name = typeof p.name === 'string' && !portNameProblem(p.name) ? p.name : `port-${p.port}`;
    ports.push({ name, port: p.port, ...(target !== p.port ? { targetPort: target } : {}), ...(protocol !== 'TCP' ? { protocol } : {}) });
  }
  return { habitat: matches[0]!, ports, exposure, dropped };
}
