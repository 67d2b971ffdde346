import { nodeFs } from '../../load/nodeFs';
import { parseArgs, UsageError } from '../args';
import { flagSpec, type CommandSpec } from '../commandSpec';
import { appDir, EXIT_INPUT, EXIT_OK } from '../io';
import { report } from '../report';
import { inputsFromFlags, RENDER_FLAGS } from '../renderFlags';

/** Render's input flags (a render command line works with the verb swapped); --output picks the format. */
export const graph: CommandSpec = {
  name: 'graph',
  args: '[DIR] [flags]',
  summary: 'draw the app (workloads, binds, the ring) as a Mermaid (default) or Graphviz DOT graph',
  flags: [...RENDER_FLAGS, { name: 'output', value: 'mermaid|dot', help: 'mermaid (default) or dot' }],
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, flagSpec(graph.flags));
    if (positionals.length > 1) throw new UsageError('graph takes at most one directory');
    const { GRAPH_FORMATS, graphAction } = await import('../../action/graph');
    const output = (flags.output ?? 'mermaid') as (typeof GRAPH_FORMATS)[number];
    if (!GRAPH_FORMATS.includes(output)) throw new UsageError(`--output must be ${GRAPH_FORMATS.join(' or ')}`);
    const r = graphAction(nodeFs(appDir(positionals[0], io)), inputsFromFlags(flags), output);
    report(io, r.diagnostics, r.sources);
    if (r.text === undefined) return EXIT_INPUT;
    io.stdout(r.text);
    return EXIT_OK;
  },
};
