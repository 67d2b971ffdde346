import { printDiff } from '../printDiff';
import { diffAction, type SideSpec } from '../../action/diff';
import { parseArgs, UsageError } from '../args';
import type { CommandIO } from '../io';
import { inputsFromFlags, RENDER_FLAGS, resolveDir } from './render';

const FLAGS = { ...RENDER_FLAGS, base: 'string', head: 'string', 'base-dir': 'string', 'exit-code': 'boolean' } as const;

/** `diff [DIR] --base REV [--head REV]` or `--base-dir PATH`: what a change does to a running app. */
export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (positionals.length > 1) throw new UsageError('diff takes at most one directory');
  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'markdown' && output !== 'json') throw new UsageError('--output must be text, markdown or json');
  if ((flags.base === undefined) === (flags['base-dir'] === undefined)) throw new UsageError('diff needs --base REV or --base-dir PATH (one of them)');
  if (flags['base-dir'] !== undefined && flags.head !== undefined) throw new UsageError('--head goes with --base; with --base-dir the head is DIR');
  const dir = resolveDir(positionals[0], io);
  const base: SideSpec = typeof flags.base === 'string' ? { git: flags.base } : { dir: resolveDir(flags['base-dir'] as string, io), label: flags['base-dir'] as string };
  const head: SideSpec = typeof flags.head === 'string' ? { git: flags.head } : { worktree: true };
  const result = diffAction({ dir, base, head, inputs: inputsFromFlags(flags), env: io.env });
  return printDiff(result, output, flags['exit-code'] === true, io);
}
