import type { ErrorObject } from 'ajv';
import { error, type Diagnostic, type Position } from '../diag/diagnostic';
import type { NodeSpan } from '../parse/parseYaml';
import { plainNumbers } from '../parse/exactNumber';
import { fromPointer } from '../parse/pointer';
import { habitatSchema } from './habitatSchema';
import { didYouMean } from './didYouMean';
import validateHabitat from './generated/validate.cjs';

type Spans = ReadonlyMap<string, NodeSpan>;

/** Nearest span at or above `ptr` (a missing key points at its parent mapping). */
function spanAt(spans: Spans, ptr: string, part: 'key' | 'value' = 'value'): readonly [number, number] {
  let p = ptr;
  for (;;) {
    const s = spans.get(p);
    if (s) return part === 'key' && s.key ? s.key : s.value;
    if (p === '') return [0, 0];
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

export const at = (file: string, spans: Spans, ptr: string, part: 'key' | 'value' = 'value'): Position => {
  const [offset, end] = spanAt(spans, ptr, part);
  return { file, offset, end };
};

const describePath = (ptr: string): string => (ptr === '' ? 'the document' : fromPointer(ptr).join('.'));
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`);
const wanted = (t: string | string[]): string =>
  (Array.isArray(t) ? t : [t]).map((x) => ({ object: 'a mapping', array: 'a list', integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', null: 'null' })[x] ?? x).join(' or ');

type SchemaNode = { $ref?: string; properties?: Record<string, SchemaNode>; additionalProperties?: SchemaNode | boolean; items?: SchemaNode; anyOf?: SchemaNode[] };

const deref = (n: SchemaNode | undefined): SchemaNode | undefined =>
  n?.$ref ? (habitatSchema.definitions as unknown as Record<string, SchemaNode>)[n.$ref.replace('#/definitions/', '')] : n;

/**
 * The object schema that applies at a data path. The generated validator carries
 * no schema objects (ajv verbose off keeps it small), so "did you mean" walks
 * the schema along the data instead.
 */
function schemaForInstance(ptr: string): SchemaNode | undefined {
  let cur = deref(habitatSchema as unknown as SchemaNode);
  for (const seg of fromPointer(ptr)) {
    if (!cur) return undefined;
    const next: SchemaNode | boolean | undefined = cur.properties?.[seg] ?? cur.items ?? cur.additionalProperties;
    cur = typeof next === 'object' ? deref(next) : undefined;
  }
  return cur;
}

function valueAt(root: unknown, ptr: string): unknown {
  let cur = root;
  for (const seg of fromPointer(ptr)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function toDiagnostic(e: ErrorObject, file: string, spans: Spans, root: unknown): Diagnostic | undefined {
  const path = e.instancePath;
  const where = describePath(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(schemaForInstance(path)?.properties ?? {});
      const guess = didYouMean(key, known);
      const p = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      return error(
        'schema-unknown-key',
        `unknown key "${key}" in ${where}${guess ? `; did you mean "${guess}"?` : ''}`,
        at(file, spans, p, 'key'),
        guess ? undefined : known.length ? `allowed keys: ${known.join(', ')}` : undefined,
      );
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return error('schema-missing-key', `${where} is missing the required key "${key}"`, at(file, spans, path, 'key'));
    }
    case 'type':
      return error('schema-type', `${where} must be ${wanted((e.params as { type: string | string[] }).type)}, not ${typeName(valueAt(root, path))}`, at(file, spans, path));
    case 'enum':
      return error('schema-enum', `${where} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`, at(file, spans, path));
    case 'const':
      return error('schema-const', `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`, at(file, spans, path));
    case 'minimum':
    case 'maximum':
      return error('schema-range', `${where} must be ${e.keyword === 'minimum' ? '>=' : '<='} ${(e.params as { limit: number }).limit}`, at(file, spans, path));
    case 'pattern':
      if (path.endsWith('/image')) {
        return error('schema-image', `${where} is not a valid image reference`, at(file, spans, path), 'use [registry/]name[:tag][@sha256:digest], e.g. habitat/redis-hab:4.0.14 (lowercase repository)');
      }
      return error('schema-pattern', `${where} has an invalid format (must match ${(e.params as { pattern: string }).pattern})`, at(file, spans, path));
    case 'propertyNames': {
      const name = (e.params as { propertyName: string }).propertyName;
      return error('schema-key-format', `key "${name}" in ${where} has an invalid format`, at(file, spans, `${path}/${name}`, 'key'), 'use letters, digits, "_" and "-" (dots separate TOML tables in secrets)');
    }
    case 'minLength':
      return error('schema-empty', `${where} must not be empty`, at(file, spans, path));
    case 'maxLength':
      return error('schema-too-long', `${where} is longer than ${(e.params as { limit: number }).limit} characters`, at(file, spans, path));
    case 'minProperties':
      return error('schema-empty', `${where} must have at least ${(e.params as { limit: number }).limit} entr${(e.params as { limit: number }).limit === 1 ? 'y' : 'ies'}`, at(file, spans, path));
    case 'maxProperties':
    case 'maxItems':
      return error('schema-limit', `${where} has too many entries (limit ${(e.params as { limit: number }).limit})`, at(file, spans, path));
    case 'anyOf':
      return error('schema-type', `${where} must be a workload name or a mapping {service, group}`, at(file, spans, path));
    default:
      return error('schema-invalid', `${where} ${e.message ?? 'is invalid'}`, at(file, spans, path));
  }
}

/**
 * Schema errors as diagnostics; at most one per location, outermost first.
 * `exotic`: the value holds bigints or ExactFloats, which the validator sees as doubles.
 */
export function validateSchema(parsed: unknown, file: string, spans: Spans, exotic = false): Diagnostic[] {
  const value = exotic ? plainNumbers(parsed, false) : parsed;
  if (validateHabitat(value)) return [];
  const errors = validateHabitat.errors ?? [];
  // anyOf reports each branch's failure too; keep only the anyOf summary for that node.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && [...anyOfPaths].some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/'))) continue;
    if (e.keyword === 'propertyNames') continue; // reported by the pattern error on the name itself below
    const d = e.keyword === 'pattern' && e.propertyName !== undefined
      ? toDiagnostic({ ...e, keyword: 'propertyNames', params: { propertyName: e.propertyName } }, file, spans, value)
      : toDiagnostic(e, file, spans, value);
    if (!d) continue;
    const key = `${d.offset}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
}
