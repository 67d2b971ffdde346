import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { error, type Diagnostic } from '../diag/diagnostic';
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
}

export interface YamlLimits {
  maxAliasCount: number;
  maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxAliasCount: 100, maxDepth: 64 };

const range = (n: Node | null | undefined, fallback: number): readonly [number, number] =>
  n?.range ? [n.range[0], n.range[1]] : [fallback, fallback];

/**
 * Parses one YAML document with source positions. Duplicate keys, multiple
 * documents, alias bombs and excessive nesting are diagnostics, never exceptions.
 */
export function parseYaml(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const spans = new Map<string, NodeSpan>();
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0 || (list.length === 1 && list[0]!.contents === null && list[0]!.errors.length === 0)) {
    diagnostics.push(error('yaml-empty', 'the file is empty; expected an App mapping', { file, offset: 0 }, 'start with "apiVersion: habitat-cmp/v1" and "kind: App"'));
    return { value: undefined, spans, diagnostics };
  }
  const doc = list[0]!;
  for (const e of doc.errors) {
    const code = `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`;
    const known = YAML_MESSAGES[e.code];
    diagnostics.push(error(code, known?.[0] ?? lowerFirst(cleanYamlMessage(e.message)), { file, offset: e.pos[0], end: e.pos[1] }, known?.[1] ?? (/\t/.test(text) && e.code !== 'DUPLICATE_KEY' ? 'YAML indentation must use spaces, not tabs' : undefined)));
  }
  if (list.length > 1) {
    const second = list[1]!;
    const at = second.range?.[0] ?? 0;
    diagnostics.push(error('yaml-multiple-documents', 'habitat.yaml must hold exactly one YAML document', { file, offset: at }, 'remove the "---" separator and merge the documents'));
  }
  if (diagnostics.length) return { value: undefined, spans, diagnostics };

  const tooDeep = walk(doc.contents as Node | null, '', undefined, 0, spans, limits.maxDepth);
  if (tooDeep !== undefined) {
    diagnostics.push(error('yaml-too-deep', `nesting is deeper than ${limits.maxDepth} levels`, { file, offset: tooDeep }, 'flatten the structure'));
    return { value: undefined, spans, diagnostics };
  }
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
    return { value: undefined, spans, diagnostics };
  }
  return { value, spans, diagnostics };
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

function walk(node: Node | null, ptr: string, key: readonly [number, number] | undefined, depth: number, spans: Map<string, NodeSpan>, maxDepth: number): number | undefined {
  if (depth > maxDepth) return node?.range?.[0] ?? 0;
  spans.set(ptr, key ? { key, value: range(node, key[1]) } : { value: range(node, 0) });
  if (!node || isScalar(node) || isAlias(node)) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const name = isScalar(k) ? String(k.value) : k === null ? '' : String(k);
      const bad = walk(pair.value as Node | null, `${ptr}/${escapeSegment(name)}`, range(k, 0), depth + 1, spans, maxDepth);
      if (bad !== undefined) return bad;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const bad = walk(node.items[i] as Node | null, `${ptr}/${i}`, undefined, depth + 1, spans, maxDepth);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}
