/** Impact rules on rendered objects (in memory), including changes today's renderer cannot produce by itself. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderAction } from '../../src/action/render';
import { memFs } from '../../src/load/repoFs';
import { assessImpact, faultTolerance } from '../../src/diff/impact';
import { diffObjects } from '../../src/diff/objectDiff';
import type { K8sObject } from '../../src/render/renderApp';
import type { ImpactItem } from '../../src/diff/types';
import { ROOT } from '../helpers/cli';

const SEALED = (parse(readFileSync(join(ROOT, 'samples/encrypted/habitat.yaml'), 'utf8')) as { ring: { sealedKey: string } }).ring.sealedKey;

const app = (services: string, head = 'metadata: {name: a, namespace: ns}\n') => `apiVersion: habitat-cmp/v1\nkind: App\n${head}services:\n${services}`;
function render(text: string): { objects: K8sObject[]; model: NonNullable<ReturnType<typeof renderAction>['model']> } {
  const r = renderAction(memFs({ 'habitat.yaml': text }), {});
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), [], text);
  return { objects: r.objects, model: r.model! };
}
function impact(before: string | K8sObject[], after: string | K8sObject[]): ImpactItem[] {
  const b = typeof before === 'string' ? render(before) : { objects: before, model: undefined };
  const a = typeof after === 'string' ? render(after) : { objects: after, model: undefined };
  return assessImpact(diffObjects(b.objects, a.objects), { ...(b.model ? { before: b.model } : {}), ...(a.model ? { after: a.model } : {}) });
}
const summaries = (items: ImpactItem[]) => items.map((i) => `${i.kind}: ${i.summary}`);
const edit = (objs: K8sObject[], kind: string, change: (o: Record<string, any>) => void): K8sObject[] =>
  objs.map((o) => {
    if (o.kind !== kind) return o;
    const c = structuredClone(o) as Record<string, any>;
    change(c);
    return c as K8sObject;
  });

test('fault tolerance is a majority quorum: 1→0, 3→1, 4→1, 5→2, 7→3', () => {
  assert.equal([1, 2, 3, 4, 5, 6, 7].map(faultTolerance), [0, 0, 1, 1, 2, 2, 3]);
});

test('leader 5 → 4: even count and lower fault tolerance; 3 → 0: the group stops', () => {
  const s = summaries(impact(app('  db: {image: x/db, topology: leader, count: 5}\n'), app('  db: {image: x/db, topology: leader, count: 4}\n')));
  assert.ok(s.includes('leader: leader group db: 5 → 4 members, an even count: quorum is 3, it tolerates 1 failure, as 3 members do'), s.join('\n'));
  assert.ok(s.includes('leader: leader group db: 5 → 4 members lowers fault tolerance from 2 to 1 failure'), s.join('\n'));
  const stop = impact(app('  db: {image: x/db, topology: leader, count: 3}\n'), app('  db: {image: x/db, topology: leader, count: 0}\n'));
  assert.ok(stop.some((i) => i.summary === 'leader group db: 3 → 0 members lowers fault tolerance from 1 to 0 failures' && i.details.includes('the group stops')));
  assert.not.ok(stop.some((i) => i.kind === 'rolls'), 'nothing rolls at 0 replicas');
  const up = summaries(impact(app('  db: {image: x/db, topology: leader, count: 3}\n'), app('  db: {image: x/db, topology: leader, count: 5}\n')));
  assert.not.ok(up.some((x) => x.startsWith('leader')), up.join('\n'));
});

test('a leader group below 3 is an error (objects edited: render refuses it)', () => {
  const b = render(app('  db: {image: x/db, topology: leader, count: 3}\n')).objects;
  const a = edit(b, 'StatefulSet', (o) => (o.spec.replicas = 2));
  const items = impact(b, a);
  assert.ok(items.some((i) => i.severity === 'error' && i.summary === 'leader group db: 3 → 2 members; a leader group needs 0 or at least 3'), summaries(items).join('\n'));
});

test('storage shrink and class change: no PVC patch, the reason is said', () => {
  const items = impact(
    app('  db: {image: x/db, persistence: {size: 2Gi, mountPath: /d, storageClassName: a}}\n'),
    app('  db: {image: x/db, persistence: {size: 1Gi, mountPath: /d, storageClassName: b}}\n'),
  );
  const fail = items.find((i) => i.kind === 'sync-fails')!;
  assert.ok(fail.details.some((d) => /size 2Gi → 1Gi: a PersistentVolumeClaim cannot shrink/.test(d)));
  assert.ok(fail.details.some((d) => /storageClassName "a" → "b": existing PVCs keep their class/.test(d)));
  assert.not.ok(fail.commands.some((c) => c.includes('patch pvc')));
  assert.equal(fail.commands.filter((c) => !c.startsWith('#')), ['kubectl -n ns delete statefulset db --cascade=orphan']);
});

test('size growth without a namespace and without a class: the recipe asks the PVC for its class and has no -n', () => {
  const items = impact(app('  db: {image: x/db, count: 2, persistence: {size: 1Gi, mountPath: /d}}\n', 'metadata: {name: a}\n'), app('  db: {image: x/db, count: 2, persistence: {size: 3Gi, mountPath: /d}}\n', 'metadata: {name: a}\n'));
  const fail = items.find((i) => i.kind === 'sync-fails')!;
  assert.equal(fail.commands.filter((c) => !c.startsWith('#')), [
    `kubectl get storageclass "$(kubectl get pvc persistent-db-0 -o jsonpath='{.spec.storageClassName}')" -o jsonpath='{.allowVolumeExpansion}'`,
    `kubectl patch pvc persistent-db-0 -p '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}'`,
    `kubectl patch pvc persistent-db-1 -p '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}'`,
    'kubectl delete statefulset db --cascade=orphan',
  ]);
});

test('selector, serviceName and podManagementPolicy changes are refused updates too (objects edited)', () => {
  const b = render(app('  db: {image: x/db}\n')).objects;
  const a = edit(b, 'StatefulSet', (o) => {
    o.spec.selector.matchLabels.extra = 'x';
    o.spec.serviceName = 'other';
    o.spec.podManagementPolicy = 'OrderedReady';
  });
  const fail = impact(b, a).find((i) => i.kind === 'sync-fails')!;
  assert.match(fail.summary, /immutable fields podManagementPolicy, selector, serviceName change/);
  assert.ok(fail.details.some((d) => d.startsWith('serviceName: "a-ring" → "other"')));
  // Mutable fields are not flagged.
  const ok = edit(b, 'StatefulSet', (o) => {
    o.spec.replicas = 4;
    o.spec.updateStrategy = { type: 'OnDelete' };
    o.spec.minReadySeconds = 5;
  });
  assert.not.ok(impact(b, ok).some((i) => i.kind === 'sync-fails'));
});

test('SealedSecret → plain Secret is called out; so is a Secret read through env without a roll', () => {
  const sealed = app(`  db: {image: x/db, secrets: {pw: ${SEALED}}}\n`);
  const plain = app('  db: {image: x/db, config: {pw: x}}\n');
  const back = impact(sealed, plain);
  assert.ok(back.some((i) => i.kind === 'switch' && i.summary === 'db-config: SealedSecret → plain Secret'), summaries(back).join('\n'));
  // A ring key change whose pods are not rolled by a hash: running pods keep the old key.
  const b = render(app('  db: {image: x/db}\n', `metadata: {name: a, namespace: ns}\nring: {sealedKey: ${SEALED}}\n`)).objects;
  const strip = (objs: K8sObject[]) => edit(objs, 'StatefulSet', (o) => delete o.spec.template.metadata.annotations['habitat.sh/ring-key-hash']);
  const a = edit(b, 'SealedSecret', (o) => (o.spec.encryptedData['ring-key'] = SEALED.slice(0, -8) + 'AAAAAAAA'));
  const items = impact(strip(b), strip(a));
  assert.ok(items.some((i) => i.kind === 'restart-needed' && /db: reads a-ring-key through env, which is resolved only at start/.test(i.summary) && i.commands[0] === 'kubectl -n ns rollout restart statefulset db'), summaries(items).join('\n'));
});

test('cluster-wide sealed values may move namespace; strict ones may not', () => {
  const at = (ns: string, scope: string) => app(`  db: {image: x/db, secrets: {pw: ${SEALED}}}\n`, `metadata: {name: a, namespace: ${ns}}\nsealing: {scope: ${scope}}\n`);
  assert.ok(impact(at('one', 'strict'), at('two', 'strict')).some((i) => i.severity === 'error' && i.kind === 'sealed'));
  assert.ok(impact(at('one', 'namespace-wide'), at('two', 'namespace-wide')).some((i) => i.severity === 'error' && i.kind === 'sealed'));
  assert.not.ok(impact(at('one', 'cluster-wide'), at('two', 'cluster-wide')).some((i) => i.kind === 'sealed' && i.severity === 'error'));
});

test('no change, no impact; ordering puts errors first', () => {
  const t = app('  db: {image: x/db, topology: leader, count: 3, persistence: {size: 1Gi, mountPath: /d}}\n');
  assert.equal(impact(t, t), []);
  const items = impact(t, app('  db: {image: x/db:2, topology: leader, count: 4, persistence: {size: 2Gi, mountPath: /d}}\n'));
  const rank = { error: 0, warning: 1, info: 2 };
  assert.equal(items.map((i) => rank[i.severity]), [...items.map((i) => rank[i.severity])].sort());
  assert.is(items[0]!.kind, 'sync-fails');
});

test('roll reasons name env variables, resources and Supervisor arguments', () => {
  const items = impact(
    app('  db: {image: x/db, env: {A: "1", C: "3"}}\n  web: {image: x/web}\n'),
    app('  db: {image: x/db, env: {A: "2", B: "1"}, resources: {limits: {memory: 1Gi}}, channel: beta}\n  web: {image: x/web}\n'),
  );
  const roll = items.find((i) => i.kind === 'rolls')!;
  assert.is(roll.summary, 'pods of db roll (1): Supervisor arguments (topology, group, channel, binds), resources, env A (changed), B (added), C (removed)');
  assert.is(items.filter((i) => i.kind === 'rolls').length, 1, 'web does not roll');
});

test('a Service-only change has no impact, and the formats say so', async () => {
  const b = app('  web: {image: x/web, ports: [{name: http, port: 80, targetPort: 8080}]}\n');
  const a = app('  web: {image: x/web, ports: [{name: http, port: 81, targetPort: 8080}]}\n');
  assert.equal(impact(b, a), []);
  const { formatText } = await import('../../src/diff/formatText');
  const { formatMarkdown } = await import('../../src/diff/formatMarkdown');
  const pairs = diffObjects(render(b).objects, render(a).objects);
  const report = { app: 'a', base: { label: 'b' }, head: { label: 'h' }, impact: [], objects: pairs.map((p) => p.entry), counts: { added: 0, removed: 0, changed: pairs.filter((p) => p.status === 'changed').length, unchanged: pairs.filter((p) => p.status === 'unchanged').length } };
  assert.is(report.counts.changed, 1);
  assert.match(formatText(report, false), /\nImpact: none \(no pod rolls, no sync fails, nothing is pruned\)\n\nObjects: 0 added, 0 removed, 1 changed/);
  assert.match(formatMarkdown(report), /### Impact\n\nNone: no pod rolls/);
});

test('text output: control characters from config keys are escaped, never sent to the terminal', async () => {
  const { formatText } = await import('../../src/diff/formatText');
  const b = app('  db: {image: x/db, config: {plain: 1}}\n');
  const a = app('  db: {image: x/db, config: {"evil\\e[2J\\u0007": 1, plain: 1}}\n');
  const pairs = diffObjects(render(b).objects, render(a).objects);
  const items = impact(b, a);
  const report = { app: 'a', base: { label: 'b' }, head: { label: 'h' }, impact: items, objects: pairs.map((p) => p.entry), counts: { added: 0, removed: 0, changed: 1, unchanged: pairs.length - 1 } };
  const out = formatText(report, false);
  assert.not.match(out, /[\u0000-\u0009\u000b-\u001f\u007f]/);
  assert.match(out, /evil\\x1b\[2J\\x07 \(added\)/);
});

test.run();
