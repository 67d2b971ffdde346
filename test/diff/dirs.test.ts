/** `--base-dir`, an app that exists on one side only, and the working tree as head. */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../helpers/cli';
import { tmp } from '../seal/helpers';
import { AppRepo, runMain } from './helpers';

test('--base-dir: two directories, no git needed; positioned errors name the directory', async () => {
  const d = tmp('habitat-cmp-diff-dirs-');
  cpSync(join(ROOT, 'samples/shop'), join(d, 'old'), { recursive: true });
  cpSync(join(ROOT, 'samples/shop'), join(d, 'new'), { recursive: true });
  const file = join(d, 'new/habitat.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/count: 2\b/, 'count: 7'));
  const r = await runMain(['diff', 'new', '--base-dir', 'old', '--namespace', 'shop', '--exit-code'], { cwd: d });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stdout, /base: old\n {2}head: working tree/);
  assert.match(r.stdout, /Objects: 0 added, 0 removed, [1-9]\d* changed/);
  assert.match(r.stdout, /scales\s+StatefulSet web: 2 → 7 pods/);
  writeFileSync(join(d, 'old/habitat.yaml'), 'apiVersion: habitat-cmp/v1\nkind: App\nservices: {web: {imag: x}}\n');
  const bad = await runMain(['diff', 'new', '--base-dir', 'old'], { cwd: d });
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /^habitat-cmp diff: base \(old\) does not render:\n(?:\S*\/)?old\/habitat\.yaml:3:\d+: error: /);
});

test('an app that exists only on the head side: everything is created; only on the base side: everything is pruned', async () => {
  const repo = new AppRepo('apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: shop, namespace: shop}\nservices:\n  web: {image: shop/web:1}\n');
  rmSync(join(repo.app, 'habitat.yaml'));
  writeFileSync(join(repo.root, 'README'), 'x');
  const empty = repo.commit('no app yet');
  repo.write('apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: shop, namespace: shop}\nservices:\n  web: {image: shop/web:1}\n');
  const added = await repo.diffHere(['--base', empty, '--output', 'json']);
  assert.is(added.status, 0, added.stderr);
  const j = JSON.parse(added.stdout) as { base: { absent?: boolean }; counts: Record<string, number>; impact: { kind: string }[] };
  assert.is(j.base.absent, true);
  assert.is(j.counts.removed, 0);
  assert.ok(j.counts.added! >= 4);
  assert.ok(j.impact.some((i) => i.kind === 'creates'));
  const full = repo.commit('app');
  const removed = await repo.diffHere(['--base', full, '--head', empty]);
  assert.match(removed.stdout, /prunes\s+Argo CD prunes StatefulSet shop\/web: its 1 pod is deleted/);
  assert.match(removed.stdout, /head: [0-9a-f]+ \([0-9a-f]{12}\) \[no app\]/);
  // Neither side has the app: an error, not an empty diff.
  mkdirSync(join(repo.root, 'other'));
  const none = await runMain(['diff', 'other', '--base', empty], { cwd: repo.root });
  assert.is(none.status, 1);
  assert.match(none.stderr, /app-file-missing/);
});

test('outside a git repository: a clear error pointing at --base-dir', async () => {
  const d = tmp('habitat-cmp-diff-nogit-');
  const r = await runMain(['diff', '.', '--base', 'HEAD'], { cwd: d, env: { GIT_CEILING_DIRECTORIES: d } });
  assert.is(r.status, 1);
  assert.match(r.stderr, /is not inside a git repository \[diff-not-a-repository\]\n {2}hint: compare two directories with --base-dir PATH/);
});

test('configFile and symlinks are read from the revision, confined to the app directory', async () => {
  const repo = new AppRepo('apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: shop, namespace: shop}\nservices:\n  web: {image: shop/web:1, configFile: conf/web.toml}\n');
  mkdirSync(join(repo.app, 'conf'));
  writeFileSync(join(repo.app, 'conf/web.toml'), 'port = 1\n');
  const one = repo.commit('one');
  writeFileSync(join(repo.app, 'conf/web.toml'), 'port = 2\n');
  const two = repo.commit('two');
  const r = await repo.diffHere(['--base', one, '--head', two]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /reloads\s+web: web-config changes reach running pods without a restart \(configUpdate: reload\): port \(changed\)/);
  // A symlink that leaves the app directory is refused on the git side as on disk.
  writeFileSync(join(repo.root, 'secret.toml'), 'x = 1\n');
  rmSync(join(repo.app, 'conf/web.toml'));
  const { symlinkSync } = await import('node:fs');
  symlinkSync('../../../secret.toml', join(repo.app, 'conf/web.toml'));
  const three = repo.commit('three');
  const bad = await repo.diffHere(['--base', two, '--head', three]);
  assert.is(bad.status, 1);
  assert.match(bad.stderr, new RegExp(`${three}:apps/shop/habitat\\.yaml:\\d+:\\d+: error: .*outside.*\\[config-file-outside\\]`));
});

test.run();
