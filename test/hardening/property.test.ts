import TOML from '@iarna/toml';
import fc from 'fast-check';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { renderAction } from '../../src/action/render';
import { formatDiagnostics } from '../../src/diag/format';
import { memFs, type MemEntry } from '../../src/load/repoFs';
import { toYamlStream } from '../../src/serialize/toYaml';
import { cli, ROOT } from '../helpers/cli';
import { validateK8s } from '../helpers/k8sSchema';

/**
 * Property tests. `npm test` runs a bounded number of cases; `npm run fuzz`
 * runs this file with HABITAT_FUZZ_RUNS (and HABITAT_FUZZ_SEED to replay).
 */
const RUNS = Number(process.env.HABITAT_FUZZ_RUNS ?? 150);
// npm test uses a fixed seed so CI is repeatable; `npm run fuzz` explores new seeds
// (HABITAT_FUZZ_SEED=random) and prints the seed of any failure to replay it.
const SEED_ENV = process.env.HABITAT_FUZZ_SEED ?? (process.env.HABITAT_FUZZ_RUNS === undefined ? '20261123' : 'random');
const SEED = SEED_ENV === 'random' ? undefined : Number(SEED_ENV);
const params = (scale = 1): fc.Parameters<unknown> => ({ numRuns: Math.max(1, Math.round(RUNS * scale)), ...(SEED !== undefined ? { seed: SEED } : {}) });

const s = suite('hardening: properties');

const NAME = /^[a-z][a-z0-9]{0,8}$/;
const name = fc.stringMatching(NAME);
const unicode = fc.string({ unit: 'grapheme', maxLength: 12 });
// The oracle (@iarna/toml) drops `[toString]`-style tables (Object.prototype names): keep those out.
const PROTO = new Set(Object.getOwnPropertyNames(Object.prototype));
const tomlKey = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 })).filter((k) => !PROTO.has(k));
// Integers over the whole int64 range: beyond 2^53 they must reach user.toml digit for digit.
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const scalar = fc.oneof(unicode, fc.integer(), int64, fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }));
const homogeneousArray = fc.oneof(fc.array(unicode, { maxLength: 4 }), fc.array(fc.integer(), { maxLength: 4 }), fc.array(int64, { maxLength: 4 }));
/** JSON of a value with integers compared by value, whether a number or a bigint holds them. */
const exact = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? (x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : `${x}n`) : x));
const config: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  table: fc.dictionary(tomlKey, fc.oneof({ depthSize: 'small', maxDepth: 3 }, scalar, homogeneousArray, tie('table')), { maxKeys: 5 }),
})).table as fc.Arbitrary<Record<string, unknown>>;

const image = fc.tuple(fc.constantFrom('habitat', 'core', 'registry.example.com:5000/team'), name, fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/), { nil: undefined })).map(([r, n, t]) => `${r}/${n}${t ? `:${t}` : ''}`);
const RESERVED = new Set([9631, 9632, 9638]);
const ports = fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), port: fc.integer({ min: 1, max: 65535 }).filter((p) => !RESERVED.has(p)), protocol: fc.constantFrom('TCP', 'UDP') }), { maxLength: 3, selector: (p) => p.name });
// Current Kubernetes accepts any printable ASCII but "=" in env names (RelaxedEnvironmentVariableValidation, 1.32+).
const STRICT_ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const envName = fc.oneof(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.stringMatching(/^[ -<>-~]{1,8}$/)).filter((k) => !k.startsWith('HAB_') && !PROTO.has(k));
const env = fc.dictionary(envName, fc.oneof(unicode, fc.integer(), fc.boolean()), { maxKeys: 3 });
const labelKey = fc.tuple(fc.option(fc.stringMatching(/^[a-z]{1,5}(\.[a-z]{1,5})?$/), { nil: undefined }), fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?$/)).map(([p, n]) => (p ? `${p}/${n}` : n));
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?)?$/);
/** Pass-through values the API server accepts; habitat-cmp must render them into pods it accepts too. */
const pod = fc.record(
  {
    labels: fc.dictionary(labelKey.filter((k) => !k.startsWith('app.kubernetes.io/') && !k.startsWith('habitat.sh/')), labelValue, { maxKeys: 2 }),
    annotations: fc.dictionary(labelKey, unicode, { maxKeys: 2 }),
    nodeSelector: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
    tolerations: fc.array(fc.constantFrom({ operator: 'Exists' }, { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }), { maxLength: 2 }),
    securityContext: fc.record({ fsGroup: fc.integer({ min: 0, max: 2 ** 31 - 1 }), runAsUser: fc.integer({ min: 1, max: 2 ** 31 - 1 }), runAsNonRoot: fc.boolean(), seccompProfile: fc.constant({ type: 'RuntimeDefault' }) }, { requiredKeys: [] })
      .map((sc) => (sc.runAsNonRoot && sc.runAsUser === undefined ? { ...sc, runAsUser: 1000 } : sc)),
    topologySpreadConstraints: fc.constantFrom([], [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }]),
    affinity: fc.constant({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] } } }] } }),
    priorityClassName: name,
    dnsPolicy: fc.constantFrom('ClusterFirst', 'Default'),
    terminationGracePeriodSeconds: fc.integer({ min: 0, max: 3600 }),
  },
  { requiredKeys: [] },
);
/** Requests never above limits; extended resources whole and equal on both sides. */
const resources = fc.record({ cpu: fc.constantFrom('100m', '1', 0.5), memory: fc.constantFrom('64Mi', '1Gi'), devices: fc.integer({ min: 0, max: 4 }), limited: fc.boolean() }).map((r) => ({
  requests: { cpu: r.cpu, memory: r.memory, ...(r.limited ? { 'example.com/dev': r.devices } : {}) },
  ...(r.limited ? { limits: { cpu: '2', memory: '2Gi', 'example.com/dev': String(r.devices), 'hugepages-2Mi': '4Mi' } } : {}),
}));

interface GenApp {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  workloads: { name: string; spec: Record<string, unknown>; bindTo: number[]; external: { service: string; group: string }[] }[];
}

const workloadSpec = fc.record(
  {
    image,
    topology: fc.constantFrom('standalone', 'leader'),
    count: fc.integer({ min: 0, max: 7 }),
    group: name,
    channel: fc.stringMatching(/^[a-z][a-z0-9.]{0,6}$/),
    bindingMode: fc.constantFrom('strict', 'relaxed'),
    config,
    ports,
    env,
    configUpdate: fc.constantFrom('reload', 'restart'),
    persistence: fc.record({ size: fc.constantFrom('1Gi', '512Mi', 10), mountPath: fc.constantFrom('/hab/svc/x/data', '/data') }),
    resources,
    pod,
  },
  { requiredKeys: ['image'] },
).map((w) => (w.topology === 'leader' && (w.count === undefined || w.count === 1 || w.count === 2) ? { ...w, count: 3 } : w));

const app: fc.Arbitrary<GenApp> = fc
  .record({
    name,
    namespace: fc.option(name, { nil: undefined }),
    labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/), { maxKeys: 2 }),
    workloads: fc.uniqueArray(fc.record({ name, spec: workloadSpec, binds: fc.array(fc.nat(), { maxLength: 2 }), external: fc.array(fc.record({ service: name, group: name }), { maxLength: 1 }) }), { minLength: 1, maxLength: 5, selector: (w) => w.name }),
  })
  // Binds only to earlier workloads: never a cycle.
  .map((a) => ({
    ...a,
    workloads: a.workloads.map((w, i) => ({ name: w.name, spec: w.spec, bindTo: i === 0 ? [] : [...new Set(w.binds.map((b) => b % i))], external: w.external })),
  }));

function toDoc(a: GenApp): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const w of a.workloads) {
    const binds: Record<string, unknown> = {};
    w.bindTo.forEach((j) => (binds[`b${j}`] = a.workloads[j]!.name));
    w.external.forEach((e, k) => (binds[`ext${k}`] = { service: e.service, group: e.group }));
    services[w.name] = { ...w.spec, ...(Object.keys(binds).length ? { binds } : {}) };
  }
  // External binds must name a group of a joined ring (bind-target-outside-ring); own groups need no join.
  const own = new Set(a.workloads.map((w) => `${(w.spec.service as string | undefined) ?? w.name}.${(w.spec.group as string | undefined) ?? 'default'}`));
  const groups = [...new Set(a.workloads.flatMap((w) => w.external.map((e) => `${e.service}.${e.group}`)))].filter((g) => !own.has(g)).sort();
  const ring = groups.length ? { ring: { join: [{ app: `${a.name}-peer`, groups }] } } : {};
  return { apiVersion: 'habitat-cmp/v1', kind: 'App', metadata: { name: a.name, ...(a.namespace ? { namespace: a.namespace } : {}), labels: a.labels }, ...ring, services };
}

/** Same mappings, keys in another order (reversed, then rotated by one), at every level. */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v).reverse();
  if (keys.length > 1) keys.push(keys.shift()!);
  const out: Record<string, unknown> = {};
  for (const k of keys) Object.defineProperty(out, k, { value: reorder((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

const render = (text: string) => renderAction(memFs({ 'habitat.yaml': text }), {});
const errorsOf = (r: ReturnType<typeof render>) => r.diagnostics.filter((d) => d.severity === 'error');

s('random valid apps render, validate against Kubernetes, are deterministic under key order and style', () => {
  fc.assert(
    fc.property(app, (a) => {
      const doc = toDoc(a);
      const r1 = render(stringify(doc));
      assert.equal(errorsOf(r1).map((d) => `${d.code}: ${d.message}`), [], 'no errors');
      assert.ok(r1.objects.length >= 2 + a.workloads.length);
      const seen = new Set<string>();
      for (const o of r1.objects) {
        validateK8s(o);
        const id = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
        assert.not.ok(seen.has(id), `duplicate ${id}`);
        seen.add(id);
      }
      // Older clusters use the strict env name rule; nothing else about these apps depends on the version.
      const strictProblems = errorsOf(renderAction(memFs({ 'habitat.yaml': stringify(doc) }), { kubeVersion: '1.31.0' })).map((d) => d.code);
      const strictNames = a.workloads.every((w) => Object.keys((w.spec.env as object | undefined) ?? {}).every((k) => STRICT_ENV_NAME.test(k) && k !== '.' && k !== '..' && !k.startsWith('..')));
      assert.equal(strictProblems.length === 0, strictNames, `KUBE_VERSION 1.31: ${strictProblems.join(', ')}`);
      assert.ok(strictProblems.every((c) => c === 'env-name-invalid'), strictProblems.join(', '));
      const out = toYamlStream(r1.objects);
      assert.ok(toYamlStream(render(stringify(doc, { collectionStyle: 'flow' })).objects) === out, 'flow-style render differs');
      assert.ok(toYamlStream(render(stringify(reorder(doc))).objects) === out, 'reordered block-style YAML renders differently');
      // user.toml is real TOML holding exactly the config.
      for (const w of a.workloads) {
        const secret = r1.objects.find((o) => o.kind === 'Secret' && o.metadata.name === `${w.name}-config`) as { stringData?: Record<string, string> } | undefined;
        assert.equal(JSON.parse(exact(TOML.parse(secret!.stringData!['user.toml']!))), JSON.parse(exact(w.spec.config ?? {})), `user.toml of ${w.name}`);
      }
    }),
    params(),
  );
});

/** Every sample's files, for mutation. */
function sampleFiles(): { sample: string; files: Record<string, Uint8Array> }[] {
  const out: { sample: string; files: Record<string, Uint8Array> }[] = [];
  for (const sample of readdirSync(join(ROOT, 'samples')).sort()) {
    const dir = join(ROOT, 'samples', sample);
    const files: Record<string, Uint8Array> = {};
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (lstatSync(p).isDirectory()) walk(p);
        else if (lstatSync(p).isFile()) files[relative(dir, p)] = readFileSync(p);
      }
    };
    walk(dir);
    if (files['habitat.yaml']) out.push({ sample, files });
  }
  return out;
}
const SAMPLES = sampleFiles();

const mutation = fc.array(
  fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'insert', 'delete', 'dup'), byte: fc.constantFrom(0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x26, 0x2a, 0x2d, 0x3a, 0x5b, 0x7b, 0x7d, 0x21, 0x23, 0x7c, 0x3e, 0xc3, 0xff, 0x41) }),
  { minLength: 1, maxLength: 6 },
);

function mutate(data: Uint8Array, ms: { at: number; kind: string; byte: number }[]): Uint8Array {
  let b = Buffer.from(data);
  for (const m of ms) {
    const i = b.length ? m.at % b.length : 0;
    if (m.kind === 'flip') b[i] = m.byte;
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, i), Buffer.from([m.byte]), b.subarray(i)]);
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
    else b = Buffer.concat([b.subarray(0, i), b.subarray(i, i + 40), b.subarray(i)]);
  }
  return b;
}

function mutatedCase() {
  return fc.tuple(fc.nat({ max: SAMPLES.length - 1 }), fc.boolean(), mutation).map(([i, toml, ms]) => {
    const { sample, files } = SAMPLES[i]!;
    const tomls = Object.keys(files).filter((f) => f.endsWith('.toml'));
    const target = toml && tomls.length ? tomls[0]! : 'habitat.yaml';
    return { sample, target, files: { ...files, [target]: mutate(files[target]!, ms) } };
  });
}

s('random byte mutations of the samples never throw: objects or errors, never both, never neither', () => {
  fc.assert(
    fc.property(mutatedCase(), ({ files }) => {
      const r = renderAction(memFs(files as Record<string, MemEntry>, '', 'app'), {});
      const errors = errorsOf(r);
      if (errors.length) assert.is(r.objects.length, 0);
      else assert.ok(r.objects.length > 0);
      const text = formatDiagnostics(r.diagnostics, r.sources);
      assert.ok(text.split('\n').length <= 41, text);
      for (const d of r.diagnostics) assert.match(d.code, /^[a-z0-9-]+$/);
    }),
    params(5),
  );
});

s('mutated samples through the CLI: exit 0 or 1, no stack trace, nothing on stdout on failure', () => {
  const cases = fc.sample(mutatedCase(), { numRuns: Math.max(4, Math.round(RUNS / 10)), ...(SEED !== undefined ? { seed: SEED } : {}) });
  for (const c of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'habitat-mut-'));
    try {
      const app = join(dir, c.sample);
      for (const [f, data] of Object.entries(c.files)) {
        const p = join(app, f);
        mkdirSync(join(p, '..'), { recursive: true });
        writeFileSync(p, data);
      }
      const r = cli(['render', app]);
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      if (r.status !== 0) assert.is(r.stdout, '');
      assert.not.match(r.stderr, /^\s+at \S+ \(/m, 'stack trace');
      assert.not.match(r.stderr, /internal error/, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

s.run();
