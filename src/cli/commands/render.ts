import { renderAction, type RenderResult } from '../../action/render';
import { error, hasErrors, type Diagnostic } from '../../diag/diagnostic';
import type { Inputs } from '../../load/inputs';
import { nodeFs } from '../../load/nodeFs';
import { toJsonDocuments } from '../../serialize/toJson';
import { toYamlDocuments } from '../../serialize/toYaml';
import { parseArgs, UsageError } from '../args';
import { EXIT_INPUT, EXIT_OK, type CommandIO } from '../io';
import { report } from '../report';
import { resolve } from 'node:path';

export const RENDER_FLAGS = {
  env: 'string',
  name: 'string',
  namespace: 'string',
  'kube-version': 'string',
  'api-versions': 'string',
  images: 'string',
  counts: 'string',
  output: 'string',
} as const;

/** `--images web=reg/web:2,db=reg/db:1`: the Application's `images`/`counts` parameter maps. */
function parameterMap(flag: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} takes WORKLOAD=VALUE pairs separated by commas`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

export function inputsFromFlags(flags: Record<string, string | boolean>): Inputs {
  const inputs: Inputs = {};
  if (typeof flags.env === 'string') inputs.environment = flags.env;
  if (typeof flags.name === 'string') inputs.appName = flags.name;
  if (typeof flags.namespace === 'string') inputs.namespace = flags.namespace;
  if (typeof flags['kube-version'] === 'string') inputs.kubeVersion = flags['kube-version'];
  if (typeof flags['api-versions'] === 'string') inputs.apiVersions = flags['api-versions'].split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof flags.images === 'string') inputs.images = parameterMap('images', flags.images);
  if (typeof flags.counts === 'string') inputs.counts = parameterMap('counts', flags.counts);
  return inputs;
}

// Only with HABITAT_CMP_TIMING: the first use of `performance` loads perf_hooks (ten
// internal modules), a visible share of a small app's start-up.
const now = () => performance.now();

/** Runs the pipeline and prints: all of stdout at once, or nothing (never a partial manifest). */
export function renderAndPrint(dir: string, inputs: Inputs, output: 'yaml' | 'json', io: CommandIO, extra: Diagnostic[] = [], printObjects = true): number {
  const timing = io.env.HABITAT_CMP_TIMING === '1';
  const t0 = timing ? now() : 0;
  const result: RenderResult = renderAction(nodeFs(dir), inputs, timing ? now : undefined);
  const diagnostics = [...extra, ...result.diagnostics];
  report(io, diagnostics, result.sources);
  if (hasErrors(diagnostics)) return EXIT_INPUT;
  if (result.objects.length === 0) {
    // Empty output with exit 0 would make Argo CD prune the whole app.
    report(io, [error('render-empty', 'nothing to render')], result.sources);
    return EXIT_INPUT;
  }
  const t1 = timing ? now() : 0;
  if (printObjects) for (const doc of output === 'json' ? toJsonDocuments(result.objects) : toYamlDocuments(result.objects)) io.stdout(doc);
  if (timing) {
    for (const [stage, ms] of result.timings) io.stderr(`timing ${stage} ${ms.toFixed(2)}\n`);
    io.stderr(`timing serialize ${(now() - t1).toFixed(2)}\n`);
    io.stderr(`timing total ${(now() - t0).toFixed(2)}\n`);
  }
  return EXIT_OK;
}

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, RENDER_FLAGS);
  if (positionals.length > 1) throw new UsageError('render takes at most one directory');
  const output = flags.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') throw new UsageError('--output must be yaml or json');
  return renderAndPrint(resolveDir(positionals[0], io), inputsFromFlags(flags), output, io);
}

/** Keeps the directory as typed (for messages) unless it must be anchored to a non-process cwd. */
export function resolveDir(dir: string | undefined, io: CommandIO): string {
  const d = dir ?? '.';
  return io.cwd === process.cwd() ? d : resolve(io.cwd, d);
}
