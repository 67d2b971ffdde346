import { inputsFromArgoEnv } from '../../load/argoEnv';
import { parseArgs, UsageError } from '../args';
import type { CommandIO } from '../io';
import { renderAndPrint } from './render';

/**
 * What plugin.yaml runs: render "." from Argo CD's environment. The only env
 * read is the documented Argo CD inputs (see load/argoEnv.ts).
 */
export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { positionals } = parseArgs(argv, {});
  if (positionals.length) throw new UsageError('generate takes no arguments; it renders the current directory');
  const { inputs, diagnostics } = inputsFromArgoEnv(io.env);
  return renderAndPrint(io.cwd === process.cwd() ? '.' : io.cwd, inputs, 'yaml', io, diagnostics);
}
