/**
 * `habitat-cmp diff` on a real git repository with one commit per kind of
 * change a reviewer must see. Asserts the impact lines, that no secret (plain
 * config Secret text, sealed plaintext, ciphertext, hashes of them) reaches any
 * output format, the exit codes, and that the repository is never written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { AppRepo, forms, hab, type Run } from './helpers';

const SEALED_CANARY = 'CANARY-s3al3d-7d1e44';
const SEALED_CANARY_2 = 'CANARY-w3b-s3cr3t-91aa';
const PLAIN_CANARY = 'CANARY-pl41n-c0nf1g-5be2';

const BASE = `apiVersion: habitat-cmp/v1
kind: App
metadata:
  name: shop
  namespace: shop
sealing:
  certificate: .sealed-secrets.pem
services:
  db:
    image: core/redis:1
    topology: leader
    count: 3
    config:
      tcp-backlog: 128
      auth-plain: ${PLAIN_CANARY}
    persistence: {size: 1Gi, mountPath: /hab/svc/redis/data, storageClassName: standard}
  web:
    image: shop/web:1
    configUpdate: restart
    config: {greeting: hi}
    ports: [{name: http, port: 8080}]
    binds: {db: db}
  cache:
    image: core/memcached:1
`;

const repo = new AppRepo(BASE);
repo.seal('db', 'requirepass', SEALED_CANARY);
repo.ringKey();
const c: Record<string, string> = {};
c.initial = repo.commit('initial');

const step = (name: string, change: () => void) => {
  change();
  c[name] = repo.commit(name);
};
step('reload', () => repo.edit((d) => d.setIn(['services', 'db', 'config', 'tcp-backlog'], 256)));
step('restart', () => repo.edit((d) => d.setIn(['services', 'web', 'config', 'greeting'], 'hello')));
step('image', () => repo.edit((d) => d.setIn(['services', 'web', 'image'], 'shop/web:2')));
step('size', () => repo.edit((d) => d.setIn(['services', 'db', 'persistence', 'size'], '2Gi')));
step('addRemove', () =>
  repo.edit((d) => {
    d.deleteIn(['services', 'cache']);
    d.setIn(['services', 'api'], { image: 'shop/api:1', count: 2 });
  }),
);
step('ringKey', () => repo.ringKey());
step('reseal', () => repo.seal('db', 'requirepass', SEALED_CANARY));
step('leader4', () => repo.edit((d) => d.setIn(['services', 'db', 'count'], 4)));
step('namespace', () => repo.edit((d) => d.setIn(['metadata', 'namespace'], 'shop2')));
step('toSealed', () => repo.seal('web', 'token', SEALED_CANARY_2));

const order = Object.keys(c);
const prev = (name: string) => c[order[order.indexOf(name) - 1]!]!;

/** Every sealed value and ring key at every commit: none of it may be printed. */
const ciphertexts = new Set<string>();
const collect = (yamlText: string) => {
  const doc = parse(yamlText) as { ring?: { sealedKey?: string }; services: Record<string, { secrets?: Record<string, string> }> };
  if (doc.ring?.sealedKey) ciphertexts.add(doc.ring.sealedKey);
  for (const s of Object.values(doc.services)) for (const v of Object.values(s.secrets ?? {})) ciphertexts.add(v);
};

const outputs: Run[] = [];
const runs = new Map<string, { text: Run; markdown: Run; json: Run }>();
const before = repo.snapshot();
for (const name of order.slice(1)) {
  const args = ['--base', prev(name), '--head', c[name]!];
  const r = { text: repo.diff(args), markdown: repo.diff([...args, '--output', 'markdown']), json: repo.diff([...args, '--output', 'json']) };
  outputs.push(r.text, r.markdown, r.json);
  runs.set(name, r);
}
const after = repo.snapshot();

const text = (name: string) => {
  const r = runs.get(name)!.text;
  assert.is(r.status, 0, `${name}: ${r.stderr}`);
  return r.stdout;
};
/** The impact section's lines, one per item (details and commands folded in). */
const impact = (name: string): string[] => {
  const out = text(name);
  const m = /\nImpact: [^\n]*\n([\s\S]*?)\n\n/.exec(out);
  return m ? m[1]!.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim()) : [];
};
const has = (name: string, re: RegExp) => assert.ok(impact(name).some((l) => re.test(l)), `${name}: no impact line matches ${re}\n${text(name)}`);
const hasNot = (name: string, re: RegExp) => assert.not.ok(impact(name).some((l) => re.test(l)), `${name}: unexpected impact line ${re}\n${text(name)}`);

test('config change under configUpdate: reload: reloads live, nothing rolls', () => {
  has('reload', /^reloads\s+db: db-config changes reach running pods without a restart \(configUpdate: reload\): tcp-backlog \(changed\)$/);
  hasNot('reload', /^rolls/);
});

test('config change under configUpdate: restart: the pods of web roll, naming the key', () => {
  has('restart', /^rolls\s+pods of web roll \(1\): user\.toml changed \(configUpdate: restart\): greeting \(changed\)$/);
  hasNot('restart', /pods of db roll/);
});

test('image bump: web rolls, old and new image named', () => {
  has('image', /^rolls\s+pods of web roll \(1\): image shop\/web:1 → shop\/web:2$/);
});

test('persistence size: the sync fails, with the orphan-delete recipe and a PVC patch per pod', () => {
  has('size', /^fails\s+StatefulSet db: immutable field volumeClaimTemplates changes; the sync will fail/);
  const out = text('size');
  for (let i = 0; i < 3; i++) assert.ok(out.includes(`$ kubectl -n shop patch pvc persistent-db-${i} -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'`), out);
  assert.ok(out.includes("$ kubectl get storageclass standard -o jsonpath='{.allowVolumeExpansion}'"));
  assert.ok(out.includes('$ kubectl -n shop delete statefulset db --cascade=orphan'));
  assert.ok(out.indexOf('patch pvc persistent-db-2') < out.indexOf('delete statefulset db'), 'PVCs are resized before the StatefulSet is deleted');
  assert.ok(impact('size')[0]!.startsWith('fails'), 'a failing sync is listed first');
});

test('workload added and removed: creates and prunes, PVCs and pods named', () => {
  has('addRemove', /^creates\s+StatefulSet api: new workload, 2 pods start$/);
  has('addRemove', /^prunes\s+Argo CD prunes StatefulSet shop\/cache: its 1 pod is deleted/);
  has('addRemove', /^prunes\s+Argo CD prunes Secret shop\/cache-config/);
});

test('ring key rotated: the ring-key SealedSecret changed and every workload rolls for it', () => {
  has('ringKey', /^sealed\s+ring key changed \(SealedSecret shop-ring-key\): every pod of the app rolls to it$/);
  for (const w of ['api', 'db', 'web']) has('ringKey', new RegExp(`^rolls\\s+pods of ${w} roll \\(\\d\\): ring key rotated$`));
});

test('sealed value re-sealed: reported as changed (not compared), reloads db live', () => {
  has('reseal', /^sealed\s+SealedSecret db-config: sealed value requirepass \(changed\)$/);
  has('reseal', /^reloads\s+db: db-config changes reach running pods without a restart \(configUpdate: reload\): requirepass \(changed, sealed\)$/);
  const o = JSON.parse(runs.get('reseal')!.json.stdout) as { objects: { name: string; kind: string; secrets: { field: string; status: string }[] }[] };
  const ss = o.objects.find((x) => x.kind === 'SealedSecret' && x.name === 'db-config')!;
  assert.equal(ss.secrets.find((s) => s.field === 'spec.encryptedData.requirepass')?.status, 'changed');
  assert.equal(ss.secrets.find((s) => s.field === 'spec.template.data.user.toml')?.status, 'unchanged');
});

test('leader group 3 → 4: an even count, fault tolerance stays 1', () => {
  has('leader4', /^leader\s+leader group db: 3 → 4 members, an even count: quorum is 3, it tolerates 1 failure/);
  assert.match(runs.get('leader4')!.text.stderr, /leader-count-even/, 'render warnings of a side are shown');
});

test('namespace change: everything moves, and strict-scope sealed values cannot be decrypted there', () => {
  has('namespace', /^namespace\s+namespace shop → shop2: every object is created anew/);
  has('namespace', /^sealed\s+SealedSecret shop2\/db-config cannot be decrypted: its values were sealed for SealedSecret shop\/db-config \(strict scope\)$/);
  has('namespace', /^sealed\s+SealedSecret shop2\/shop-ring-key cannot be decrypted/);
  const r = runs.get('namespace')!.text.stdout;
  assert.match(r, /Objects: \d+ added, \d+ removed, 0 changed, 0 unchanged/);
});

test('plain-to-sealed switch of web-config', () => {
  has('toSealed', /^switch\s+web-config: plain Secret → SealedSecret$/);
  has('toSealed', /^rolls\s+pods of web roll \(1\): user\.toml changed \(configUpdate: restart\): token \(added, sealed\)$/);
});

test('redaction: no plaintext, ciphertext or hash of either in any output of any format', () => {
  for (const sha of order.map((n) => c[n]!)) collect(hab(['--version']).stdout && require_show(sha));
  assert.ok(ciphertexts.size >= 5, `collected ${ciphertexts.size} sealed values`);
  // The pod-template hashes, from a real render of every commit.
  const hashes = new Set<string>();
  for (const name of order) {
    const r = repo.diff(['--base', c[name]!, '--head', c[name]!]);
    assert.is(r.status, 0);
  }
  for (const line of renderAll().split('\n')) {
    const m = /habitat\.sh\/(?:config|ring-key)-hash: "?([0-9a-f]{16})/.exec(line);
    if (m) hashes.add(m[1]!);
  }
  assert.ok(hashes.size >= 3, `collected ${hashes.size} hashes`);
  const secrets = [...[SEALED_CANARY, SEALED_CANARY_2, PLAIN_CANARY].flatMap(forms), ...[...ciphertexts].flatMap((v) => [v, v.slice(0, 40), v.slice(-40)]), ...hashes];
  for (const r of outputs) {
    for (const s of secrets) {
      assert.not.ok(r.stdout.includes(s), `stdout leaks ${s.slice(0, 12)}…`);
      assert.not.ok(r.stderr.includes(s), `stderr leaks ${s.slice(0, 12)}…`);
    }
  }
  // The placeholders are there instead.
  assert.match(runs.get('reseal')!.text.stdout, /requirepass: "<sealed, changed>"/);
  assert.match(runs.get('reload')!.text.stdout, /user\.toml: "<secret, changed>"/);
});

/** Test-side: the habitat.yaml of a commit, straight from git. */
function require_show(sha: string): string {
  return gitShow(`${sha}:apps/shop/habitat.yaml`);
}
import { gitIn } from './helpers';
const gitShow = (spec: string) => gitIn(repo.root, ['show', spec]);
import { mkdtempSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
function renderAll(): string {
  let out = '';
  for (const name of order) {
    const d = mkdtempSync(join(tmpdir(), 'habitat-cmp-diff-render-'));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'habitat.yaml'), gitShow(`${c[name]}:apps/shop/habitat.yaml`));
    cpSync(join(repo.app, '.sealed-secrets.pem'), join(d, '.sealed-secrets.pem'));
    const r = hab(['render', d]);
    out += r.stdout;
  }
  return out;
}

test('the repository is never written: .git and the working tree are byte- and mtime-identical', () => {
  assert.ok(before.length > 0);
  assert.is(after, before);
});

test('exit codes: 0 without --exit-code, 1 with it when something differs, 0 when nothing does', () => {
  assert.is(repo.diff(['--base', c.initial!, '--head', c.reload!]).status, 0);
  assert.is(repo.diff(['--base', c.initial!, '--head', c.reload!, '--exit-code']).status, 1);
  const same = repo.diff(['--base', c.toSealed!, '--exit-code']);
  assert.is(same.status, 0, same.stderr);
  assert.match(same.stdout, /No differences \(\d+ objects unchanged\)/);
  for (const fmt of ['markdown', 'json']) assert.is(repo.diff(['--base', c.initial!, '--head', c.reload!, '--exit-code', '--output', fmt]).status, 1);
});

test('a side that does not render: positioned errors naming the revision, exit 1 in every format', () => {
  repo.write(repo.read().replace('  web:\n', '  web:\n    cout: 3\n'));
  const bad = repo.commit('broken');
  for (const fmt of ['text', 'markdown', 'json']) {
    const r = repo.diff(['--base', c.toSealed!, '--head', bad, '--output', fmt]);
    outputs.push(r);
    assert.is(r.status, 1, fmt);
    assert.match(r.stderr, new RegExp(`^habitat-cmp diff: head \\(${bad}\\) does not render:\\n${bad}:apps/shop/habitat\\.yaml:\\d+:5: error: unknown key "cout" in services\\.web; did you mean "count"\\? \\[schema-unknown-key\\]`));
    if (fmt === 'json') {
      const j = JSON.parse(r.stdout) as { ok: boolean; problems: { side: string; errors: { code: string; line: number; col: number }[] }[] };
      assert.is(j.ok, false);
      assert.is(j.problems[0]!.side, 'head');
      assert.is(j.problems[0]!.errors[0]!.code, 'schema-unknown-key');
      assert.is(j.problems[0]!.errors[0]!.col, 5);
    }
    if (fmt === 'markdown') assert.match(r.stdout, /\*\*head \([0-9a-f]+\) does not render\*\*/);
  }
  // The working tree (head by default) is the broken file too.
  assert.is(repo.diff(['--base', c.toSealed!]).status, 1);
});

test('usage errors exit 2', () => {
  assert.is(repo.diff([]).status, 2);
  assert.is(repo.diff(['--base', 'x', '--base-dir', 'y']).status, 2);
  assert.is(repo.diff(['--base-dir', '.', '--head', 'HEAD']).status, 2);
  assert.is(repo.diff(['--base', 'HEAD', '--output', 'html']).status, 2);
  const unknown = repo.diff(['--base', 'no-such-branch']);
  assert.is(unknown.status, 1);
  assert.match(unknown.stderr, /unknown revision "no-such-branch".*\[diff-unknown-revision\]/);
  assert.match(repo.diff(['--base', '--upload-pack=x']).stderr, /"--upload-pack=x" is not a revision/);
});

export { runs, repo, c };
test.run();
