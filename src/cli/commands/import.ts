import { importAction } from '../../action/import';
import { isSealingScope, SEALING_SCOPES } from '../../seal/scopeLabel';
import { parseArgs, UsageError } from '../args';
import { EXIT_USAGE, type CommandIO } from '../io';
import { formatDiagnostic } from '../../diag/format';

const SYNOPSIS = 'habitat-cmp import FILE... [--out DIR] [--cert FILE] [--name APP] [--namespace NS] [--split] [--seal-config] [--scope S] [--force]';
const FLAGS = { out: 'string', cert: 'string', name: 'string', namespace: 'string', split: 'boolean', 'seal-config': 'boolean', scope: 'string', force: 'boolean' } as const;

/** Habitat Operator manifests (and the Secrets they name) -> habitat.yaml. */
export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (positionals.length === 0) throw new UsageError(`import needs at least one manifest file ("-" for stdin)\nusage: ${SYNOPSIS}`);
  const scope = flags.scope;
  if (scope !== undefined && !isSealingScope(scope)) throw new UsageError(`--scope must be one of ${SEALING_SCOPES.join(', ')}`);
  if (flags.split === true && typeof flags.name === 'string') throw new UsageError('--name names one app; with --split every app is named after its Habitat');
  const str = (k: string) => (typeof flags[k] === 'string' ? { [k]: flags[k] as string } : {});
  const r = await importAction(
    { files: positionals, ...str('out'), ...str('cert'), ...str('name'), ...str('namespace'), ...(scope !== undefined ? { scope } : {}), split: flags.split === true, sealConfig: flags['seal-config'] === true, force: flags.force === true },
    io,
  );
  // Every problem and every object not carried, uncapped: a migration report is read in full.
  for (const severity of ['error', 'warning']) for (const d of r.diagnostics) if (d.severity === severity) io.stderr(formatDiagnostic(d, r.sources) + '\n');
  if (r.usage !== undefined) {
    io.stderr(`habitat-cmp import: error: ${r.usage}\nusage: ${SYNOPSIS}\n`);
    return EXIT_USAGE;
  }
  for (const line of r.summary) io.stderr(`${line}\n`);
  if (r.exit === 0 && r.stdout !== undefined) io.stdout(r.stdout);
  return r.exit;
}
