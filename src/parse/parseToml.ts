import TOMLParser from '@iarna/toml/lib/toml-parser.js';
import { error, type Diagnostic } from '../diag/diagnostic';
import { ExactFloat, exactInteger, FLOAT_OUT_OF_RANGE, floatOverflows, INTEGER_OUT_OF_RANGE, outsideInt64 } from './exactNumber';

export type TomlTable = { [key: string]: unknown };

/** A TOML date, time or date-time, kept as written (a JS Date would move offsets to UTC and cut precision). */
export class TomlDateTime {
  constructor(readonly text: string) {}
}

/** A number or date as it stands in the source: what follows the value's first character up to a separator. */
const LEAF_TEXT = /[^\s,\]}#]+(?: [0-9]{2}:[^\s,\]}#]*)?/y;

class TomlRangeError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

const isBoxed = (v: unknown): boolean =>
  v instanceof Number || (typeof v === 'object' && v !== null && typeof (v as { valueOf?: unknown }).valueOf === 'function' && typeof (v as { valueOf(): unknown }).valueOf() === 'bigint');

/**
 * @iarna/toml parses numbers through doubles (and wraps integers beyond int64
 * around with BigInt.asIntN) and dates into JS Dates. Every value passes
 * through the parser's `return`; numbers and dates are replaced there by exact
 * values made from their source text.
 */
class ExactTomlParser extends TOMLParser {
  private source = '';
  private valueStart = 0;

  override parse(text: string): void {
    this.source = text;
    super.parse(text);
  }

  override parseValue(): unknown {
    this.valueStart = this.ii;
    return super.parseValue();
  }

  override return(value?: unknown): void {
    if (value instanceof Date || typeof value === 'number' || isBoxed(value)) value = this.exactLeaf(value);
    super.return(value);
  }

  private exactLeaf(value: unknown): unknown {
    LEAF_TEXT.lastIndex = this.valueStart;
    const text = LEAF_TEXT.exec(this.source)?.[0] ?? '';
    if (value instanceof Date) return new TomlDateTime(text);
    const digits = text.replace(/_/g, '');
    if (/^[+-]?[0-9]+$|^0[xob]/.test(digits)) {
      const n = exactInteger(digits);
      if (outsideInt64(n)) throw new TomlRangeError(`integer ${text} ${INTEGER_OUT_OF_RANGE}`, 'toml-integer-out-of-range', this.valueStart, text.length);
      return n;
    }
    const f = new ExactFloat(/nan$/.test(digits) ? NaN : /inf$/.test(digits) ? (digits.startsWith('-') ? -Infinity : Infinity) : Number(digits), text);
    if (floatOverflows(f)) throw new TomlRangeError(`float ${text} ${FLOAT_OUT_OF_RANGE}`, 'toml-float-out-of-range', this.valueStart, text.length);
    return f;
  }
}

/** The parser's tables and lists (null-prototype, tagged) as plain objects and arrays. */
function toPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (v === null || typeof v !== 'object' || v instanceof ExactFloat || v instanceof TomlDateTime) return v;
  const out: TomlTable = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: toPlain((v as TomlTable)[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Same bound as habitat.yaml's nesting: the config is merged and written by recursive code. */
const MAX_TOML_DEPTH = 64;
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
  // TOML allows CRLF line ends, but @iarna/toml rejects the CR after a comment;
  // the spec lets parsers normalise newlines. Line/col of errors are unaffected.
  const lf = text.replace(/\r\n/g, '\n');
  try {
    const parser = new ExactTomlParser();
    parser.parse(lf);
    const parsed = parser.finish();
    if (depthExceeds(parsed, MAX_TOML_DEPTH)) return { diagnostics: [tooDeep(file)] };
    return { value: toPlain(parsed) as TomlTable, diagnostics: [] };
  } catch (e) {
    if (e instanceof TomlRangeError) {
      const lc = lineColOf(lf, e.offset);
      const offset = offsetOf(text, lc.line, lc.col) ?? e.offset;
      return { diagnostics: [error(e.code, e.message, { file, offset, end: offset + e.length }, 'quote it to make it a string')] };
    }
    // The parser recurses per nested array or inline table.
    if (e instanceof RangeError || /call stack/i.test(String((e as { message?: string }).message))) return { diagnostics: [tooDeep(file)] };
    const err = e as { message?: string; pos?: number; line?: number; col?: number };
    const message = String(err.message ?? 'invalid TOML');
    return { diagnostics: [error('toml-syntax', `invalid TOML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, { file, offset: offsetOf(text, err.line, err.col) ?? err.pos ?? 0 })] };
  }
}

/** 0-based line and column of an offset. */
function lineColOf(text: string, offset: number): { line: number; col: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start };
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
