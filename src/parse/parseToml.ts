import TOML from '@iarna/toml';
import { error, type Diagnostic } from '../diag/diagnostic';

export type TomlTable = { [key: string]: unknown };

/** Parses a configFile; a syntax error becomes a diagnostic at its offset inside the TOML file. */
export function parseToml(text: string, file: string): { value?: TomlTable; diagnostics: Diagnostic[] } {
  try {
    // Copy into plain objects: the parser returns null-prototype objects.
    return { value: JSON.parse(JSON.stringify(TOML.parse(text), tomlReplacer)) as TomlTable, diagnostics: [] };
  } catch (e) {
    const err = e as { message?: string; pos?: number };
    const message = String(err.message ?? 'invalid TOML').replace(/ at row \d+, col \d+, pos \d+:[\s\S]*$/, '');
    return { diagnostics: [error('toml-syntax', `invalid TOML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, { file, offset: err.pos ?? 0 })] };
  }
}

/**
 * TOML values that JSON cannot carry are tagged so the TOML writer can restore
 * them: 64-bit integers beyond 2^53 and date/time values keep their TOML text.
 */
export const TOML_LITERAL = '\u0000toml:';
function tomlReplacer(this: unknown, key: string, v: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (typeof raw === 'bigint') return TOML_LITERAL + raw.toString();
  if (raw instanceof Date) {
    const d = raw as Date & { isDate?: boolean; isTime?: boolean; isDateTime?: boolean };
    const iso = d.toISOString();
    if (d.isDate) return TOML_LITERAL + iso.slice(0, 10);
    if (d.isTime) return TOML_LITERAL + iso.slice(11, 23);
    if (d.isDateTime) return TOML_LITERAL + iso.slice(0, 23);
    return TOML_LITERAL + iso;
  }
  if (typeof raw === 'number' && !Number.isFinite(raw)) return TOML_LITERAL + (Number.isNaN(raw) ? 'nan' : raw > 0 ? 'inf' : '-inf');
  return v;
}
