import { habitatSchema } from '../../schema/habitatSchema';
import { parseArgs } from '../args';
import type { CommandIO } from '../io';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  parseArgs(argv, {});
  io.stdout(JSON.stringify(habitatSchema, null, 2) + '\n');
  return 0;
}
