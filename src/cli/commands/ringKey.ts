import { nodeFs, userFiles } from '../../load/nodeFs';
import { RING_NAME } from '../../seal/ringName';
import { parseArgs, UsageError } from '../args';
import { flagSpec, type CommandSpec } from '../commandSpec';
import { appDir } from '../io';
import { printAction } from '../report';
import { SEALING_FLAGS, sealingOptions } from '../sealingFlags';

export const ringKey: CommandSpec = {
  name: 'ring-key',
  args: '[DIR] [flags]',
  summary: 'make a new SYM-SEC-1 ring key and seal it into ring.sealedKey of habitat.yaml',
  details: 'Prints the ring name and revision, never the key. Running it again rotates the key; the pods roll together.',
  flags: [{ name: 'name', value: 'RING', help: 'ring name; also the app name when metadata.name is unset (default: the app name)' }, ...SEALING_FLAGS],
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, flagSpec(ringKey.flags));
    if (positionals.length > 1) throw new UsageError('ring-key takes at most one directory');
    const ring = typeof flags.name === 'string' ? flags.name : undefined;
    if (ring !== undefined && !RING_NAME.test(ring)) throw new UsageError('--name must be a ring name of letters, digits, "_" and "-"');
    const options = sealingOptions(flags);
    const dir = appDir(positionals[0], io);
    const fs = nodeFs(dir);
    if (!fs.isDirectory) throw new UsageError(`${positionals[0] ?? '.'} is not a directory`);
    const { ringKeyAction } = await import('../../action/ringKey');
    return printAction(io, await ringKeyAction({ ...options, ...(ring !== undefined ? { ring } : {}) }, { fs, files: userFiles(io.cwd), now: new Date() }));
  },
};
