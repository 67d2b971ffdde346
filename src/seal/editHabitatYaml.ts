import { isAlias, isCollection, isMap, isPair, isScalar, parse, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export type EditResult = { ok: true; text: string } | { ok: false; message: string; offset: number };

/**
 * Sets the string at `path` (a chain of mapping keys) in a YAML file by
 * splicing text, not by re-printing the document: yaml's printer would
 * normalise indentation, line folding and spacing of the whole file, and a
 * re-seal should be a one-line diff. The Document API only finds where to cut.
 * Missing maps on the way are created in the style (block or flow) of their
 * parent. The result is parsed again and must equal the old data plus exactly
 * this change; otherwise the edit is refused rather than written.
 */
export interface EditOptions {
  /** When a key must be created, put it before the first of these sibling keys that exists (e.g. ring before sealing). */
  before?: readonly string[];
}

export function setYamlString(text: string, path: readonly string[], value: string, options: EditOptions = {}): EditResult {
  if (path.length === 0) throw new Error('empty path');
  // Duplicate keys were refused before (in linear time); yaml's own check compares every key with every other.
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return { ok: false, message: 'the file is not valid YAML', offset: doc.errors[0]!.pos[0] };
  const root = doc.contents as Node | null;
  if (!isMap(root)) return { ok: false, message: 'the file is not a YAML mapping', offset: 0 };

  const edited = splice(text, root, path, value, options.before ?? []);
  if (!edited.ok) return edited;
  return verify(doc, edited.text, path, value);
}

function splice(text: string, root: YAMLMap, path: readonly string[], value: string, before: readonly string[]): EditResult {
  let map: YAMLMap = root;
  let indent = blockIndent(text, root);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const pair = findPair(map, seg);
    const rest = path.slice(i);
    if (!pair) return insertIntoMap(text, map, indent, rest, value, before);
    const v = pair.value as Node | null;
    const keyStart = (pair.key as Node).range![0];
    if (isAlias(v)) return { ok: false, message: `"${path.slice(0, i + 1).join('.')}" is a YAML alias; edit it by hand or write it out`, offset: v.range?.[0] ?? keyStart };
    if (i === path.length - 1) {
      if (isScalar(v) && (v.value === null || typeof v.value === 'string')) return replaceScalar(text, pair, value);
      if (v === null) return replaceScalar(text, pair, value);
      return { ok: false, message: `"${path.join('.')}" is not a string value`, offset: v.range?.[0] ?? keyStart };
    }
    if (v === null || (isScalar(v) && v.value === null)) return fillEmptyValue(text, pair, map, indent, path.slice(i + 1), value);
    if (!isMap(v)) return { ok: false, message: `"${path.slice(0, i + 1).join('.')}" is not a mapping`, offset: v.range?.[0] ?? keyStart };
    const childIndent = v.flow ? indent : blockIndent(text, v);
    map = v;
    indent = childIndent;
  }
  throw new Error('unreachable');
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
/** Inserted lines use the file's own line ending. */
const newline = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');
/** End of the line holding `offset`, before its line break (and before a CR of CRLF). */
function lineEnd(text: string, offset: number): number {
  const eol = text.indexOf('\n', offset);
  if (eol < 0) return text.length;
  return text[eol - 1] === '\r' && eol - 1 >= offset ? eol - 1 : eol;
}

/** Column of the first key of a block map; children of an empty map go one step deeper. */
function blockIndent(text: string, map: YAMLMap): number {
  const first = map.items[0];
  const at = first && isScalar(first.key) ? first.key.range![0] : map.range![0];
  return at - lineStart(text, at);
}

/** The file's own indentation step, so inserted lines look like their neighbours. */
function indentStep(text: string): number {
  const m = /^[^\s#][^\r\n]*:[ \t]*(?:#[^\r\n]*)?\r?\n(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*( +)\S/m.exec(text);
  return m ? m[1]!.length : 2;
}

/** A scalar written so that it reads back as exactly this string. */
function plainOrQuoted(s: string): string {
  try {
    if (/^[A-Za-z0-9+/=._-]+$/.test(s) && parse(s) === s) return s;
  } catch {
    // fall through to quoting
  }
  return JSON.stringify(s);
}

function replaceScalar(text: string, pair: Pair, value: string): EditResult {
  const v = pair.value as Node | null;
  const keyEnd = (pair.key as Node).range![1];
  if (v === null || !isScalar(v) || !v.range || v.range[0] === v.range[1]) {
    // `key:` with nothing after it: put the value on the same line, after the colon.
    const colon = text.indexOf(':', keyEnd);
    return { ok: true, text: text.slice(0, colon + 1) + ' ' + plainOrQuoted(value) + text.slice(colon + 1) };
  }
  const [start, end] = v.range;
  let out: string;
  // Keep the quoting style the user chose; block scalars become plain (base64 needs no block).
  if (v.type === 'QUOTE_DOUBLE') out = JSON.stringify(value);
  else if (v.type === 'QUOTE_SINGLE') out = `'${value.replace(/'/g, "''")}'`;
  else out = plainOrQuoted(value);
  const old = text.slice(start, end);
  const trailing = /\s*$/.exec(old)![0];
  return { ok: true, text: text.slice(0, start) + out + trailing + text.slice(end) };
}

/** Where the content of a node ends, ignoring comments and blank lines that trail it. */
function contentEnd(text: string, node: Node): number {
  if (isCollection(node) && !node.flow && node.items.length) {
    const last = node.items[node.items.length - 1]!;
    if (isPair(last)) return last.value ? contentEnd(text, last.value as Node) : (last.key as Node).range![1];
    return contentEnd(text, last as Node);
  }
  let end = node.range![1];
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function blockLines(path: readonly string[], value: string, indent: number, step: number, nl: string): string {
  return path
    .map((seg, i) => ' '.repeat(indent + i * step) + plainOrQuoted(seg) + ':' + (i === path.length - 1 ? ' ' + plainOrQuoted(value) : ''))
    .join(nl);
}

function flowEntry(path: readonly string[], value: string): string {
  const [head, ...tail] = path;
  return `${plainOrQuoted(head!)}: ${tail.length ? `{${flowEntry(tail, value)}}` : plainOrQuoted(value)}`;
}

function insertIntoMap(text: string, map: YAMLMap, indent: number, path: readonly string[], value: string, before: readonly string[]): EditResult {
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range![1] - 1);
    if (close < 0) return { ok: false, message: 'cannot find the end of a flow mapping', offset: map.range![0] };
    const entry = flowEntry(path, value);
    const sep = map.items.length ? ', ' : '';
    let at = close;
    while (at > 0 && /[ \t]/.test(text[at - 1]!)) at--;
    return { ok: true, text: text.slice(0, at) + sep + entry + text.slice(at) };
  }
  if (map.items.length === 0) return { ok: false, message: 'cannot add to an empty block mapping', offset: map.range?.[0] ?? 0 };
  const nl = newline(text);
  const anchor = before.map((k) => findPair(map, k)).find((p) => p !== undefined);
  if (anchor) {
    // Above the sibling and the comment lines that introduce it; mirror a blank line that separates it.
    let at = lineStart(text, (anchor.key as Node).range![0]);
    for (;;) {
      const prev = lineStart(text, at - 1);
      if (at === 0 || !/^[ \t]*#/.test(text.slice(prev, at))) break;
      at = prev;
    }
    const blankBefore = /(^|\n)[ \t]*\r?\n$/.test(text.slice(0, at));
    const lines = blockLines(path, value, indent, indentStep(text), nl);
    return { ok: true, text: text.slice(0, at) + lines + nl + (blankBefore ? nl : '') + text.slice(at) };
  }
  const eol = lineEnd(text, contentEnd(text, map));
  const lines = blockLines(path, value, indent, indentStep(text), nl);
  if (eol === text.length) return { ok: true, text: text + nl + lines + nl };
  return { ok: true, text: text.slice(0, eol) + nl + lines + text.slice(eol) };
}

/** `secrets:` or `secrets: ~`: the new map replaces the null, below the key (or inline in a flow map). */
function fillEmptyValue(text: string, pair: Pair, parent: YAMLMap, indent: number, path: readonly string[], value: string): EditResult {
  const key = pair.key as Node;
  const v = pair.value as Node | null;
  if (parent.flow) {
    const from = v?.range && v.range[0] !== v.range[1] ? v.range[0] : text.indexOf(':', key.range![1]) + 1;
    const to = v?.range && v.range[0] !== v.range[1] ? v.range[1] : from;
    return { ok: true, text: text.slice(0, from) + (v?.range && v.range[0] !== v.range[1] ? '' : ' ') + `{${flowEntry(path, value)}}` + text.slice(to) };
  }
  const colon = text.indexOf(':', key.range![1]);
  const resume = v?.range && v.range[0] !== v.range[1] ? v.range[1] : colon + 1;
  // Keep a comment that followed `key: ~` on its line.
  const tailFrom = lineEnd(text, resume);
  const comment = /^\s*(#.*)?$/.exec(text.slice(resume, tailFrom))?.[1];
  const step = indentStep(text);
  const nl = newline(text);
  const lines = blockLines(path, value, indent + step, step, nl);
  return { ok: true, text: text.slice(0, colon + 1) + (comment ? ' ' + comment.trimEnd() : '') + nl + lines + text.slice(tailFrom) };
}

function verify(doc: Document, newText: string, path: readonly string[], value: string): EditResult {
  const expected = doc.toJS() as Record<string, unknown>;
  let at: Record<string, unknown> = expected;
  for (const seg of path.slice(0, -1)) {
    const next = at[seg];
    at = (next && typeof next === 'object' ? next : (at[seg] = {})) as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
  const after = parseDocument(newText, { uniqueKeys: false });
  if (after.errors.length || !deepEqual(after.toJS(), expected)) {
    return { ok: false, message: 'could not edit the file in place without changing other values; set the value by hand (use --raw)', offset: 0 };
  }
  return { ok: true, text: newText };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
