import type { Diagnostic } from '../diag/diagnostic';
import { formatDiagnostics, type SourceText } from '../diag/format';
import type { CommandIO } from './io';

/** What an action hands back to its command. */
export interface ActionOutput {
  exit: number;
  stdout: string;
  diagnostics: readonly Diagnostic[];
  sources: ReadonlyMap<string, SourceText>;
}

/** Errors first is what users read; stable order: as found, errors before warnings. */
export function report(io: CommandIO, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceText>): void {
  const ordered = [...diagnostics.filter((d) => d.severity === 'error'), ...diagnostics.filter((d) => d.severity === 'warning')];
  if (ordered.length) io.stderr(formatDiagnostics(ordered, sources));
}

/** Diagnostics to stderr, then the output; returns the exit code. */
export function printAction(io: CommandIO, r: ActionOutput): number {
  report(io, r.diagnostics, r.sources);
  if (r.stdout) io.stdout(r.stdout);
  return r.exit;
}
