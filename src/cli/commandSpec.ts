import type { FlagSpec } from './args';
import type { Command } from './io';

export interface FlagDoc {
  name: string;
  /** Placeholder of the flag's value; absent for boolean flags. */
  value?: string;
  help: string;
}

/** A command as `habitat-cmp --help` and `habitat-cmp <command> --help` describe it. */
export interface CommandSpec {
  name: string;
  /** Arguments after the command name, e.g. "[DIR] --service W --key K [flags]". */
  args: string;
  /** One line for the command list. */
  summary: string;
  /** More about the command, for its own help. */
  details?: string;
  flags: readonly FlagDoc[];
  run: Command;
}

export const flagSpec = (flags: readonly FlagDoc[]): FlagSpec => Object.fromEntries(flags.map((f) => [f.name, f.value !== undefined ? 'string' : 'boolean']));

export const usageLine = (c: CommandSpec): string => `habitat-cmp ${c.name}${c.args ? ' ' + c.args : ''}`;

/** `habitat-cmp <command> --help`: usage, what it does, and every flag it takes. */
export function commandHelp(c: CommandSpec): string {
  const rows = [...c.flags.map((f) => [`--${f.name}${f.value !== undefined ? ' ' + f.value : ''}`, f.help] as const), ['-h, --help', 'show this help'] as const];
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    `Usage: ${usageLine(c)}`,
    '',
    c.summary.charAt(0).toUpperCase() + c.summary.slice(1) + '.',
    ...(c.details ? ['', c.details] : []),
    '',
    'Flags:',
    ...rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`),
    '',
    'Exit codes: 0 success, 1 input errors, 2 usage errors.',
    '',
  ].join('\n');
}
