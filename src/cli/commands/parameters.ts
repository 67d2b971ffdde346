import { parametersAction } from '../../action/parameters';
import { inputsFromArgoEnv } from '../../load/argoEnv';
import { nodeFs } from '../../load/nodeFs';
import { parseArgs, UsageError } from '../args';
import type { CommandSpec } from '../commandSpec';
import { appDir, EXIT_INPUT, EXIT_OK } from '../io';
import { report } from '../report';

export const parameters: CommandSpec = {
  name: 'parameters',
  args: '',
  summary: 'Argo CD: the dynamic parameter announcement (JSON)',
  flags: [],
  async run(argv, io) {
    if (parseArgs(argv, {}).positionals.length) throw new UsageError('parameters takes no arguments');
    const { inputs, diagnostics } = inputsFromArgoEnv(io.env);
    const r = parametersAction(nodeFs(appDir(undefined, io)), inputs);
    if (!r.announcement) {
      report(io, [...diagnostics, ...r.diagnostics], r.sources);
      return EXIT_INPUT;
    }
    io.stdout(JSON.stringify(r.announcement) + '\n');
    return EXIT_OK;
  },
};
