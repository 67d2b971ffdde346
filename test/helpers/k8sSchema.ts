import * as appsV1 from 'kubernetes-models/apps/v1';
import * as coreV1 from 'kubernetes-models/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as policyV1beta1 from 'kubernetes-models/policy/v1beta1';
import * as sealed from '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1';

type Model = new (data: object) => { validate(): void };
const MODELS: Record<string, Record<string, unknown>> = {
  'apps/v1': appsV1,
  v1: coreV1,
  'policy/v1': policyV1,
  'policy/v1beta1': policyV1beta1,
  'bitnami.com/v1alpha1': sealed,
};

/**
 * Validates one object against the Kubernetes OpenAPI schema of its
 * apiVersion/kind (kubernetes-models), or the SealedSecret CRD schema. Throws
 * with the reason; an unknown kind is itself a failure.
 */
export function validateK8s(obj: { apiVersion?: unknown; kind?: unknown; [k: string]: unknown }): void {
  const group = MODELS[String(obj.apiVersion)];
  const Ctor = group?.[String(obj.kind)] as Model | undefined;
  if (!Ctor) throw new Error(`no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`);
  new Ctor(obj as object).validate();
}
