/**
 * Just enough of Go's text/template (plus sprig's toJson = json.Marshal) to
 * execute SealedSecret template.data the way the controller does: text,
 * `{{ toJson .k }}`, `{{ toJson (index . "k") }}`, `{{ index . "k" }}` and
 * string-literal actions like `{{"{{"}}`. Anything else throws, so a template
 * that relies on more than this is noticed instead of silently mis-executed.
 * Values are bytes (Go strings), as the controller holds decrypted data.
 */

type Value = Buffer;

/** Go's encoding/json string encoding with escapeHTML (json.Marshal's default), Go 1.22+ (\b and \f short forms). */
export function goJsonMarshalString(s: Buffer): Buffer {
  const out: number[] = [0x22];
  const hex = '0123456789abcdef';
  const push = (str: string) => {
    for (let k = 0; k < str.length; k++) out.push(str.charCodeAt(k));
  };
  let i = 0;
  while (i < s.length) {
    const b = s[i]!;
    if (b < 0x80) {
      if (b === 0x22 || b === 0x5c) push('\\' + String.fromCharCode(b));
      else if (b === 0x08) push('\\b');
      else if (b === 0x0c) push('\\f');
      else if (b === 0x0a) push('\\n');
      else if (b === 0x0d) push('\\r');
      else if (b === 0x09) push('\\t');
      else if (b < 0x20 || b === 0x3c || b === 0x3e || b === 0x26) push('\\u00' + hex[b >> 4]! + hex[b & 0xf]!);
      else out.push(b);
      i++;
      continue;
    }
    const { rune, size } = decodeRune(s, i);
    if (rune === -1) push('\\ufffd');
    else if (rune === 0x2028 || rune === 0x2029) push('\\u202' + hex[rune & 0xf]!);
    else for (let k = 0; k < size; k++) out.push(s[i + k]!);
    i += size;
  }
  out.push(0x22);
  return Buffer.from(out);
}

/** utf8.DecodeRune: invalid, overlong, surrogate or truncated sequences decode as an error of width 1. */
function decodeRune(s: Buffer, i: number): { rune: number; size: number } {
  const b0 = s[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < s.length && s[i + k]! >= lo && s[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf && cont(1)) return { rune: ((b0 & 0x1f) << 6) | (s[i + 1]! & 0x3f), size: 2 };
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (cont(1, lo, hi) && cont(2)) return { rune: ((b0 & 0x0f) << 12) | ((s[i + 1]! & 0x3f) << 6) | (s[i + 2]! & 0x3f), size: 3 };
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (cont(1, lo, hi) && cont(2) && cont(3)) return { rune: ((b0 & 0x07) << 18) | ((s[i + 1]! & 0x3f) << 12) | ((s[i + 2]! & 0x3f) << 6) | (s[i + 3]! & 0x3f), size: 4 };
  }
  return { rune: -1, size: 1 };
}

type Token = { kind: 'ident'; name: string } | { kind: 'field'; names: string[] } | { kind: 'dot' } | { kind: 'string'; value: Buffer } | { kind: 'lparen' } | { kind: 'rparen' } | { kind: 'pipe' };

/** Go interpreted string literal (the escapes text/template's lexer accepts via strconv.Unquote). */
function unquoteGo(lit: string): Buffer {
  const out: Buffer[] = [];
  for (let i = 1; i < lit.length - 1; i++) {
    const c = lit[i]!;
    if (c !== '\\') {
      out.push(Buffer.from(c, 'utf8'));
      continue;
    }
    const e = lit[++i]!;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
    if (e in simple) out.push(Buffer.from([simple[e]!]));
    else if (e === 'x') {
      out.push(Buffer.from([parseInt(lit.slice(i + 1, i + 3), 16)]));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      out.push(Buffer.from(String.fromCodePoint(parseInt(lit.slice(i + 1, i + 1 + n), 16)), 'utf8'));
      i += n;
    } else if (/[0-7]/.test(e)) {
      out.push(Buffer.from([parseInt(lit.slice(i, i + 3), 8)]));
      i += 2;
    } else throw new Error(`invalid escape \\${e} in ${lit}`);
  }
  return Buffer.concat(out);
}

function lexAction(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(') (toks.push({ kind: 'lparen' }), i++);
    else if (c === ')') (toks.push({ kind: 'rparen' }), i++);
    else if (c === '|') (toks.push({ kind: 'pipe' }), i++);
    else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new Error('unterminated string');
      toks.push({ kind: 'string', value: unquoteGo(src.slice(i, j + 1)) });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new Error('unterminated raw string');
      toks.push({ kind: 'string', value: Buffer.from(src.slice(i + 1, j), 'utf8') });
      i = j + 1;
    } else if (c === '.') {
      const m = /^(\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(src.slice(i));
      if (m) {
        toks.push({ kind: 'field', names: m[0].slice(1).split('.') });
        i += m[0].length;
      } else (toks.push({ kind: 'dot' }), i++);
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      if (!m) throw new Error(`unsupported syntax in action: ${src}`);
      toks.push({ kind: 'ident', name: m[0] });
      i += m[0].length;
    }
  }
  return toks;
}

type Data = ReadonlyMap<string, Value>;
type Operand = Value | Data;

function evalPipeline(toks: Token[], data: Data): Operand {
  let pos = 0;
  const lookup = (k: string): Value => {
    // The controller's data is map[string][]byte-turned-string; a missing key is a bug in the template here.
    const v = data.get(k);
    if (v === undefined) throw new Error(`template refers to missing key ${JSON.stringify(k)}`);
    return v;
  };
  const operand = (): Operand => {
    const t = toks[pos++];
    if (!t) throw new Error('missing operand');
    if (t.kind === 'string') return t.value;
    if (t.kind === 'dot') return data;
    if (t.kind === 'field') {
      if (t.names.length !== 1) throw new Error('nested field access is not supported');
      return lookup(t.names[0]!);
    }
    if (t.kind === 'lparen') {
      const v = command();
      if (toks[pos++]?.kind !== 'rparen') throw new Error('missing )');
      return v;
    }
    throw new Error(`unexpected token ${t.kind}`);
  };
  const command = (piped?: Operand): Operand => {
    const t = toks[pos];
    if (t?.kind === 'ident') {
      pos++;
      const args: Operand[] = [];
      while (pos < toks.length && toks[pos]!.kind !== 'rparen' && toks[pos]!.kind !== 'pipe') args.push(operand());
      if (piped !== undefined) args.push(piped);
      if (t.name === 'toJson') {
        if (args.length !== 1 || !Buffer.isBuffer(args[0])) throw new Error('toJson takes one string');
        return goJsonMarshalString(args[0]);
      }
      if (t.name === 'index') {
        if (args.length !== 2 || Buffer.isBuffer(args[0]) || !Buffer.isBuffer(args[1])) throw new Error('index takes the data map and a key');
        return lookup(args[1].toString('utf8'));
      }
      throw new Error(`function ${t.name} is not supported here`);
    }
    if (piped !== undefined) throw new Error('cannot pipe into a non-function');
    return operand();
  };
  let v = command();
  while (toks[pos]?.kind === 'pipe') {
    pos++;
    v = command(v);
  }
  if (pos !== toks.length) throw new Error('trailing tokens in action');
  return v;
}

export function executeGoTemplate(template: string, data: Data): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      out.push(Buffer.from(template.slice(i), 'utf8'));
      break;
    }
    out.push(Buffer.from(template.slice(i, open), 'utf8'));
    let j = open + 2;
    if (template[j] === '-' || template.startsWith('/*', j)) throw new Error('trim markers and comments are not supported');
    // Find the closing }} outside string literals, as Go's lexer does.
    let quote: string | undefined;
    for (; j < template.length; j++) {
      const c = template[j]!;
      if (quote) {
        if (c === '\\' && quote === '"') j++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === '`') quote = c;
      else if (template.startsWith('}}', j)) break;
    }
    if (j >= template.length) throw new Error('unclosed action');
    const body = template.slice(open + 2, j);
    if (/\s-$/.test(body)) throw new Error('trim markers are not supported');
    const v = evalPipeline(lexAction(body), data);
    if (!Buffer.isBuffer(v)) throw new Error('action printed the data map');
    out.push(v);
    i = j + 2;
  }
  return Buffer.concat(out);
}
