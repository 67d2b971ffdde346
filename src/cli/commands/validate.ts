import { parseArgs, UsageError } from '../args';
import { flagSpec, type CommandSpec } from '../commandSpec';
import { appDir } from '../io';
import { renderAndPrint } from '../renderAndPrint';
import { inputsFromFlags, RENDER_FLAGS } from '../renderFlags';

export const validate: CommandSpec = {
  name: 'validate',
  args: '[DIR] [flags]',
  summary: 'run every check render runs, print nothing on stdout',
  flags: RENDER_FLAGS,
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, flagSpec(validate.flags));
    if (positionals.length > 1) throw new UsageError('validate takes at most one directory');
    return renderAndPrint(appDir(positionals[0], io), inputsFromFlags(flags), 'none', io);
  },
};
