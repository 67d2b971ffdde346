/**
 * Line diff (Myers' O(ND) greedy algorithm, shortest edit script) and the
 * unified format `diff -u` and `git diff` print. Written here rather than taken
 * from a library: it is ~100 lines, and runtime dependencies stay at four.
 */
export type Edit = { op: ' ' | '-' | '+'; line: string };

/**
 * Beyond this many differing lines (after the common head and tail) the middle
 * is shown as replaced wholesale: the trace kept for the walk back grows with
 * the square of the distance (1000 → about 4 MB).
 */
const MAX_EDIT_DISTANCE = 1000;

export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: Edit[] = a.slice(0, head).map((line) => ({ op: ' ', line }));
  out.push(...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail)));
  out.push(...a.slice(a.length - tail).map((line) => ({ op: ' ' as const, line })));
  return out;
}

function middle(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const replaced = (): Edit[] => [...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line }))];
  if (n === 0 || m === 0) return replaced();
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    // Only diagonals -d..d can be read back at this step.
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return replaced();
  // Walk the trace back from (n, m) to (0, 0).
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d]!;
    const at = (k: number) => vd[k + d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) edits.push({ op: ' ', line: a[--x]! }), y--;
    if (x === prevX) edits.push({ op: '+', line: b[--y]! });
    else edits.push({ op: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) edits.push({ op: ' ', line: a[--x]! }), y--;
  return edits.reverse();
}

/** An empty range names the line before it, as diff does (`-0,0` for a new file). */
const range = (start: number, count: number): string => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);

/**
 * Unified diff of two texts with `context` lines around each change; "" when
 * they are equal. Texts are split on "\n"; a missing final newline is marked the
 * way diff marks it.
 */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  if (before === after) return '';
  const split = (s: string) => (s === '' ? [] : (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n'));
  const a = split(before);
  const b = split(after);
  const edits = diffLines(a, b);
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  const noNewline = (text: string, i: number, len: number) => i === len - 1 && text !== '' && !text.endsWith('\n');
  let i = 0;
  while (i < edits.length) {
    if (edits[i]!.op === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the
    // last change that is at most 2*context unchanged lines further on.
    let start = i;
    let back = 0;
    while (start > 0 && back < context && edits[start - 1]!.op === ' ') start--, back++;
    let end = i;
    for (;;) {
      while (end < edits.length && edits[end]!.op !== ' ') end++;
      let gap = 0;
      while (end + gap < edits.length && edits[end + gap]!.op === ' ') gap++;
      if (end + gap < edits.length && gap <= 2 * context) end += gap;
      else {
        end += Math.min(gap, context);
        break;
      }
    }
    let aLine = 0;
    let bLine = 0;
    for (let j = 0; j < start; j++) {
      if (edits[j]!.op !== '+') aLine++;
      if (edits[j]!.op !== '-') bLine++;
    }
    const hunk = edits.slice(start, end);
    const aCount = hunk.filter((e) => e.op !== '+').length;
    const bCount = hunk.filter((e) => e.op !== '-').length;
    out.push(`@@ -${range(aLine + 1, aCount)} +${range(bLine + 1, bCount)} @@`);
    let ai = aLine;
    let bi = bLine;
    for (const e of hunk) {
      out.push(e.op + e.line);
      const endsA = e.op !== '+' && noNewline(before, ai, a.length);
      const endsB = e.op !== '-' && noNewline(after, bi, b.length);
      if (e.op !== '+') ai++;
      if (e.op !== '-') bi++;
      if (endsA || endsB) out.push('\\ No newline at end of file');
    }
    i = end;
  }
  return out.join('\n') + '\n';
}
