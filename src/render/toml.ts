import { isPlainObject } from '../model/deepMerge';
import { ExactFloat } from '../parse/exactNumber';
import { TomlDateTime } from '../parse/parseToml';

/**
 * A Go template action (a sealed value's `{{ toJson ... }}`), written verbatim
 * into a user.toml template. Only a value of this class is ever written
 * unescaped: no string, whatever it holds, becomes template syntax.
 */
export class TemplateAction {
  constructor(readonly text: string) {}
}

export interface TomlOptions {
  /**
   * The output is a Go text/template (SealedSecret.spec.template.data): every
   * `{{` that comes from a key or a string is escaped so the template engine
   * prints it literally, and TemplateAction values are allowed.
   */
  template?: boolean;
}

/** Tables are plain objects; ExactFloat, TomlDateTime and TemplateAction are values. */
const isTable = isPlainObject;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function tomlKey(k: string, o: TomlOptions = {}): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k, o);
}

/** TOML basic string: escapes what TOML forbids raw (controls, DEL) and replaces lone surrogates. */
function tomlString(s: string, o: TomlOptions = {}): string {
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
  out += '"';
  // The template prints `{{"{{"}}` as `{{`; nothing the writer adds around strings contains `{{`.
  return o.template ? out.replace(/\{\{/g, '{{"{{"}}') : out;
}

/** TOML float grammar (decimal part, then fraction and/or exponent; or inf/nan). */
const TOML_FLOAT = /^[+-]?(?:(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[eE][+-]?[0-9](?:_?[0-9])*)|inf|nan)$/;

/**
 * A float as written when that is TOML (`1.0`, `6.02e23`, `1_000.5`); otherwise
 * (YAML's `.5`, `5.`, `.inf`) the shortest text of the same double, still a float.
 */
function tomlFloat(f: ExactFloat): string {
  if (TOML_FLOAT.test(f.text)) return f.text;
  return floatText(f.value);
}

function floatText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  return /[.e]/.test(s) ? s : s + '.0';
}

function tomlValue(v: unknown, o: TomlOptions): string {
  if (typeof v === 'string') return tomlString(v, o);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  // Parsed config holds integers as numbers (floats are ExactFloat); other numbers are written by value.
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : floatText(v);
  if (v instanceof ExactFloat) return tomlFloat(v);
  if (v instanceof TomlDateTime) return v.text;
  if (v instanceof TemplateAction) {
    if (!o.template) throw new Error('a template action outside a template');
    return v.text;
  }
  if (Array.isArray(v)) return `[${v.map((x) => tomlValue(x, o)).join(', ')}]`;
  if (isTable(v)) {
    const keys = Object.keys(v).sort(cmp);
    return keys.length ? `{ ${keys.map((k) => `${tomlKey(k, o)} = ${tomlValue(v[k], o)}`).join(', ')} }` : '{}';
  }
  // null/undefined are rejected before rendering (config-null); never reached for valid models.
  throw new Error(`no TOML form for ${v === null ? 'null' : typeof v}`);
}

/**
 * Deterministic TOML: keys in code-unit order, plain values before sub-tables,
 * tables in arrays written inline. The same input always gives the same bytes.
 */
export function writeToml(table: Record<string, unknown>, o: TomlOptions = {}): string {
  const lines: string[] = [];
  const emit = (t: Record<string, unknown>, path: string[]) => {
    const keys = Object.keys(t).sort(cmp);
    const subtables = keys.filter((k) => isTable(t[k]));
    const values = keys.filter((k) => !isTable(t[k]));
    if (path.length && (values.length || subtables.length === 0)) {
      if (lines.length) lines.push('');
      lines.push(`[${path.map((k) => tomlKey(k, o)).join('.')}]`);
    }
    for (const k of values) lines.push(`${tomlKey(k, o)} = ${tomlValue(t[k], o)}`);
    for (const k of subtables) emit(t[k] as Record<string, unknown>, [...path, k]);
  };
  emit(table, []);
  return lines.length ? lines.join('\n') + '\n' : '';
}
