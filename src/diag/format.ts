import type { Diagnostic } from './diagnostic';

export interface SourceText {
  text: string;
  /** Ranges that hold sealed material; replaced in excerpts so no ciphertext is echoed. */
  redact?: ReadonlyArray<readonly [number, number]>;
}

export interface LineCol {
  line: number;
  col: number;
}

/** 1-based line and column (in UTF-16 code units, like editors that count characters). */
export function lineCol(text: string, offset: number): LineCol {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}

const MAX_EXCERPT = 160;
/** Sealed values are at least 2 + 64 + 16 bytes, i.e. 110 base64 characters; sha256 hex digests are 64. */
const CIPHERTEXT_LIKE = /[A-Za-z0-9+/]{100,}={0,2}/g;
/**
 * Messages quote user input (keys, names, parameter values) and stderr lands in
 * the Argo CD UI: a hostile repository must not be able to flood it.
 */
const MAX_MESSAGE = 140;
const MAX_HINT = 180;
/** Beyond this many, only a count is printed; the first problems are the useful ones. */
const MAX_SHOWN_DIAGNOSTICS = 9;

/** Long base64 runs with mixed character classes; the digit/case test spares names like "aaaa…". */
export const redactCiphertext = (s: string): string =>
  s.replace(CIPHERTEXT_LIKE, (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /[0-9]/.test(m) ? '<sealed>' : m));

const clip = (s: string, n: number): string => {
  // Messages quote keys and parameter values; ciphertext pasted there is still ciphertext.
  const flat = redactCiphertext(s).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return flat.length > n ? flat.slice(0, n - 1) + '…' : flat;
};

function excerpt(src: SourceText, offset: number, end: number | undefined): string[] {
  const { text } = src;
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const realStart = offset < start ? offset : start;
  let stop = text.indexOf('\n', offset);
  if (stop < 0) stop = text.length;
  const chars = [...text.slice(realStart, stop).replace(/\r$/, '')];
  let redactedEnd: number | undefined;
  const ranges: (readonly [number, number])[] = [...(src.redact ?? [])];
  // When the file did not parse there are no spans to redact by, and the broken
  // line may well hold a sealed value: hide anything that looks like ciphertext.
  for (const m of text.slice(realStart, stop).matchAll(CIPHERTEXT_LIKE)) {
    const a = realStart + m.index, b = a + m[0].length;
    if (/[A-Z]/.test(m[0]) && /[a-z]/.test(m[0]) && /[0-9]/.test(m[0]) && !ranges.some(([x, y]) => x < b && a < y)) ranges.push([a, b]);
  }
  // Right to left, so earlier offsets stay valid.
  for (const [a, b] of ranges.sort((x, y) => y[0] - x[0])) {
    if (b <= realStart || a >= stop) continue;
    const from = Math.max(a, realStart) - realStart;
    const to = Math.min(b, stop) - realStart;
    chars.splice(from, to - from, ...'<sealed>');
    if (offset >= a && offset < b) redactedEnd = offset + '<sealed>'.length;
  }
  let line = chars.join('').replace(/\t/g, ' ');
  // Non-printable bytes would garble the terminal; show them escaped.
  line = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (line.length > MAX_EXCERPT) line = line.slice(0, MAX_EXCERPT) + '…';
  const col = offset - realStart;
  if (col > MAX_EXCERPT) return [`  ${line}`];
  const width = Math.max(1, Math.min((redactedEnd ?? end ?? offset + 1) - offset, line.length - col, MAX_EXCERPT - col));
  return [`  ${line}`, `  ${' '.repeat(col)}${'^'.repeat(width)}`];
}

/**
 * `file:line:col: error: message [code]`, then the source line with a caret and a
 * hint. Without a file: `habitat-cmp: error: message [code]`.
 */
export function formatDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, SourceText>): string {
  const src = d.file !== undefined ? sources.get(d.file) : undefined;
  let head: string;
  const lines: string[] = [];
  if (d.file !== undefined && src && d.offset !== undefined) {
    const { line, col } = lineCol(src.text, d.offset);
    head = `${d.file}:${line}:${col}`;
    if (src.text.length > 0) lines.push(...excerpt(src, d.offset, d.end));
  } else if (d.file !== undefined) {
    head = d.file;
  } else {
    head = 'habitat-cmp';
  }
  const out = [`${head}: ${d.severity}: ${clip(d.message, MAX_MESSAGE)} [${d.code}]`, ...lines];
  if (d.hint) out.push(`  hint: ${clip(d.hint, MAX_HINT)}`);
  return out.join('\n');
}

export function formatDiagnostics(ds: readonly Diagnostic[], sources: ReadonlyMap<string, SourceText>): string {
  const shown = ds.length > MAX_SHOWN_DIAGNOSTICS + 1 ? ds.slice(0, MAX_SHOWN_DIAGNOSTICS) : ds;
  const lines = shown.map((d) => formatDiagnostic(d, sources));
  if (shown.length < ds.length) {
    const rest = ds.slice(shown.length);
    const errors = rest.filter((d) => d.severity === 'error').length;
    lines.push(`habitat-cmp: … and ${rest.length} more (${errors} error${errors === 1 ? '' : 's'}, ${rest.length - errors} warning${rest.length - errors === 1 ? '' : 's'}) not shown; fix the ones above and run again`);
  }
  return lines.join('\n') + (ds.length ? '\n' : '');
}
