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
import { ROOT } from '../helpers/cli';
import { parseManifests } from './manifests';
import { firstDeploy, rollingUpdates, type App, type Verdict } from './scenarios';
import { busyboxProblem } from './script';

const problem = busyboxProblem();

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

test.run();
