/**
 * The ring simulator on rendered manifests: every sample, generated apps and two
 * apps sharing a ring go through a first deploy, a rolling update of each
 * workload, the loss of every -0 pod, a Pending pod while other workloads roll,
 * and a leader group scaled 3 -> 5 -> 3. The seed script in the manifests runs for
 * real under busybox sh (test/ring/script.ts).
 *
 * A frozen copy of the manifests habitat-cmp rendered before the seeding rebuild
 * (one `W-0.A-ring` line per workload, read by the Supervisor itself) shows that
 * the simulator catches what the rebuild fixes: exit 86 on a first deploy and a
 * replaced W-0 that stays alone for good.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAction } from '../../src/action/render';
import type { Inputs } from '../../src/load/inputs';
import { memFs } from '../../src/load/repoFs';
import { nodeFs } from '../../src/load/nodeFs';
import { toYamlDocuments } from '../../src/serialize/toYaml';
import { ROOT } from '../helpers/cli';
import { sampleCases } from '../helpers/samples';
import { parseManifests, type Obj } from './manifests';
import { ALL_SCENARIOS, firstDeploy, rollingUpdates, type App, type Verdict } from './scenarios';
import { busyboxProblem } from './script';
import { generatedApps, sharedRingApps } from './apps';

const problem = busyboxProblem();

function renderApp(fs: ReturnType<typeof memFs>, inputs: Inputs, ns: string): App {
  return {
    ns,
    render(counts) {
      const r = renderAction(fs, { ...inputs, ...(counts ? { counts: { named: new Map(Object.entries(counts).map(([k, v]) => [k, String(v)])), escaped: new Map() } } : {}) });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) throw new Error(`render failed: ${errors.map((d) => d.message).join('; ')}`);
      return parseManifests(toYamlDocuments(r.objects).join('')) as Obj[];
    },
  };
}

const show = (vs: Verdict[]) => vs.map((v) => `${v.label}: ${v.problems.length ? v.problems.join('\n    ') : 'ok'}`).join('\n  ');

test('busybox and bubblewrap are available to run the manifests\' scripts', () => {
  assert.is(problem, undefined);
});

test('reproduction: today\'s output before the seeding rebuild exits 86 on a first deploy and strands W-0 after a rolling update', () => {
  const text = readFileSync(join(ROOT, 'test/ring/fixtures/leader-redis.before-seeding.yaml'), 'utf8');
  const app: App = { ns: 'apps', render: () => parseManifests(text) };
  const [deploy] = firstDeploy.run([app], 1);
  assert.ok(Object.keys(deploy!.exit86).length > 0, 'first deploy: some pod exits 86 (its own or a sibling\'s name is not published yet)');
  const roll = rollingUpdates.run([app], 1);
  const after = roll[roll.length - 1]!;
  assert.ok(after.components.length > 1, `a replaced redis-0 is a ring of its own:\n  ${show(roll)}`);
  assert.ok(after.components.some((g) => g.length === 1 && g[0] === 'apps/redis-0'));
  assert.ok(after.notReady.includes('apps/redis-0'), 'its election never finishes, so it never becomes Ready');
});

const samples = sampleCases().filter((c) => c.env === undefined || c.sample === 'shop');
for (const c of samples) {
  for (const scenario of ALL_SCENARIOS) {
    test(`ring: ${c.sample}${c.env ? `@${c.env}` : ''}: ${scenario.name}`, () => {
      if (problem) assert.unreachable(problem);
      const app = renderApp(nodeFs(join(ROOT, 'samples', c.sample)), c.env ? { environment: c.env } : {}, 'apps');
      const vs = scenario.run([app], 7);
      assert.ok(vs.every((v) => v.problems.length === 0), `\n  ${show(vs)}`);
    });
  }
}

generatedApps(5).forEach((g, i) => {
  for (const scenario of ALL_SCENARIOS) {
    test(`ring: generated app ${i} (${g.summary}): ${scenario.name}`, () => {
      if (problem) assert.unreachable(problem);
      const vs = scenario.run([renderApp(memFs({ 'habitat.yaml': g.yaml }), {}, 'apps')], 100 + i);
      assert.ok(vs.every((v) => v.problems.length === 0), `\n${g.yaml}\n  ${show(vs)}`);
    });
  }
});

for (const scenario of ALL_SCENARIOS) {
  test(`ring: two apps sharing a ring with a bind across them: ${scenario.name}`, () => {
    if (problem) assert.unreachable(problem);
    const apps = sharedRingApps().map((a) => renderApp(memFs({ 'habitat.yaml': a.yaml }), {}, a.ns));
    const vs = scenario.run(apps, 42);
    assert.ok(vs.every((v) => v.problems.length === 0), `\n  ${show(vs)}`);
    assert.is(vs[vs.length - 1]!.components.length, 1);
  });
}

test.run();
