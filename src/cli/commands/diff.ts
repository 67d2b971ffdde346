import { parseArgs, UsageError } from '../args';
import { flagSpec, type CommandSpec } from '../commandSpec';
import { appDir } from '../io';
import { inputsFromFlags, RENDER_FLAGS } from '../renderFlags';

/** `diff [DIR] --base REV [--head REV]` or `--base-dir PATH`: what a change does to a running app. */
export const diff: CommandSpec = {
  name: 'diff',
  args: '[DIR] --base REV [--head REV] | --base-dir PATH [flags]',
  summary: 'what a change does to the running app: pods that roll, syncs that fail, objects pruned; then a diff per object',
  details: 'Secret values are never shown. Same input flags as render.',
  flags: [
    { name: 'base', value: 'REV', help: 'the git revision to compare against' },
    { name: 'head', value: 'REV', help: 'the git revision to compare (default: the working tree)' },
    { name: 'base-dir', value: 'PATH', help: 'compare against this directory instead of a revision (DIR is the head)' },
    ...RENDER_FLAGS,
    { name: 'output', value: 'text|markdown|json', help: 'text (default), markdown for a pull request comment, or json' },
    { name: 'exit-code', help: 'exit 1 when something differs (like git diff --exit-code)' },
  ],
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, flagSpec(diff.flags));
    if (positionals.length > 1) throw new UsageError('diff takes at most one directory');
    const output = flags.output ?? 'text';
    if (output !== 'text' && output !== 'markdown' && output !== 'json') throw new UsageError('--output must be text, markdown or json');
    if ((flags.base === undefined) === (flags['base-dir'] === undefined)) throw new UsageError('diff needs --base REV or --base-dir PATH (one of them)');
    if (flags['base-dir'] !== undefined && flags.head !== undefined) throw new UsageError('--head goes with --base; with --base-dir the head is DIR');
    const [{ diffAction }, { printDiff }] = await Promise.all([import('../../action/diff'), import('../printDiff')]);
    const base = typeof flags.base === 'string' ? { git: flags.base } : { dir: appDir(flags['base-dir'] as string, io), label: flags['base-dir'] as string };
    const head = typeof flags.head === 'string' ? { git: flags.head } : { worktree: true as const };
    const result = diffAction({ dir: appDir(positionals[0], io), base, head, inputs: inputsFromFlags(flags), env: io.env });
    return printDiff(result, output, flags['exit-code'] === true, io);
  },
};
