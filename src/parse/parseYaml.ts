import { Composer, isAlias, isMap, isScalar, isSeq, Parser, type CST, type Node, type Scalar, type ScalarTag, type Tags } from 'yaml';
import { error, type Diagnostic } from '../diag/diagnostic';
import { ExactFloat, exactInteger, FLOAT_OUT_OF_RANGE, floatOverflows, INTEGER_OUT_OF_RANGE, outsideInt64, yamlFloat } from './exactNumber';
import { escapeSegment } from './pointer';

/** Where a node sits in its file: [start, end) of the key (for map entries) and of the value. */
export interface NodeSpan {
  key?: readonly [number, number];
  value: readonly [number, number];
}

export interface ParsedYaml {
  value: unknown;
  /** JSON pointer -> span, for every node reachable without following aliases. */
  spans: Map<string, NodeSpan>;
  diagnostics: Diagnostic[];
  /** The value holds a bigint or an ExactFloat (see exactNumber.ts). */
  exotic: boolean;
}

export interface YamlLimits {
  maxAliasCount: number;
  maxDepth: number;
  /**
   * Size of the value after alias expansion, in string characters plus one per
   * node. maxAliasCount alone still lets a large anchored value be repeated 100
   * times, which the renderer would copy into every manifest.
   */
  maxExpandedSize: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxAliasCount: 100, maxDepth: 64, maxExpandedSize: 8 * 1024 * 1024 };

/**
 * Upper bound on lines plus flow-collection separators. Both YAML parsers keep
 * an object (or several) per node: 1 MiB of "[1,1,1,...]" or of one-key lines
 * exhausts a 256 MB heap in the positions parser. The benchmark's fixture at
 * 2000 workloads (the schema's maximum) counts about 36,000.
 */
const MAX_YAML_STRUCTURE = 50_000;

/** Counted on the raw text in one pass, before any parser allocates a node. */
export function yamlStructureProblem(text: string, file: string): Diagnostic | undefined {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \n , [ {
    if (c === 10 || c === 44 || c === 91 || c === 123) n++;
  }
  if (n <= MAX_YAML_STRUCTURE) return undefined;
  return error('yaml-too-large', `habitat.yaml has more than ${MAX_YAML_STRUCTURE} lines and flow-collection entries`, { file, offset: 0 }, 'split the app, or move large config into configFile TOML files');
}

/**
 * The core schema's int and float tags, resolving to exact values: the yaml
 * library would parse integers into doubles (or every one into a bigint) and
 * floats into doubles that forget they were floats.
 */
function exactNumberTags(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== 'object' || t.collection) return t;
    if (t.tag === 'tag:yaml.org,2002:int') return { ...t, resolve: (src: string) => exactInteger(src) } satisfies ScalarTag;
    if (t.tag === 'tag:yaml.org,2002:float') return { ...t, identify: (v: unknown) => v instanceof ExactFloat, resolve: yamlFloat } satisfies ScalarTag;
    return t;
  });
}

/** Mapping keys become strings as JS object keys would have them (`1.0` -> "1", as js-yaml does). */
const keyString = (v: unknown): string => (v instanceof ExactFloat ? String(v.value) : String(v));

const range = (n: Node | null | undefined, fallback: number): readonly [number, number] =>
  n?.range ? [n.range[0], n.range[1]] : [fallback, fallback];

/**
 * Parses one YAML document with source positions. Duplicate keys, multiple
 * documents, alias bombs and excessive nesting are diagnostics, never exceptions.
 */
export function parseYaml(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const spans = new Map<string, NodeSpan>();
  const fail = () => ({ value: undefined, spans, diagnostics, exotic: false });
  const tooLarge = yamlStructureProblem(text, file);
  if (tooLarge) return { value: undefined, spans, diagnostics: [tooLarge], exotic: false };
  // The yaml composer recurses per nesting level (it turns a stack overflow into
  // an error, but only after seconds of work), so nesting is measured on the
  // flat token tree first; the parser itself keeps an explicit stack.
  const tokens = Array.from(new Parser().parse(text));
  const deepAt = cstTooDeep(tokens, limits.maxDepth);
  if (deepAt !== undefined) {
    diagnostics.push(error('yaml-too-deep', `nesting is deeper than ${limits.maxDepth} levels`, { file, offset: deepAt }, 'flatten the structure'));
    return fail();
  }
  // uniqueKeys is off because yaml compares every key with every earlier one
  // (100k keys take minutes); walk() finds duplicates with a Set instead.
  const list = Array.from(new Composer({ prettyErrors: false, uniqueKeys: false, strict: true, version: '1.2', customTags: exactNumberTags }).compose(tokens));
  if (list.length === 0 || (list.length === 1 && list[0]!.contents === null && list[0]!.errors.length === 0)) {
    diagnostics.push(error('yaml-empty', 'the file is empty; expected an App mapping', { file, offset: 0 }, 'start with "apiVersion: habitat-cmp/v1" and "kind: App"'));
    return fail();
  }
  const doc = list[0]!;
  for (const e of doc.errors) {
    const code = `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`;
    const known = YAML_MESSAGES[e.code];
    diagnostics.push(error(code, known?.[0] ?? lowerFirst(cleanYamlMessage(e.message)), { file, offset: e.pos[0], end: e.pos[1] }, known?.[1] ?? (/\t/.test(text) && e.code !== 'DUPLICATE_KEY' ? 'YAML indentation must use spaces, not tabs' : undefined)));
  }
  // Unknown tags only warn in the yaml library and the value silently becomes a
  // string; habitat.yaml has no use for tags, so say so.
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') diagnostics.push(error('yaml-tag-unknown', `${lowerFirst(cleanYamlMessage(w.message))}; habitat.yaml uses no YAML tags`, { file, offset: w.pos[0], end: w.pos[1] }, 'remove the tag (the "!..." before the value)'));
  }
  if (list.length > 1) {
    const second = list[1]!;
    const at = second.range?.[0] ?? 0;
    diagnostics.push(error('yaml-multiple-documents', 'habitat.yaml must hold exactly one YAML document', { file, offset: at }, 'remove the "---" separator and merge the documents'));
  }
  if (diagnostics.length) return fail();

  const found: WalkFindings = { dupes: [], complex: [], numbers: [], exotic: false };
  const tooDeep = walk(doc.contents as Node | null, '', undefined, 0, spans, limits.maxDepth, found);
  if (tooDeep !== undefined) {
    diagnostics.push(error('yaml-too-deep', `nesting is deeper than ${limits.maxDepth} levels`, { file, offset: tooDeep }, 'flatten the structure'));
    return fail();
  }
  for (const at of found.complex) diagnostics.push(error('yaml-complex-key', 'a mapping key must be a plain value, not a list or mapping', { file, offset: at }, 'use a string key'));
  for (const at of found.dupes) diagnostics.push(error('yaml-duplicate-key', YAML_MESSAGES.DUPLICATE_KEY![0], { file, offset: at }, YAML_MESSAGES.DUPLICATE_KEY![1]));
  for (const n of found.numbers) {
    const float = n.value instanceof ExactFloat;
    diagnostics.push(
      error(float ? 'yaml-float-out-of-range' : 'yaml-integer-out-of-range', `${float ? 'float' : 'integer'} ${text.slice(n.range![0], n.range![1]).trim()} ${float ? FLOAT_OUT_OF_RANGE : INTEGER_OUT_OF_RANGE}`, { file, offset: n.range![0], end: n.range![1] }, 'quote it to make it a string'),
    );
  }
  if (diagnostics.length) return fail();
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    diagnostics.push(
      /alias/i.test(msg)
        ? error('yaml-alias-limit', `aliases expand to too many nodes (limit ${limits.maxAliasCount})`, { file, offset: doc.contents?.range?.[0] ?? 0 }, 'write the values out instead of using deeply nested aliases')
        : error('yaml-invalid', cleanYamlMessage(msg), { file, offset: 0 }),
    );
    return fail();
  }
  if (expandedSizeExceeds(value, limits.maxExpandedSize)) {
    diagnostics.push(error('yaml-alias-limit', `aliases expand the document to more than ${limits.maxExpandedSize} characters`, { file, offset: firstAlias(text) }, 'write the values out instead of repeating large anchored values'));
    return fail();
  }
  return { value, spans, diagnostics, exotic: found.exotic };
}

/** Offset of the first nesting level beyond `max` in the CST, without recursion. */
export function cstTooDeep(tokens: readonly CST.Token[], max: number): number | undefined {
  const stack: [CST.Token, number][] = [];
  for (const t of tokens) if (t.type === 'document' && t.value) stack.push([t.value, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (depth > max) return t.offset;
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      for (const it of t.items as CST.CollectionItem[]) {
        if (it.key) stack.push([it.key, depth + 1]);
        if (it.value) stack.push([it.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * Walks the composed value as if aliases were copies (they are shared objects),
 * stopping as soon as the budget is spent, so the walk itself stays bounded.
 */
function expandedSizeExceeds(value: unknown, budget: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    size += 1;
    if (typeof v === 'string') size += v.length;
    else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        size += k.length;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
    if (size > budget) return true;
  }
  return false;
}

function firstAlias(text: string): number {
  const m = /(?:^|[\s\[{,:-])\*[^\s,\]}]/.exec(text);
  return m ? m.index + m[0].indexOf('*') : 0;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Our wording for the common cases: [message, hint]. */
const YAML_MESSAGES: Record<string, [string, string?]> = {
  DUPLICATE_KEY: ['duplicate key: this mapping already has this key', 'remove one of the two entries'],
  TAB_AS_INDENT: ['tab used for indentation', 'YAML indentation must use spaces'],
  MISSING_CHAR: ['a closing quote or bracket is missing'],
  BAD_INDENT: ['bad indentation: this line is not aligned with its siblings'],
};

/** yaml's messages end with " at line X, column Y"; we print our own position. */
function cleanYamlMessage(m: string): string {
  return m.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').replace(/\s+$/, '');
}

interface WalkFindings {
  dupes: number[];
  complex: number[];
  /** Numbers that cannot be written into user.toml (outside int64, float overflow). */
  numbers: Scalar[];
  exotic: boolean;
}

function walk(node: Node | null, ptr: string, key: readonly [number, number] | undefined, depth: number, spans: Map<string, NodeSpan>, maxDepth: number, found: WalkFindings): number | undefined {
  if (depth > maxDepth) return node?.range?.[0] ?? 0;
  spans.set(ptr, key ? { key, value: range(node, key[1]) } : { value: range(node, 0) });
  if (!node || isAlias(node)) return undefined;
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'bigint' || v instanceof ExactFloat) {
      found.exotic = true;
      if (typeof v === 'bigint' ? outsideInt64(v) : floatOverflows(v)) found.numbers.push(node);
    }
    return undefined;
  }
  if (isMap(node)) {
    // Keyed by the string the key becomes in JS, so `1` and "1" collide too (toJS would keep only one).
    const seen = new Set<string>();
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      if (k !== null && !isScalar(k)) {
        // yaml would stringify a list or mapping key into a YAML text; never what was meant.
        found.complex.push(range(k, node.range?.[0] ?? 0)[0]);
        continue;
      }
      const name = isScalar(k) ? keyString(k.value) : '';
      // toJS would turn a float key into YAML text; keys are strings from here on.
      if (isScalar(k) && typeof k.value !== 'string') k.value = name;
      if (seen.has(name)) {
        found.dupes.push(range(k, node.range?.[0] ?? 0)[0]);
        continue;
      }
      seen.add(name);
      const bad = walk(pair.value as Node | null, `${ptr}/${escapeSegment(name)}`, range(k, 0), depth + 1, spans, maxDepth, found);
      if (bad !== undefined) return bad;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const bad = walk(node.items[i] as Node | null, `${ptr}/${i}`, undefined, depth + 1, spans, maxDepth, found);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}
