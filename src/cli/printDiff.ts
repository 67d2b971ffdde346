import type { DiffProblem, DiffResult } from '../action/diff';
import { formatDiagnostics, lineCol } from '../diag/format';
import { formatJson, JSON_FORMAT_VERSION } from '../diff/formatJson';
import { formatMarkdown } from '../diff/formatMarkdown';
import { formatText } from '../diff/formatText';
import { EXIT_INPUT, EXIT_OK, type CommandIO } from './io';
import { report } from './report';

const heading = (p: DiffProblem, what: string): string => (p.side ? `habitat-cmp diff: ${p.side} (${p.label}) ${what}:\n` : '');

/** Errors and warnings go to stderr as render prints them; markdown and JSON also carry the errors, for a PR comment or a tool. */
export function printDiff(result: DiffResult, output: 'text' | 'markdown' | 'json', exitCode: boolean, io: CommandIO): number {
  if (!result.ok) {
    for (const p of result.problems) {
      io.stderr(heading(p, 'does not render'));
      report(io, p.diagnostics, p.sources);
    }
    if (output === 'markdown') {
      const parts = result.problems.map((p) => [`**${p.side ?? 'diff'}${p.label ? ` (${p.label.replace(/[\\`*_[\]<>]/g, '\\$&')})` : ''} does not render**`, '', '```text', formatDiagnostics(p.diagnostics, p.sources).replace(/```/g, "'''").replace(/\n$/, ''), '```'].join('\n'));
      io.stdout(['## habitat-cmp diff', '', ...parts.flatMap((x) => [x, ''])].join('\n').replace(/\n+$/, '\n'));
    } else if (output === 'json') {
      const problems = result.problems.map((p) => ({
        ...(p.side ? { side: p.side, label: p.label } : {}),
        errors: p.diagnostics.map((d) => {
          const src = d.file !== undefined ? p.sources.get(d.file) : undefined;
          const at = src && d.offset !== undefined ? lineCol(src.text, d.offset) : undefined;
          return { code: d.code, severity: d.severity, message: d.message, ...(d.hint ? { hint: d.hint } : {}), ...(d.file !== undefined ? { file: d.file } : {}), ...(at ?? {}) };
        }),
        text: formatDiagnostics(p.diagnostics, p.sources),
      }));
      io.stdout(JSON.stringify({ version: JSON_FORMAT_VERSION, ok: false, problems }, null, 2) + '\n');
    }
    return EXIT_INPUT;
  }
  for (const w of result.warnings) {
    io.stderr(heading(w, 'warns'));
    report(io, w.diagnostics, w.sources);
  }
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  const color = output === 'text' && io.stdoutIsTTY === true && !io.env.NO_COLOR;
  io.stdout(output === 'json' ? formatJson(result.report) : output === 'markdown' ? formatMarkdown(result.report) : formatText(result.report, color));
  return exitCode && result.differs ? EXIT_INPUT : EXIT_OK;
}
