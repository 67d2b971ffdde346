import { habitatSchema } from '../../schema/habitatSchema';
import { parseArgs } from '../args';
import type { CommandSpec } from '../commandSpec';
import { EXIT_OK } from '../io';

export const schema: CommandSpec = {
  name: 'schema',
  args: '',
  summary: 'print the JSON Schema of habitat.yaml (for editors)',
  flags: [],
  async run(argv, io) {
    parseArgs(argv, {});
    io.stdout(JSON.stringify(habitatSchema, null, 2) + '\n');
    return EXIT_OK;
  },
};
