/**
 * Sync hygiene for Argo CD 3.x (issue 10): what the API server fills in is
 * rendered, plain config Secrets can be taken over by Sealed Secrets, objects
 * client-side apply cannot store are refused, and the immutable StatefulSet
 * fields never move when anything but identity or persistence changes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAction } from '../../src/action/render';
import { memFs } from '../../src/load/repoFs';
import { lineCol } from '../../src/diag/format';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cli, ROOT } from '../helpers/cli';
import { goJsonString } from '../cmp/go';
import { goJsonBytes } from '../../src/validate/checkApplySize';
import { sampleCases } from '../helpers/samples';
import { parseAllDocuments } from 'yaml';

type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: Record<string, unknown> } & Record<string, unknown>;

const renderSample = (args: string[]): Obj[] => {
  const r = cli(args);
  assert.is(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
};

test('every volumeClaimTemplate of every sample names apiVersion v1 and kind PersistentVolumeClaim', () => {
  let seen = 0;
  for (const c of sampleCases()) {
    for (const o of renderSample(c.args)) {
      for (const vct of ((o.spec?.volumeClaimTemplates ?? []) as Record<string, unknown>[])) {
        seen++;
        assert.is(vct.apiVersion, 'v1', `${c.golden} ${o.metadata.name}`);
        assert.is(vct.kind, 'PersistentVolumeClaim', `${c.golden} ${o.metadata.name}`);
      }
    }
  }
  assert.ok(seen > 0, 'some sample has persistence');
});

test('plain config Secrets carry sealedsecrets.bitnami.com/managed: "true"; SealedSecret templates do not', () => {
  let plain = 0;
  for (const c of sampleCases()) {
    for (const o of renderSample(c.args)) {
      if (o.kind === 'Secret') {
        plain++;
        assert.is(o.metadata.annotations?.['sealedsecrets.bitnami.com/managed'], 'true', `${c.golden} ${o.metadata.name}`);
      }
      if (o.kind === 'SealedSecret') {
        const tpl = (o.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
        assert.is(tpl.metadata.annotations?.['sealedsecrets.bitnami.com/managed'], undefined);
      }
    }
  }
  assert.ok(plain > 0);
});

const app = (config: string, extra = '') =>
  `apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: big, namespace: ns}\n${extra}services:\n  db:\n    image: core/redis\n    config:\n      blob: ${config}\n`;

test('client-side apply limit: a 257 KiB config Secret is refused at services.db.config, naming ServerSideApply=true', () => {
  const text = app('x'.repeat(257 * 1024));
  const r = renderAction(memFs({ 'habitat.yaml': text }), {});
  assert.equal(r.diagnostics.map((d) => d.code), ['apply-too-large']);
  const d = r.diagnostics[0]!;
  assert.match(d.message, /Secret "db-config"/);
  assert.match(d.hint ?? '', /ServerSideApply=true/);
  assert.match(d.hint ?? '', /sync\.serverSideApply: true/);
  const { line } = lineCol(text, d.offset!);
  assert.ok(text.split('\n')[line - 1]!.startsWith('      blob: xxx'), `line ${line}: the config mapping of services.db`);
  assert.is(r.objects.length, 0, 'nothing is rendered');
});

test('client-side apply limit: 240 KiB of plain text still fits; 50 Ki of "<" does not (Go escapes it as \\u003c, 6 bytes)', () => {
  assert.equal(renderAction(memFs({ 'habitat.yaml': app('x'.repeat(240 * 1024)) }), {}).diagnostics, []);
  const codes = renderAction(memFs({ 'habitat.yaml': app(`"${'<'.repeat(50 * 1024)}"`) }), {}).diagnostics.map((d) => d.code);
  assert.equal(codes, ['apply-too-large']);
});

test('sync.serverSideApply: true renders the large object and annotates every object with ServerSideApply=true', () => {
  const r = renderAction(memFs({ 'habitat.yaml': app('x'.repeat(300 * 1024), 'sync: {serverSideApply: true}\n') }), {});
  assert.equal(r.diagnostics, []);
  for (const o of r.objects as Obj[]) assert.is(o.metadata.annotations?.['argocd.argoproj.io/sync-options'], 'ServerSideApply=true', `${o.kind} ${o.metadata.name}`);
  const sts = (r.objects as Obj[]).find((o) => o.kind === 'StatefulSet')!;
  const tpl = (sts.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
  assert.is(tpl.metadata.annotations?.['argocd.argoproj.io/sync-options'], undefined, 'not on the pod template');
});

test('sync.serverSideApply can be set per environment; the base stays client-side', () => {
  const text = app('small', 'environments:\n  prod:\n    sync: {serverSideApply: true}\n');
  const base = renderAction(memFs({ 'habitat.yaml': text }), {});
  const prod = renderAction(memFs({ 'habitat.yaml': text }), { environment: 'prod' });
  assert.ok((base.objects as Obj[]).every((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-options'] === undefined));
  assert.ok((prod.objects as Obj[]).every((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-options'] === 'ServerSideApply=true'));
});

test('the size estimate counts what Go encoding/json writes (oracle: test/cmp/go.ts, written from its documented escaping)', () => {
  const alphabet = ['a', 'é', '€', '😀', '<', '>', '&', '\b', '\f', '\n', '\t', '\u0001', '\u007f', '\u2028', '\u2029', '"', '\\', '\\b', 'b', ' '];
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  for (let round = 0; round < 300; round++) {
    const str = () => Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const obj: Record<string, string> = {};
    for (let i = 0; i < 4; i++) obj[str()] = str();
    const go = '{' + Object.entries(obj).map(([k, v]) => `${goJsonString(k)}:${goJsonString(v)}`).join(',') + '}';
    assert.is(goJsonBytes(JSON.stringify(obj)), Buffer.byteLength(go), JSON.stringify(obj));
  }
});

const sealedKey = (parse(readFileSync(join(ROOT, 'samples/encrypted/habitat.yaml'), 'utf8')) as { ring: { sealedKey: string } }).ring.sealedKey;

test('sync waves: none by default; sync.sealedSecretsWave puts only SealedSecrets (not their templates) in that wave', () => {
  const text = (extra: string) => `apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: w, namespace: ns}\nring: {sealedKey: ${sealedKey}}\n${extra}services:\n  db: {image: core/redis, secrets: {pw: ${sealedKey}}}\n`;
  const wave = (o: Obj) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
  const plain = renderAction(memFs({ 'habitat.yaml': text('') }), {});
  assert.equal(plain.diagnostics, []);
  assert.ok((plain.objects as Obj[]).every((o) => wave(o) === undefined));
  const opted = renderAction(memFs({ 'habitat.yaml': text('sync: {sealedSecretsWave: -1}\n') }), {});
  assert.equal(opted.diagnostics, []);
  const sealed = (opted.objects as Obj[]).filter((o) => o.kind === 'SealedSecret');
  assert.is(sealed.length, 2);
  for (const o of opted.objects as Obj[]) assert.is(wave(o), o.kind === 'SealedSecret' ? '-1' : undefined, `${o.kind} ${o.metadata.name}`);
  for (const o of sealed) assert.is((o.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations?.['argocd.argoproj.io/sync-wave'], undefined);
  const bad = renderAction(memFs({ 'habitat.yaml': text('sync: {sealedSecretsWave: 1}\n') }), {});
  assert.ok(bad.diagnostics.length > 0 && bad.objects.length === 0, 'a positive wave (after the workloads) is refused');
  assert.match(bad.diagnostics[0]!.message, /sealedSecretsWave/);
});

const immutables = (objs: readonly Obj[]) =>
  Object.fromEntries(
    objs
      .filter((o) => o.kind === 'StatefulSet')
      .map((o) => {
        const s = o.spec as Record<string, unknown>;
        return [o.metadata.name, JSON.stringify([s.selector, s.serviceName, s.podManagementPolicy, s.volumeClaimTemplates])];
      }),
  );

test('selector, serviceName, podManagementPolicy and volumeClaimTemplates do not move when anything but identity or persistence changes', () => {
  const base = {
    image: 'core/redis:1', count: 3, topology: 'leader', group: 'default', service: 'redis', configUpdate: 'reload',
    env: { A: '1' }, config: { port: 1 }, persistence: { size: '1Gi', mountPath: '/data' },
  } as Record<string, unknown>;
  const variants: [string, Record<string, unknown>, string][] = [
    ['image', { image: 'core/redis:2' }, ''],
    ['count', { count: 5 }, ''],
    ['topology', { topology: 'standalone', count: 1 }, ''],
    ['group', { group: 'blue' }, ''],
    ['service', { service: 'redis2' }, ''],
    ['configUpdate', { configUpdate: 'restart' }, ''],
    ['env', { env: { A: '2', B: '3' } }, ''],
    ['config', { config: { port: 2 } }, ''],
    ['channel', { channel: 'unstable' }, ''],
    ['resources', { resources: { requests: { cpu: '1' } } }, ''],
    ['ports', { ports: [{ name: 'redis', port: 6379 }] }, ''],
    ['pod', { pod: { labels: { tier: 'db' }, annotations: { a: 'b' }, nodeSelector: { x: 'y' } } }, ''],
    ['app labels', {}, 'metadata: {name: im, namespace: ns, labels: {team: web}}\n'],
    ['ring key', {}, `metadata: {name: im, namespace: ns}\nring: {sealedKey: ${sealedKey}}\n`],
    ['sync', {}, 'metadata: {name: im, namespace: ns}\nsync: {serverSideApply: true}\n'],
  ];
  const render = (svc: Record<string, unknown>, head = 'metadata: {name: im, namespace: ns}\n') => {
    const text = `apiVersion: habitat-cmp/v1\nkind: App\n${head}services:\n  db: ${JSON.stringify(svc)}\n  web: {image: x/web}\n`;
    const r = renderAction(memFs({ 'habitat.yaml': text }), {});
    assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), [], text);
    return immutables(r.objects as Obj[]);
  };
  const before = render(base);
  for (const [what, change, head] of variants) assert.equal(render({ ...base, ...change }, head || undefined), before, `changing ${what} moved an immutable field`);
  // The counter-check: persistence is a volumeClaimTemplate, so changing it must show.
  assert.is.not(render({ ...base, persistence: { size: '2Gi', mountPath: '/data' } }).db, before.db);
});

test.run();
