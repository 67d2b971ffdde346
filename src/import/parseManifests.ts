import { isPlainObject } from '../model/deepMerge';
import { Composer, isMap, isPair, isScalar, isSeq, Parser, type Document, type Node } from 'yaml';
import { error, type Diagnostic, type Position } from '../diag/diagnostic';
import { cstTooDeep, DEFAULT_YAML_LIMITS, yamlStructureProblem } from '../parse/parseYaml';

export type Path = readonly (string | number)[];

/** One Kubernetes object from a manifest file (a document, or an item of a `kind: List`). */
export interface ManifestObject {
  file: string;
  /** Position among the objects of all files, for a stable report order. */
  order: number;
  value: Record<string, unknown>;
  /** Where the node at `path` (or its nearest existing ancestor) sits in `file`. */
  at(path: Path, part?: 'key' | 'value'): Position;
}

export interface ParsedManifests {
  objects: ManifestObject[];
  /** Ranges of Secret values and annotations: never shown in excerpts. */
  redact: [number, number][];
  diagnostics: Diagnostic[];
}


/** The yaml node at `path` below `root`, stopping at the deepest one that exists. */
function locate(root: Node | null, path: Path, part: 'key' | 'value'): [number, number] | undefined {
  let node: Node | null = root;
  let best: [number, number] | undefined = node?.range ? [node.range[0], node.range[1]] : undefined;
  for (let i = 0; i < path.length && node; i++) {
    const seg = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      const last = i === path.length - 1;
      best = last && part === 'key' && key.range ? [key.range[0], key.range[1]] : value?.range ? [value.range[0], value.range[1]] : key.range ? [key.range[0], key.range[1]] : best;
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item?.range) break;
      best = [item.range[0], item.range[1]];
      node = item;
    } else break;
  }
  return best;
}

/** Duplicate keys (kubectl refuses them) and complex keys, found without recursion. */
function keyProblems(root: Node | null, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: (Node | null)[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const p of n.items) {
        const k = p.key as Node | null;
        if (k !== null && !isScalar(k)) {
          out.push(error('import-yaml-complex-key', 'a mapping key must be a plain value, not a list or mapping', { file, offset: k.range?.[0] ?? 0 }));
          continue;
        }
        const name = isScalar(k) ? String(k.value) : '';
        if (seen.has(name)) out.push(error('import-yaml-duplicate-key', 'duplicate key: this mapping already has this key', { file, offset: k?.range?.[0] ?? 0 }, 'remove one of the two entries'));
        seen.add(name);
        stack.push(p.value as Node | null);
      }
    } else if (isSeq(n)) for (const it of n.items) stack.push(it as Node | null);
  }
  return out;
}

/** Values of a Secret that must never be echoed: data, stringData and annotations (last-applied-configuration copies data). */
function secretRanges(root: Node | null, prefix: Path): [number, number][] {
  const out: [number, number][] = [];
  const mapAt = (path: Path): Node | null => {
    let node = root;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        node = (pair?.value as Node | null) ?? null;
      } else if (isSeq(node) && typeof seg === 'number') node = (node.items[seg] as Node | null) ?? null;
      else return null;
    }
    return node;
  };
  for (const field of [['data'], ['stringData'], ['metadata', 'annotations']]) {
    const m = mapAt([...prefix, ...field]);
    if (isMap(m)) {
      for (const p of m.items) {
        const v = p.value as Node | null;
        if (v?.range) out.push([v.range[0], v.range[1]]);
      }
    } else if (m?.range) out.push([m.range[0], m.range[1]]);
  }
  return out;
}

const clean = (m: string) => m.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').replace(/\s+$/, '');

/**
 * Parses a manifest file as kubectl reads it: a stream of YAML (or JSON)
 * documents, empty documents skipped, `kind: *List` flattened into its items.
 * Same limits as habitat.yaml; problems are diagnostics, never exceptions.
 */
export function parseManifests(text: string, file: string, firstOrder = 0): ParsedManifests {
  const objects: ManifestObject[] = [];
  const redact: [number, number][] = [];
  const diagnostics: Diagnostic[] = [];
  if (yamlStructureProblem(text, file)) {
    return { objects, redact, diagnostics: [error('import-yaml-too-large', 'the file has more than 50,000 lines and flow-collection entries', { file, offset: 0 }, 'import fewer objects at a time')] };
  }
  const tokens = Array.from(new Parser().parse(text));
  const deep = cstTooDeep(tokens, DEFAULT_YAML_LIMITS.maxDepth);
  if (deep !== undefined) return { objects, redact, diagnostics: [error('import-yaml-too-deep', `nesting is deeper than ${DEFAULT_YAML_LIMITS.maxDepth} levels`, { file, offset: deep })] };
  const docs: Document.Parsed[] = Array.from(new Composer({ prettyErrors: false, uniqueKeys: false, strict: true, version: '1.2' }).compose(tokens));
  let order = firstOrder;
  for (const doc of docs) {
    const root = doc.contents as Node | null;
    for (const e of doc.errors) diagnostics.push(error(`import-yaml-${e.code.toLowerCase().replace(/_/g, '-')}`, clean(e.message).replace(/^./, (c) => c.toLowerCase()), { file, offset: e.pos[0], end: e.pos[1] }));
    for (const w of doc.warnings) if (w.code === 'TAG_RESOLVE_FAILED') diagnostics.push(error('import-yaml-tag-unknown', 'unknown YAML tag; Kubernetes manifests use none', { file, offset: w.pos[0], end: w.pos[1] }));
    if (doc.errors.length) continue;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    const keys = keyProblems(root, file);
    if (keys.length) {
      diagnostics.push(...keys);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: DEFAULT_YAML_LIMITS.maxAliasCount });
    } catch {
      diagnostics.push(error('import-yaml-alias-limit', `aliases expand to too many nodes (limit ${DEFAULT_YAML_LIMITS.maxAliasCount})`, { file, offset: root.range?.[0] ?? 0 }));
      continue;
    }
    if (!isPlainObject(value)) {
      diagnostics.push(error('import-not-object', 'a document is not a Kubernetes object (a mapping with apiVersion and kind)', { file, offset: root.range?.[0] ?? 0 }));
      continue;
    }
    const make = (v: Record<string, unknown>, prefix: Path): ManifestObject => ({
      file,
      order: order++,
      value: v,
      at: (path, part = 'value') => {
        const r = locate(root, [...prefix, ...path], part) ?? [0, 0];
        return { file, offset: r[0], end: r[1] };
      },
    });
    const items = value.items;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(items)) {
      items.forEach((item, i) => {
        if (!isPlainObject(item)) {
          diagnostics.push(error('import-not-object', `items[${i}] of this ${value.kind} is not a Kubernetes object`, make(value, []).at(['items', i])));
          return;
        }
        if (item.kind === 'Secret') redact.push(...secretRanges(root, ['items', i]));
        objects.push(make(item, ['items', i]));
      });
    } else {
      if (value.kind === 'Secret') redact.push(...secretRanges(root, []));
      objects.push(make(value, []));
    }
  }
  return { objects, redact, diagnostics };
}
