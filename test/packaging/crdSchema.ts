// Validates a custom resource against the openAPIV3Schema of its CRD as the API
// server does with strict field validation (kubectl's default, --validate=strict):
// a field the structural schema does not declare is an error rather than silently
// pruned, and types, enums and required fields are checked along the way. The
// @kubernetes-models packages accept unknown fields, and a misspelt field in an
// Argo CD resource (preserveResourceOnDeletion) would just do nothing.

type Obj = Record<string, any>;

function typeOk(value: unknown, schema: Obj): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case undefined:
      return true;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return typeof value === schema.type;
  }
}

function check(value: unknown, schema: Obj | undefined, path: string, out: string[]): void {
  if (!schema) return;
  if (value === null) {
    if (!schema.nullable) out.push(`${path || '/'}: null is not allowed`);
    return;
  }
  if (!typeOk(value, schema)) return void out.push(`${path || '/'}: must be ${schema.type}`);
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: must be one of ${schema.enum.join(', ')}`);
  if (schema['x-kubernetes-preserve-unknown-fields'] || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((v, i) => check(v, schema.items, `${path}[${i}]`, out));
  for (const r of schema.required ?? []) if (!(r in (value as Obj))) out.push(`${path || '/'}: ${r} is required`);
  for (const [k, v] of Object.entries(value as Obj)) {
    // ObjectMeta is validated by the API server itself, not by the CRD schema.
    if (path === '' && k === 'metadata') continue;
    const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (sub === undefined && schema.additionalProperties !== true) out.push(`${path}.${k}: unknown field`);
    else check(v, sub, `${path}.${k}`, out);
  }
}

/** A validator for `kind` of `group` from the CRDs of an install; returns the problems found. */
export function crdValidator(crds: Obj[], group: string, version: string, kind: string): (obj: Obj) => string[] {
  const crd = crds.find((c) => c.kind === 'CustomResourceDefinition' && c.spec.group === group && c.spec.names.kind === kind);
  if (!crd) throw new Error(`no CRD for ${group}/${kind}`);
  const schema = crd.spec.versions.find((v: Obj) => v.name === version)?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`CRD ${crd.metadata.name} has no schema for ${version}`);
  return (obj) => {
    const out: string[] = [];
    check(obj, schema, '', out);
    return out;
  };
}
