import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './helpers/cli';
import { sampleCases } from './helpers/samples';

/**
 * The samples deploy as written: everything a pod template names is rendered
 * by the app itself, or is something every namespace has (the "default"
 * ServiceAccount). Admission refuses pods whose ServiceAccount does not exist,
 * long after Argo CD has shown the app Synced.
 */
type Obj = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
type PodSpec = {
  serviceAccountName?: string;
  volumes?: { configMap?: { name: string }; secret?: { secretName: string } }[];
  containers: { env?: { valueFrom?: { secretKeyRef?: { name: string }; configMapKeyRef?: { name: string } } }[] }[];
  imagePullSecrets?: { name: string }[];
};

/** What the StatefulSets name that the stream itself does not hold, as "<StatefulSet>: <Kind> <name>". */
function missingReferences(docs: Obj[]): string[] {
  const out: string[] = [];
  const need = (sts: string, kinds: string[], name: string) => {
    if (!docs.some((d) => kinds.includes(d.kind) && d.metadata.name === name)) out.push(`${sts}: ${kinds[0]} ${name}`);
  };
  for (const sts of docs.filter((d) => d.kind === 'StatefulSet')) {
    const spec = sts.spec as { serviceName: string; template: { spec: PodSpec } };
    const at = sts.metadata.name;
    need(at, ['Service'], spec.serviceName);
    const pod = spec.template.spec;
    if ((pod.serviceAccountName ?? 'default') !== 'default') need(at, ['ServiceAccount'], pod.serviceAccountName!);
    for (const v of pod.volumes ?? []) {
      if (v.configMap) need(at, ['ConfigMap'], v.configMap.name);
      if (v.secret) need(at, ['Secret', 'SealedSecret'], v.secret.secretName);
    }
    for (const e of pod.containers.flatMap((ct) => ct.env ?? [])) {
      if (e.valueFrom?.secretKeyRef) need(at, ['Secret', 'SealedSecret'], e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef) need(at, ['ConfigMap'], e.valueFrom.configMapKeyRef.name);
    }
    for (const p of pod.imagePullSecrets ?? []) need(at, ['Secret', 'SealedSecret'], p.name);
  }
  return out;
}

for (const c of sampleCases()) {
  test(`${c.golden}: every object a pod names is rendered (or built in)`, () => {
    const docs = parseAllDocuments(readFileSync(join(ROOT, 'test/golden', c.golden), 'utf8')).map((d) => d.toJS() as Obj);
    assert.equal(missingReferences(docs), []);
  });
}

test('the check can fail: a ServiceAccount, a ConfigMap and a Secret nobody renders', () => {
  const sts: Obj = {
    kind: 'StatefulSet',
    metadata: { name: 'api' },
    spec: { serviceName: 'shop-ring', template: { spec: { serviceAccountName: 'shop-api', volumes: [{ configMap: { name: 'x-peers' } }], containers: [{ env: [{ valueFrom: { secretKeyRef: { name: 'k' } } }] }] } } },
  };
  assert.equal(missingReferences([sts, { kind: 'Service', metadata: { name: 'shop-ring' } }]), ['api: ServiceAccount shop-api', 'api: ConfigMap x-peers', 'api: Secret k']);
});

test.run();
