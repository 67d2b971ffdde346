import { GRAPH_FORMATS, graphAction, type GraphFormat } from '../../action/graph';
import { nodeFs } from '../../load/nodeFs';
import { parseArgs, UsageError } from '../args';
import { EXIT_INPUT, EXIT_OK, type CommandIO } from '../io';
import { report } from '../report';
import { inputsFromFlags, RENDER_FLAGS, resolveDir } from './render';

/** Render's input flags (a render command line works with the verb swapped); --output picks the format. */
export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, RENDER_FLAGS);
  if (positionals.length > 1) throw new UsageError('graph takes at most one directory');
  const output = flags.output ?? 'mermaid';
  if (!GRAPH_FORMATS.includes(output as GraphFormat)) throw new UsageError(`--output must be ${GRAPH_FORMATS.join(' or ')}`);
  const r = graphAction(nodeFs(resolveDir(positionals[0], io)), inputsFromFlags(flags), output as GraphFormat);
  report(io, r.diagnostics, r.sources);
  if (r.text === undefined) return EXIT_INPUT;
  io.stdout(r.text);
  return EXIT_OK;
}
