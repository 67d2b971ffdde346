import { renderAction } from '../../action/render';
import { inputsFromArgoEnv } from '../../load/argoEnv';
import { nodeFs } from '../../load/nodeFs';
import { parseArgs, UsageError } from '../args';
import { EXIT_INPUT, EXIT_OK, type CommandIO } from '../io';
import { report } from '../report';

/**
 * The dynamic parameter announcement (plugin.yaml parameters.dynamic): the
 * current values, after the selected environment and any parameters already
 * set. Argo CD calls it with a reduced env (no namespace, no KUBE_*), so only
 * problems that stop us from reading the app fail it; the rest surface in generate.
 */
export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { positionals } = parseArgs(argv, {});
  if (positionals.length) throw new UsageError('parameters takes no arguments');
  const { inputs, diagnostics } = inputsFromArgoEnv(io.env);
  const result = renderAction(nodeFs(io.cwd === process.cwd() ? '.' : io.cwd), inputs);
  if (!result.raw) {
    report(io, [...diagnostics, ...result.diagnostics], result.sources);
    return EXIT_INPUT;
  }
  const services = result.raw.services;
  const names = Object.keys(services).sort();
  const announcement = [
    {
      name: 'environment',
      title: 'Environment',
      tooltip: result.environments?.length
        ? `Overlay from habitat.yaml: ${result.environments.join(', ')}; empty for the base`
        : 'habitat.yaml defines no environments',
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
  io.stdout(JSON.stringify(announcement) + '\n');
  return EXIT_OK;
}
