import type { FieldPath, Finding } from './finding';
import type { KubeRules } from './kubeRules';
import { validateAnnotations, validateLabels } from './objectMeta';
import { validatePodSpec } from './podSpec';
import { validatePodSpecificAnnotations } from './podSpecificAnnotations';
import { asObj } from './untyped';

/**
 * core ValidatePodTemplateSpec: what the API server checks of a StatefulSet's
 * template from Kubernetes 1.34, and of every pod the StatefulSet controller
 * creates from it in any version.
 */
export function validatePodTemplate(raw: unknown, rules: KubeRules, p: FieldPath): Finding[] {
  const t = asObj(raw) ?? {};
  const meta = asObj(t.metadata) ?? {};
  return [
    ...validateLabels(meta.labels, [...p, 'metadata', 'labels']),
    ...validateAnnotations(meta.annotations, [...p, 'metadata', 'annotations']),
    ...validatePodSpecificAnnotations(meta.annotations, t.spec, [...p, 'metadata', 'annotations']),
    ...validatePodSpec(t.spec, rules, [...p, 'spec']),
  ];
}
