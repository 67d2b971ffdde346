// Go standard-library behaviours that Argo CD's CMP path depends on, re-implemented
// from their documented semantics so the emulator in argocd-cmp.ts produces the
// same bytes Argo would: encoding/json string escaping and map-key order,
// strconv.Quote (used when Argo logs argv), os.Expand (plugin.env `$VAR`
// substitution), path/filepath.Match and Glob (discovery and tar exclusions),
// and encoding/json's case-insensitive struct decoding (plugin.yaml, parameter
// announcements).

// ---------------------------------------------------------------- encoding/json

const HEX = '0123456789abcdef';

/** A JSON string literal exactly as Go's json.Marshal writes it (HTML-safe escaping on). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    // Go >= 1.22 writes these two short forms too.
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    // Control characters and the HTML-sensitive <, >, & become \u00XX.
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&') out += '\\u00' + HEX[cp >> 4] + HEX[cp & 15];
    // JSONP-breaking line/paragraph separators.
    else if (cp === 0x2028 || cp === 0x2029) out += '\\u202' + HEX[cp & 15];
    // A lone surrogate cannot be UTF-8; Go sees invalid bytes and writes U+FFFD.
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** Go sorts map keys by their UTF-8 bytes; JS's default sort compares UTF-16 units. */
export function goKeyCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** json.Marshal of map[string]any / []any / string / bool / integer / nil values: compact, sorted keys. */
export function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${v}`);
    if (!Number.isInteger(v)) throw new Error('goJsonMarshal: only integers are needed here');
    return String(v);
  }
  if (Array.isArray(v)) return '[' + v.map(goJsonMarshal).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort(goKeyCompare);
    return '{' + keys.map((k) => goJsonString(k) + ':' + goJsonMarshal((v as Record<string, unknown>)[k])).join(',') + '}';
  }
  throw new Error(`goJsonMarshal: unsupported type ${typeof v}`);
}

// ---------------------------------------------------------------- strconv.Quote

function isGoPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (isGoPrint(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x80) out += '\\x' + HEX[cp >> 4] + HEX[cp & 15];
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** unicode.IsSpace (Latin-1 rules plus the Unicode White_Space property). */
export function goHasSpace(s: string): boolean {
  return /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(s);
}

// ---------------------------------------------------------------- os.Expand

function isShellSpecial(c: string): boolean {
  return '*#$@!?-0123456789'.includes(c);
}
function isAlnum(c: string): boolean {
  return /^[A-Za-z0-9_]$/.test(c);
}

/** The name after a `$` and how many characters it used, per os.Expand's rules. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecial(s[1]!) && s[2] === '}') return [s[1]!, 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
    }
    return ['', 1];
  }
  if (isShellSpecial(s[0]!)) return [s[0]!, 1];
  let i = 0;
  while (i < s.length && isAlnum(s[i]!)) i++;
  return [s.slice(0, i), i];
}

/** os.Expand: `$NAME`, `${NAME}`, one-character special names; bad `${` syntax is eaten. */
export function goExpand(s: string, mapping: (name: string) => string): string {
  let out = '';
  let i = 0;
  let touched = false;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      touched = true;
      out += s.slice(i, j);
      const [name, w] = shellName(s.slice(j + 1));
      if (name === '' && w > 0) {
        // invalid syntax: dropped
      } else if (name === '') {
        out += '$';
      } else {
        out += mapping(name);
      }
      j += w;
      i = j + 1;
    }
  }
  return touched ? out + s.slice(i) : s;
}

// ---------------------------------------------------------------- path/filepath

export class GoBadPattern extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

function hasMeta(p: string): boolean {
  return /[*?[\\]/.test(p);
}

/** filepath.Match on Unix: `*`, `?`, `[...]` (with `^`, ranges, `\` escapes); none crosses `/`. */
export function goMatch(pattern: string, name: string): boolean {
  return compileGoPattern(pattern).test(name);
}

// Unicode-mode regexps only allow escaping syntax characters (and `-` inside a class).
function escapeRe(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
function escapeClass(c: string): string {
  return c.replace(/[\\\]^-]/g, '\\$&');
}

function compileGoPattern(pattern: string): RegExp {
  const p = [...pattern];
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= p.length) throw new GoBadPattern();
      re += escapeRe(p[i]!);
    } else if (c === '[') {
      i++;
      let negate = false;
      if (p[i] === '^') {
        negate = true;
        i++;
      }
      const ranges: string[] = [];
      for (;;) {
        if (i >= p.length) throw new GoBadPattern();
        if (p[i] === ']' && ranges.length > 0) break;
        const lo = classChar(p, i);
        i = lo.next;
        let hi = lo.ch;
        if (p[i] === '-') {
          const h = classChar(p, i + 1);
          hi = h.ch;
          i = h.next;
        }
        if (lo.ch.codePointAt(0)! > hi.codePointAt(0)!) throw new GoBadPattern();
        ranges.push(lo.ch === hi ? escapeClass(lo.ch) : `${escapeClass(lo.ch)}-${escapeClass(hi)}`);
      }
      re += negate ? `(?:(?![${ranges.join('')}])[^/])` : `[${ranges.join('')}]`;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 'su');
}

function classChar(p: string[], i: number): { ch: string; next: number } {
  const c = p[i];
  if (c === undefined || c === '-' || c === ']') throw new GoBadPattern();
  if (c === '\\') {
    const e = p[i + 1];
    if (e === undefined) throw new GoBadPattern();
    return { ch: e, next: i + 2 };
  }
  return { ch: c, next: i + 1 };
}

// ---------------------------------------------------------------- encoding/json into structs

/**
 * Shape of a Go type for decodeGo. `struct` fields are keyed by their JSON name;
 * `ptrStruct` is a pointer to a struct (JSON null stays null).
 */
export type GoType =
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'slice'; of: GoType }
  | { t: 'map'; of: GoType }
  | { t: 'struct'; name: string; fields: Record<string, GoType> }
  | { t: 'ptrStruct'; name: string; fields: Record<string, GoType> };

export class GoUnmarshalError extends Error {}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** encoding/json's key folding: ASCII case plus the Kelvin sign and long s. */
function foldKey(k: string): string {
  return k.replace(/\u212a/g, 'k').replace(/\u017f/g, 's').toLowerCase();
}

function goTypeName(t: GoType): string {
  switch (t.t) {
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'slice':
      return '[]' + goTypeName(t.of);
    case 'map':
      return 'map[string]' + goTypeName(t.of);
    case 'struct':
      return t.name;
    case 'ptrStruct':
      return '*' + t.name;
  }
}

/**
 * json.Unmarshal into a zero or existing value of type `t`: field names match
 * exactly or else case-insensitively, unknown keys are ignored, later duplicate
 * keys win (struct fields are merged, slices replaced), null leaves scalars alone.
 */
export function decodeGo(t: GoType, v: unknown, existing: unknown, where: string): unknown {
  const fail = (): never => {
    throw new GoUnmarshalError(`json: cannot unmarshal ${jsonKind(v)} into Go ${where} of type ${goTypeName(t)}`);
  };
  switch (t.t) {
    case 'string':
      if (v === null) return existing;
      return typeof v === 'string' ? v : fail();
    case 'bool':
      if (v === null) return existing;
      return typeof v === 'boolean' ? v : fail();
    case 'slice':
      if (v === null) return undefined;
      if (!Array.isArray(v)) return fail();
      return v.map((item, i) => decodeGo(t.of, item, undefined, `${where}[${i}]`));
    case 'map': {
      if (v === null) return undefined;
      if (jsonKind(v) !== 'object') return fail();
      const out: Record<string, unknown> = { ...((existing as Record<string, unknown>) ?? {}) };
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) out[k] = decodeGo(t.of, item, out[k], where);
      return out;
    }
    case 'struct':
    case 'ptrStruct': {
      if (v === null) return t.t === 'ptrStruct' ? null : existing;
      if (jsonKind(v) !== 'object') return fail();
      const out: Record<string, unknown> = { ...((existing as Record<string, unknown>) ?? {}) };
      const names = Object.keys(t.fields);
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const field = names.find((n) => n === k) ?? names.find((n) => foldKey(n) === foldKey(k));
        if (field === undefined) continue;
        out[field] = decodeGo(t.fields[field]!, item, out[field], `struct field ${t.name}.${field}`);
      }
      return out;
    }
  }
}

// ---------------------------------------------------------------- glob helpers exported for discovery

export { hasMeta as goHasMeta };
