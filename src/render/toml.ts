import { TOML_LITERAL } from '../parse/parseToml';

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Raw);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A value written verbatim (a Go template action standing for a sealed value). */
export class Raw {
  constructor(readonly text: string) {}
}

export function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k);
}

/** TOML basic string: escapes what TOML forbids raw (controls, DEL) and replaces lone surrogates. */
export function tomlString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\uFFFD';
    else out += s[i]!;
  }
  return out + '"';
}

function tomlValue(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (typeof v === 'string') return v.startsWith(TOML_LITERAL) ? v.slice(TOML_LITERAL.length) : tomlString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0);
    return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  if (isTable(v)) {
    const keys = Object.keys(v).sort(cmp);
    return keys.length ? `{ ${keys.map((k) => `${tomlKey(k)} = ${tomlValue(v[k])}`).join(', ')} }` : '{}';
  }
  // null/undefined are rejected before rendering (config-null); never reached for valid models.
  return '""';
}

/**
 * Deterministic TOML: keys in code-unit order, plain values before sub-tables,
 * tables in arrays written inline. The same input always gives the same bytes.
 */
export function writeToml(table: Record<string, unknown>): string {
  const lines: string[] = [];
  const emit = (t: Record<string, unknown>, path: string[]) => {
    const keys = Object.keys(t).sort(cmp);
    const subtables = keys.filter((k) => isTable(t[k]));
    const values = keys.filter((k) => !isTable(t[k]));
    if (path.length && (values.length || subtables.length === 0)) {
      if (lines.length) lines.push('');
      lines.push(`[${path.map(tomlKey).join('.')}]`);
    }
    for (const k of values) lines.push(`${tomlKey(k)} = ${tomlValue(t[k])}`);
    for (const k of subtables) emit(t[k] as Record<string, unknown>, [...path, k]);
  };
  emit(table, []);
  return lines.length ? lines.join('\n') + '\n' : '';
}
