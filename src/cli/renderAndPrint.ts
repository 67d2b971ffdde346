import { renderAction, type RenderResult } from '../action/render';
import { error, hasErrors, type Diagnostic } from '../diag/diagnostic';
import type { Inputs } from '../load/inputs';
import { nodeFs } from '../load/nodeFs';
import { toJsonDocuments } from '../serialize/toJson';
import { toYamlDocuments } from '../serialize/toYaml';
import { EXIT_INPUT, EXIT_OK, type CommandIO } from './io';
import { report } from './report';

// Only with HABITAT_CMP_TIMING: the first use of `performance` loads perf_hooks (ten
// internal modules), a visible share of a small app's start-up.
const now = () => performance.now();

/** Runs the pipeline and prints: all of stdout at once, or nothing (never a partial manifest). */
export function renderAndPrint(dir: string, inputs: Inputs, output: 'yaml' | 'json' | 'none', io: CommandIO, extra: Diagnostic[] = []): number {
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
  if (output !== 'none') for (const doc of output === 'json' ? toJsonDocuments(result.objects) : toYamlDocuments(result.objects)) io.stdout(doc);
  if (timing) {
    for (const [stage, ms] of result.timings) io.stderr(`timing ${stage} ${ms.toFixed(2)}\n`);
    io.stderr(`timing serialize ${(now() - t1).toFixed(2)}\n`);
    io.stderr(`timing total ${(now() - t0).toFixed(2)}\n`);
  }
  return EXIT_OK;
}
