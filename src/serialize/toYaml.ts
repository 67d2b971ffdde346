import { orderedKeys } from './keyOrder';

/**
 * A small deterministic YAML emitter for the subset the renderer produces
 * (mappings, sequences, strings, numbers, booleans, null): block style, no
 * anchors, no line folding, literal blocks for multi-line text. Output is
 * checked against the `yaml` parser on every golden file.
 */
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|)$/i;
const NUMBERISH = /^[-+]?(?:\.?[0-9]|\.(?:inf|nan)$)/i;
const PLAIN = /^[A-Za-z/][-A-Za-z0-9_./:@+=,()]*(?: [-A-Za-z0-9_./@+=,()]+)*$/;
const DIGIT_WORD = /^[0-9]+(?:\.[0-9]+)*[A-Za-z][A-Za-z0-9]*$/;
// Printable per YAML 1.2 (c-printable), minus what a plain or block scalar cannot hold.
const NON_PRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u0084\u0086-\u009f\ud800-\udfff\ufeff\ufffe\uffff]/;
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function quote(s: string): string {
  return JSON.stringify(s).replace(NEEDS_ESCAPE, (c) => (c.length === 1 && c.charCodeAt(0) < 0x20 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const scalarMemo = new Map<string, string>();

/** Keys and label values repeat across thousands of objects; remember short ones. */
export function scalarString(s: string): string {
  if (s.length > 64) return scalarStringUncached(s);
  let r = scalarMemo.get(s);
  if (r === undefined) {
    r = scalarStringUncached(s);
    if (scalarMemo.size < 8192) scalarMemo.set(s, r);
  }
  return r;
}

function scalarStringUncached(s: string): string {
  if (RESERVED.test(s) || s.endsWith(':')) return quote(s);
  if (PLAIN.test(s) && !s.includes(': ') && !s.includes(' #')) return s;
  if (DIGIT_WORD.test(s) && !/^[0-9]*\.?[0-9]+[eE][0-9]+$/.test(s) && !NUMBERISH.test(s.replace(/^[0-9.]+/, ''))) {
    // e.g. 100m, 1Gi: unambiguous in YAML 1.1 and 1.2, as kubectl writes them.
    if (!/^0[xob]/i.test(s)) return s;
  }
  return quote(s);
}

function canBlock(s: string): boolean {
  return s.includes('\n') && !NON_PRINTABLE.test(s) && !s.includes('\r') && !/^[ \n]/.test(s) && !/\u0085|\u2028|\u2029/.test(s);
}

function block(s: string, indent: string): string {
  const chomp = s.endsWith('\n') ? (s.endsWith('\n\n') ? '+' : '') : '-';
  const body = chomp === '+' ? s.slice(0, -1) : chomp === '' ? s.slice(0, -1) : s;
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  return `|${chomp}\n${lines.join('\n')}`;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  // Integers beyond 2^53 from habitat.yaml (int64 fields such as tolerationSeconds), exact.
  if (typeof v === 'bigint') return String(v);
  return scalarString(String(v));
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function emit(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) emitSeq(v, indent, out);
  else if (isMap(v)) emitMap(v, orderedKeys(v), indent, out, false);
}

function emitSeq(v: unknown[], indent: string, out: string[]): void {
  for (const item of v) {
    if (isMap(item)) {
      const keys = orderedKeys(item);
      if (keys.length) {
        // The first key of a mapping inside a sequence shares the "- " line.
        out.push(`${indent}- `);
        emitMap(item, keys, indent + '  ', out, true);
        continue;
      }
    } else if (Array.isArray(item) && item.length) {
      out.push(`${indent}-\n`);
      emitSeq(item, indent + '  ', out);
      continue;
    }
    out.push(`${indent}- ${value(item, indent + '  ')}\n`);
  }
}

function emitMap(m: Record<string, unknown>, keys: readonly string[], indent: string, out: string[], firstInline: boolean): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = m[k];
    const key = `${firstInline && i === 0 ? '' : indent}${scalarString(k)}:`;
    if (isMap(v)) {
      const sub = orderedKeys(v);
      if (sub.length) {
        out.push(key + '\n');
        emitMap(v, sub, indent + '  ', out, false);
        continue;
      }
    } else if (Array.isArray(v) && v.length) {
      out.push(key + '\n');
      emitSeq(v, indent + '  ', out);
      continue;
    }
    out.push(`${key} ${value(v, indent + '  ')}\n`);
  }
}

function value(v: unknown, indent: string): string {
  if (Array.isArray(v)) return '[]';
  if (isMap(v)) return '{}';
  if (typeof v === 'string' && canBlock(v)) return block(v, indent);
  return scalar(v);
}

export function toYaml(v: unknown): string {
  const out: string[] = [];
  if (isMap(v) || Array.isArray(v)) emit(v, '', out);
  else out.push(scalar(v) + '\n');
  return out.join('');
}

/** Every document starts with `---`; the stream ends with exactly one newline. */
/** One string per document, each starting with `---`; the CLI writes them without joining (memory). */
export function toYamlDocuments(docs: readonly unknown[]): string[] {
  const out: string[] = [];
  const pieces: string[] = [];
  for (const d of docs) {
    pieces.length = 0;
    pieces.push('---\n');
    if (isMap(d) || Array.isArray(d)) emit(d, '', pieces);
    else pieces.push(scalar(d) + '\n');
    out.push(pieces.join(''));
  }
  return out;
}

export const toYamlStream = (docs: readonly unknown[]): string => toYamlDocuments(docs).join('');
