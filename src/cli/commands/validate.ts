import { parseArgs, UsageError } from '../args';
import type { CommandIO } from '../io';
import { inputsFromFlags, RENDER_FLAGS, renderAndPrint, resolveDir } from './render';

/** Same checks as render, nothing on stdout. */
export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, RENDER_FLAGS);
  if (positionals.length > 1) throw new UsageError('validate takes at most one directory');
  return renderAndPrint(resolveDir(positionals[0], io), inputsFromFlags(flags), 'yaml', io, [], false);
}
