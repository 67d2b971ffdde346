import { userFiles, nodeFs } from '../../load/nodeFs';
import { SECRET_PATH_PATTERN } from '../../schema/habitatSchema';
import { parseArgs, UsageError } from '../args';
import { flagSpec, type CommandSpec } from '../commandSpec';
import { appDir } from '../io';
import { readStdin } from '../readStdin';
import { printAction } from '../report';
import { SEALING_FLAGS, sealingOptions } from '../sealingFlags';

const SECRET_KEY = new RegExp(SECRET_PATH_PATTERN);

export const seal: CommandSpec = {
  name: 'seal',
  args: '[DIR] --service W --key K [flags]',
  summary: 'seal a value from stdin (or --from-file) into services.W.secrets.K of habitat.yaml',
  details:
    'The value is encrypted for the SealedSecret W-config of the app as render names it (app name, namespace of the\n' +
    'environment, sealing.scope) and written in place; only that value changes. It never comes from the command line.',
  flags: [
    { name: 'service', value: 'W', help: 'workload under services (required)' },
    { name: 'key', value: 'K', help: 'dotted TOML path in user.toml, e.g. requirepass or auth.password (required)' },
    { name: 'raw', help: 'print the sealed value, change nothing' },
    { name: 'from-file', value: 'F', help: 'read the value from this file instead of stdin (byte for byte)' },
    { name: 'name', value: 'APP', help: 'app name when metadata.name is unset (like render --name)' },
    ...SEALING_FLAGS,
  ],
  async run(argv, io) {
    // A stray "flag" or positional may be the secret typed on the command line: never echo it.
    const { flags, positionals } = parseArgs(argv, flagSpec(seal.flags), 'seal');
    if (positionals.length > 1) throw new UsageError('seal takes at most one directory; the value is read from stdin or --from-file, never from the command line');
    const { service, key } = flags;
    if (typeof service !== 'string' || typeof key !== 'string') throw new UsageError(`${typeof service !== 'string' ? '--service' : '--key'} is required`);
    if (!SECRET_KEY.test(key)) throw new UsageError('--key must be a dotted TOML path of bare keys (letters, digits, "_", "-"), e.g. requirepass or auth.password');
    const options = sealingOptions(flags);
    const fs = nodeFs(appDir(positionals[0], io));
    if (!fs.isDirectory) throw new UsageError('the DIR argument is not a directory (the value is read from stdin or --from-file, never from the command line)');
    const { sealAction } = await import('../../action/seal');
    const request = { ...options, service, key, raw: flags.raw === true, ...(typeof flags.name === 'string' ? { appName: flags.name } : {}), ...(typeof flags['from-file'] === 'string' ? { fromFile: flags['from-file'] } : {}) };
    return printAction(io, await sealAction(request, { fs, files: userFiles(io.cwd), now: new Date() }, () => readStdin(io, 1024 * 1024)));
  },
};
