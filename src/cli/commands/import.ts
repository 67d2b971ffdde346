import { formatDiagnostic } from '../../diag/format';
import { parseArgs, UsageError } from '../args';
import { flagSpec, usageLine, type CommandSpec } from '../commandSpec';
import { EXIT_USAGE } from '../io';
import { scopeFlag } from '../sealingFlags';

/** Habitat Operator manifests (and the Secrets they name) -> habitat.yaml. */
export const importCommand: CommandSpec = {
  name: 'import',
  args: 'FILE... [flags]',
  summary: 'turn Habitat Operator manifests (and the Secrets they name) into habitat.yaml; "-" reads stdin',
  flags: [
    { name: 'out', value: 'DIR', help: 'write the app (one directory per app) instead of printing habitat.yaml' },
    { name: 'cert', value: 'FILE', help: 'the controller\'s certificate, to seal the ring key (and --seal-config values)' },
    { name: 'name', value: 'APP', help: 'the app name (default: the namespace, else the single Habitat)' },
    { name: 'namespace', value: 'NS', help: 'the namespace of Habitats that name none (as kubectl -n would have used)' },
    { name: 'split', help: 'one app per Habitat; binds between them become ring.join' },
    { name: 'seal-config', help: 'seal every non-empty string of the config Secrets into secrets, instead of a clear configFile' },
    { name: 'scope', value: 'S', help: 'sealing scope of the new apps (default strict)' },
    { name: 'force', help: 'let --out overwrite existing files' },
  ],
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, flagSpec(importCommand.flags));
    if (positionals.length === 0) throw new UsageError('import needs at least one manifest file ("-" for stdin)');
    const scope = scopeFlag(flags.scope);
    if (flags.split === true && typeof flags.name === 'string') throw new UsageError('--name names one app; with --split every app is named after its Habitat');
    const str = (k: string) => (typeof flags[k] === 'string' ? { [k]: flags[k] as string } : {});
    const { importAction } = await import('../../action/import');
    const r = await importAction(
      { files: positionals, ...str('out'), ...str('cert'), ...str('name'), ...str('namespace'), ...(scope !== undefined ? { scope } : {}), split: flags.split === true, sealConfig: flags['seal-config'] === true, force: flags.force === true },
      io,
    );
    // Every problem and every object not carried, uncapped: a migration report is read in full.
    for (const severity of ['error', 'warning']) for (const d of r.diagnostics) if (d.severity === severity) io.stderr(formatDiagnostic(d, r.sources) + '\n');
    if (r.usage !== undefined) {
      io.stderr(`habitat-cmp import: error: ${r.usage}\nusage: ${usageLine(importCommand)}\n`);
      return EXIT_USAGE;
    }
    for (const line of r.summary) io.stderr(`${line}\n`);
    if (r.exit === 0 && r.stdout !== undefined) io.stdout(r.stdout);
    return r.exit;
  },
};
