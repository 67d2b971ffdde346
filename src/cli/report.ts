import type { Diagnostic } from '../diag/diagnostic';
import { formatDiagnostics, type SourceText } from '../diag/format';
import type { CommandIO } from './io';

/** Errors first is what users read; stable order: as found, errors before warnings. */
export function report(io: CommandIO, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceText>): void {
  const ordered = [...diagnostics.filter((d) => d.severity === 'error'), ...diagnostics.filter((d) => d.severity === 'warning')];
  if (ordered.length) io.stderr(formatDiagnostics(ordered, sources));
}
