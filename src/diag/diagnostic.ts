/**
 * Problems are data, collected rather than thrown, so one run reports every
 * problem it finds. Positions are byte offsets into the source text; they become
 * line:col only when printed (see format.ts).
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable, kebab-case; tests and users grep for it. */
  code: string;
  severity: Severity;
  message: string;
  /** How to fix it, when there is something useful to say. */
  hint?: string;
  /** Path as the user should see it (relative to where they ran the command). */
  file?: string;
  /** Character offset of the offending node in `file`. */
  offset?: number;
  /** Offset one past the end of the node, for the excerpt's underline. */
  end?: number;
}

export function error(code: string, message: string, at?: Position, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...at, ...(hint ? { hint } : {}) };
}

export function warning(code: string, message: string, at?: Position, hint?: string): Diagnostic {
  return { code, severity: 'warning', message, ...at, ...(hint ? { hint } : {}) };
}

export interface Position {
  file: string;
  offset: number;
  end?: number;
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

