import type { Diagnostic } from '../diag/diagnostic';
import type { Source } from '../load/decodeText';
import type { Inputs } from '../load/inputs';
import type { RepoFs } from '../load/repoFs';
import { renderAction } from './render';

/**
 * The dynamic parameter announcement (plugin.yaml parameters.dynamic): the
 * current values, after the selected environment and any parameters already
 * set. Argo CD calls it with a reduced env (no namespace, no KUBE_*), so only
 * problems that stop us from reading the app fail it; the rest surface in generate.
 */
export function parametersAction(fs: RepoFs, inputs: Inputs): { announcement?: object[]; diagnostics: Diagnostic[]; sources: Map<string, Source> } {
  const result = renderAction(fs, inputs);
  if (!result.raw) return { diagnostics: result.diagnostics, sources: result.sources };
  const services = result.raw.services;
  const names = Object.keys(services).sort();
  const announcement = [
    {
      name: 'environment',
      title: 'Environment',
      tooltip: result.environments?.length ? `Overlay from habitat.yaml: ${result.environments.join(', ')}; empty for the base` : 'habitat.yaml defines no environments',
      collectionType: 'string',
      string: inputs.environment ?? '',
    },
    {
      name: 'images',
      title: 'Images',
      tooltip: 'Container image per workload',
      collectionType: 'map',
      map: Object.fromEntries(names.map((n) => [n, services[n]!.image ?? ''])),
    },
    {
      name: 'counts',
      title: 'Counts',
      tooltip: 'Replicas per workload (leader groups: 0 or at least 3)',
      collectionType: 'map',
      map: Object.fromEntries(names.map((n) => [n, String(services[n]!.count ?? 1)])),
    },
  ];
  return { announcement, diagnostics: [], sources: result.sources };
}
