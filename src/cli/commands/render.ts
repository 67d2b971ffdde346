import { parseArgs, UsageError } from '../args';
import { flagSpec, type CommandSpec } from '../commandSpec';
import { appDir } from '../io';
import { renderAndPrint } from '../renderAndPrint';
import { inputsFromFlags, RENDER_FLAGS } from '../renderFlags';

export const render: CommandSpec = {
  name: 'render',
  args: '[DIR] [flags]',
  summary: 'print the manifests Argo CD applies for the app in DIR (default ".")',
  details: 'Every document starts with "---"; the same input always gives the same bytes. Errors print nothing on stdout.',
  flags: [...RENDER_FLAGS, { name: 'output', value: 'yaml|json', help: 'yaml (default) or a stream of JSON objects' }],
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, flagSpec(render.flags));
    if (positionals.length > 1) throw new UsageError('render takes at most one directory');
    const output = flags.output ?? 'yaml';
    if (output !== 'yaml' && output !== 'json') throw new UsageError('--output must be yaml or json');
    return renderAndPrint(appDir(positionals[0], io), inputsFromFlags(flags), output, io);
  },
};
