import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import Ajv from 'ajv';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as policyV1beta1 from 'kubernetes-models/policy/v1beta1';
import * as coreV1 from 'kubernetes-models/v1';

type Model = new (data: object) => { validate(): void };
const MODELS: Record<string, Record<string, unknown>> = {
  'apps/v1': appsV1,
  v1: coreV1,
  'policy/v1': policyV1,
  'policy/v1beta1': policyV1beta1,
};

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/**
 * SealedSecret (bitnami.com/v1alpha1) as the controller's CRD defines it
 * (bitnami-labs/sealed-secrets helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml):
 * spec.encryptedData is required, a map of strings; spec.template has data (a
 * map of strings or null), metadata and type. Fields the CRD does not know are
 * refused here: the API server would prune them silently.
 */
const sealedSecret = new Ajv({ allErrors: true, strict: false }).compile({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'bitnami.com/v1alpha1' },
    kind: { const: 'SealedSecret' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['encryptedData'],
      additionalProperties: false,
      properties: {
        encryptedData: stringMap,
        template: {
          type: 'object',
          additionalProperties: false,
          properties: { data: { anyOf: [stringMap, { type: 'null' }] }, metadata: { type: 'object' }, type: { type: 'string' } },
        },
      },
    },
  },
});

/**
 * Validates one object against the Kubernetes OpenAPI schema of its
 * apiVersion/kind (kubernetes-models), or the SealedSecret CRD schema. Throws
 * with the reason; an unknown kind is itself a failure.
 */
export function validateK8s(obj: { apiVersion?: unknown; kind?: unknown; [k: string]: unknown }): void {
  if (obj.apiVersion === 'bitnami.com/v1alpha1' && obj.kind === 'SealedSecret') {
    if (!sealedSecret(obj)) throw new Error(`SealedSecret: ${JSON.stringify(sealedSecret.errors)}`);
    new ObjectMeta(obj.metadata as object).validate();
    const template = (obj.spec as { template?: { metadata?: object } }).template;
    if (template?.metadata) new ObjectMeta(template.metadata).validate();
    return;
  }
  const group = MODELS[String(obj.apiVersion)];
  const Ctor = group?.[String(obj.kind)] as Model | undefined;
  if (!Ctor) throw new Error(`no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`);
  new Ctor(obj as object).validate();
}
