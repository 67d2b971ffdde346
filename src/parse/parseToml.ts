import parseTomlString from '@iarna/toml/parse-string.js';
import { error, type Diagnostic } from '../diag/diagnostic';

export type TomlTable = { [key: string]: unknown };

/** Same bound as habitat.yaml's nesting: the config is merged and written by recursive code. */
export const MAX_TOML_DEPTH = 64;
const tooDeep = (file: string) =>
  error('toml-too-deep', `invalid TOML: nesting is deeper than ${MAX_TOML_DEPTH} levels`, { file, offset: 0 }, 'flatten the tables and arrays');

function depthExceeds(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > max) return true;
    if (x !== null && typeof x === 'object') for (const c of Object.values(x)) stack.push([c, d + 1]);
  }
  return false;
}

/**
 * @iarna/toml silently drops a `[table]` whose name is an Object.prototype
 * property (`[toString]`, `[a.constructor]`); refuse those instead of losing config.
 */
const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
function protoTableHeader(text: string): { offset: number; name: string } | undefined {
  const re = /^[ \t]*\[\[?([^\]\n]*)\]/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (const seg of m[1]!.split('.')) {
      const name = seg.trim().replace(/^(["'])(.*)\1$/, '$2');
      if (PROTO_NAMES.has(name)) return { offset: m.index + m[0].indexOf(seg), name };
    }
  }
  return undefined;
}

/** Parses a configFile; a syntax error becomes a diagnostic at its offset inside the TOML file. */
export function parseToml(text: string, file: string): { value?: TomlTable; diagnostics: Diagnostic[] } {
  const proto = protoTableHeader(text);
  if (proto) {
    return { diagnostics: [error('toml-reserved-table', `table name "${proto.name}" is not supported in configFile`, { file, offset: proto.offset }, 'rename the table, or set it under `config` in habitat.yaml instead')] };
  }
  try {
    // TOML allows CRLF line ends, but @iarna/toml rejects the CR after a comment;
    // the spec lets parsers normalise newlines. Line/col of errors are unaffected.
    const parsed = parseTomlString(text.replace(/\r\n/g, '\n'));
    if (depthExceeds(parsed, MAX_TOML_DEPTH)) return { diagnostics: [tooDeep(file)] };
    // Copy into plain objects: the parser returns null-prototype objects.
    return { value: JSON.parse(JSON.stringify(parsed, tomlReplacer)) as TomlTable, diagnostics: [] };
  } catch (e) {
    // The parser recurses per nested array or inline table.
    if (e instanceof RangeError || /call stack/i.test(String((e as { message?: string }).message))) return { diagnostics: [tooDeep(file)] };
    const err = e as { message?: string; pos?: number; line?: number; col?: number };
    const message = String(err.message ?? 'invalid TOML').replace(/ at row \d+, col \d+, pos \d+:[\s\S]*$/, '');
    return { diagnostics: [error('toml-syntax', `invalid TOML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, { file, offset: offsetOf(text, err.line, err.col) ?? err.pos ?? 0 })] };
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

/** The parser's 0-based line/col point at the offending character; its `pos` is sometimes past it. */
function offsetOf(text: string, line: number | undefined, col: number | undefined): number | undefined {
  if (line === undefined || col === undefined) return undefined;
  let off = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return undefined;
    off = nl + 1;
  }
  return Math.min(off + col, text.length);
}
