/**
 * JSON Schema (draft-07) of habitat.yaml v1. Types and shapes only; rules that
 * need context (names, binds, cycles, paths, scopes) are semantic checks in
 * src/validate so they can say more than a schema error can.
 *
 * Compiled to a standalone validator at build time (scripts/build.mjs); the
 * `schema` command prints this object.
 */
import { podDefinitions, podSchema } from './podSchema';

const scalarMap = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } } as const;
const quantity = { type: ['string', 'number'], pattern: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$' } as const;

/** A dotted TOML path of bare keys; also a valid Secret data key. */
export const SECRET_PATH_PATTERN = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$';

export const IMAGE_PATTERN =
  '^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$';

const serviceProperties = {
  image: { type: 'string', minLength: 1, maxLength: 512, pattern: IMAGE_PATTERN, description: 'An image made by `hab pkg export container`.' },
  service: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 128, description: 'Habitat service (package) name; default: the workload name.' },
  group: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 128, description: 'Service group; default "default".' },
  topology: { enum: ['standalone', 'leader'] },
  count: { type: 'integer', minimum: 0, maximum: 1000 },
  channel: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', maxLength: 128 },
  bindingMode: { enum: ['strict', 'relaxed'] },
  config: { type: 'object', description: 'Plain user.toml, written as YAML.' },
  configFile: { type: 'string', minLength: 1, maxLength: 1024, description: 'TOML file relative to habitat.yaml; `config` wins on conflicts.' },
  secrets: {
    type: 'object',
    description: 'Sealed values (from `habitat-cmp seal`) placed in user.toml at dotted TOML paths.',
    propertyNames: { pattern: SECRET_PATH_PATTERN, maxLength: 253 },
    additionalProperties: { type: 'string', minLength: 1 },
  },
  binds: {
    type: 'object',
    propertyNames: { pattern: '^[A-Za-z0-9_-]+$', maxLength: 64 },
    additionalProperties: {
      anyOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          required: ['service'],
          additionalProperties: false,
          properties: {
            service: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
            group: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
          },
        },
      ],
    },
  },
  ports: {
    type: 'array',
    maxItems: 100,
    items: {
      type: 'object',
      required: ['name', 'port'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        targetPort: { type: 'integer', minimum: 1, maximum: 65535 },
        protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
      },
    },
  },
  persistence: {
    type: 'object',
    required: ['size', 'mountPath'],
    additionalProperties: false,
    properties: {
      size: quantity,
      mountPath: { type: 'string', pattern: '^/', maxLength: 1024 },
      storageClassName: { type: 'string', minLength: 1, maxLength: 253 },
      accessModes: { type: 'array', minItems: 1, items: { enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] } },
    },
  },
  env: scalarMap,
  resources: {
    type: 'object',
    additionalProperties: false,
    properties: {
      requests: { type: 'object', additionalProperties: quantity },
      limits: { type: 'object', additionalProperties: quantity },
    },
  },
  configUpdate: { enum: ['reload', 'restart'] },
  pod: podSchema,
} as const;

/** `service.group` of another app's ring, as `--bind` spells it (no `.`, `@` or `#` inside either part). */
export const SERVICE_GROUP_PATTERN = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';

/** Other apps whose gossip ring this app shares (binds resolve only inside one ring). */
const ringJoin = {
  type: 'array',
  maxItems: 64,
  description: 'Apps whose ring this app joins: seeds come from their ring Service, and binds may name their service groups.',
  items: {
    type: 'object',
    required: ['app'],
    additionalProperties: false,
    properties: {
      app: { type: 'string', minLength: 1, maxLength: 253, description: 'The other app\'s name (its metadata.name); its ring Service is <app>-ring.' },
      namespace: { type: 'string', minLength: 1, maxLength: 253, description: 'Its namespace; default: this app\'s namespace.' },
      groups: {
        type: 'array',
        maxItems: 2000,
        items: { type: 'string', maxLength: 257, pattern: SERVICE_GROUP_PATTERN },
        description: 'Its service groups (service.group) that workloads of this app bind to.',
      },
    },
  },
} as const;

const metadataProperties = {
  name: { type: 'string', minLength: 1 },
  namespace: { type: 'string', minLength: 1 },
  labels: scalarMap,
} as const;

/** How Argo CD applies the objects; only what changes what habitat-cmp may render. */
const syncSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    serverSideApply: {
      type: 'boolean',
      description: 'Argo CD applies with ServerSideApply=true (every object is annotated so): no last-applied-configuration copy, so objects may exceed the 256 KiB client-side-apply limit.',
    },
    sealedSecretsWave: {
      type: 'integer',
      minimum: -100,
      maximum: -1,
      description: 'Opt-in Argo CD sync wave for SealedSecrets (e.g. -1): workloads wait until they are healthy. Off by default: one undecryptable SealedSecret then blocks every sync.',
    },
  },
} as const;

export const habitatSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://habitat-cmp.dev/schema/habitat-v1.json',
  title: 'habitat.yaml (habitat-cmp/v1)',
  type: 'object',
  required: ['apiVersion', 'kind', 'services'],
  // One definition for base and overlays keeps the generated validator small (start-up cost).
  definitions: {
    service: { type: 'object', additionalProperties: false, properties: serviceProperties },
    ...podDefinitions,
  },
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'habitat-cmp/v1' },
    kind: { const: 'App' },
    metadata: { type: 'object', additionalProperties: false, properties: metadataProperties },
    ring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sealedKey: { type: 'string', minLength: 1, description: 'Sealed SYM-SEC-1 ring key (`habitat-cmp ring-key`).' },
        join: ringJoin,
      },
    },
    sealing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        certificate: { type: 'string', minLength: 1 },
        scope: { enum: ['strict', 'namespace-wide', 'cluster-wide'] },
      },
    },
    sync: syncSchema,
    services: {
      type: 'object',
      minProperties: 1,
      maxProperties: 2000,
      additionalProperties: { type: 'object', $ref: '#/definitions/service', required: ['image'] },
    },
    environments: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          metadata: { type: 'object', additionalProperties: false, properties: { labels: scalarMap, namespace: metadataProperties.namespace } },
          ring: { type: 'object', additionalProperties: false, properties: { sealedKey: { type: 'string', minLength: 1 }, join: ringJoin } },
          sync: syncSchema,
          services: {
            type: 'object',
            // Overlays may set any service field; `image` is required only after merging.
            additionalProperties: { $ref: '#/definitions/service' },
          },
        },
      },
    },
  },
} as const;
