/**
 * `habitat-cmp diff` on a real git repository with one commit per kind of
 * change a reviewer must see. Asserts the impact lines, that no secret (plain
 * config Secret text, sealed plaintext, ciphertext, hashes of them) reaches any
 * output format, the exit codes, and that the repository is never written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Parser, type Node } from 'commonmark';
import { parse } from 'yaml';
import { AppRepo, forms, gitIn, hab, type Run } from './helpers';

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

const outputs: Run[] = [];
const runs = new Map<string, { text: Run; markdown: Run; json: Run }>();
const before = repo.snapshot();
for (const name of order.slice(1)) {
  const args = ['--base', prev(name), '--head', c[name]!];
  const r = { text: await repo.diffHere(args), markdown: await repo.diffHere([...args, '--output', 'markdown']), json: await repo.diffHere([...args, '--output', 'json']) };
  outputs.push(r.text, r.markdown, r.json);
  runs.set(name, r);
}
// The built bundle too, once per format, as CI runs it.
for (const fmt of ['text', 'markdown', 'json']) {
  const r = repo.diff(['--base', c.initial!, '--head', c.toSealed!, '--output', fmt]);
  assert.is(r.status, 0, r.stderr);
  outputs.push(r);
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
  // Every sealed value and ring key of every commit, straight from git.
  const ciphertexts = new Set<string>();
  const hashes = new Set<string>();
  for (const name of order) {
    const text = gitIn(repo.root, ['show', `${c[name]}:apps/shop/habitat.yaml`]);
    const doc = parse(text) as { ring?: { sealedKey?: string }; services: Record<string, { secrets?: Record<string, string> }> };
    if (doc.ring?.sealedKey) ciphertexts.add(doc.ring.sealedKey);
    for (const s of Object.values(doc.services)) for (const v of Object.values(s.secrets ?? {})) ciphertexts.add(v);
    // The pod-template hashes of that commit, from a real render.
    for (const m of renderAt(c[name]!).matchAll(/habitat\.sh\/(?:config|ring-key)-hash: "?([0-9a-f]{16})/g)) hashes.add(m[1]!);
  }
  assert.ok(ciphertexts.size >= 5, `collected ${ciphertexts.size} sealed values`);
  assert.ok(hashes.size >= 4, `collected ${hashes.size} hashes`);
  const secrets = [...[SEALED_CANARY, SEALED_CANARY_2, PLAIN_CANARY].flatMap(forms), ...[...ciphertexts].flatMap((v) => [v, v.slice(0, 40), v.slice(-40)]), ...hashes];
  assert.ok(outputs.length >= 33);
  for (const r of outputs) {
    for (const s of secrets) {
      assert.not.ok(r.stdout.includes(s), `stdout leaks ${s.slice(0, 12)}…`);
      assert.not.ok(r.stderr.includes(s), `stderr leaks ${s.slice(0, 12)}…`);
    }
  }
  // The placeholders are there instead, so the change itself is visible.
  assert.match(runs.get('reseal')!.text.stdout, /\+ {4}requirepass: "<sealed, changed>"/);
  assert.match(runs.get('reload')!.text.stdout, /\+ {6}user\.toml: "<secret, changed>"/);
  assert.match(runs.get('ringKey')!.text.stdout, /\+ {8}habitat\.sh\/ring-key-hash: "<hash, changed>"/);
});

/** A commit's app rendered by the bundle in a scratch directory (test-side, to learn the real hashes). */
function renderAt(sha: string): string {
  const d = mkdtempSync(join(tmpdir(), 'habitat-cmp-diff-render-'));
  writeFileSync(join(d, 'habitat.yaml'), gitIn(repo.root, ['show', `${sha}:apps/shop/habitat.yaml`]));
  cpSync(join(repo.app, '.sealed-secrets.pem'), join(d, '.sealed-secrets.pem'));
  const r = hab(['render', d]);
  rmSync(d, { recursive: true, force: true });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

const WORDS = ['fails', 'rolls', 'reloads', 'restart', 'leader', 'prunes', 'sealed', 'namespace', 'switch', 'scales', 'creates'];
type Json = { version: number; differs: boolean; counts: Record<string, number>; impact: { kind: string; severity: string; summary: string; commands: string[] }[]; objects: { kind: string; namespace?: string; name: string; status: string; diff: string }[] };

/** Text of a CommonMark node's inline content. */
const inline = (n: Node): string => {
  let out = '';
  const w = n.walker();
  for (let e = w.next(); e; e = w.next()) if (e.entering && (e.node.type === 'text' || e.node.type === 'code')) out += e.node.literal ?? '';
  return out;
};
const children = (n: Node): Node[] => {
  const out: Node[] = [];
  for (let c = n.firstChild; c; c = c.next) out.push(c);
  return out;
};

test('markdown: parsed by a CommonMark parser, every step has the expected structure', () => {
  for (const [name, r] of runs) {
    assert.is(r.markdown.status, 0, name);
    const json = JSON.parse(r.json.stdout) as Json;
    const doc = new Parser().parse(r.markdown.stdout);
    const top = children(doc);
    assert.is(top[0]!.type, 'heading');
    assert.is(top[0]!.level, 2);
    assert.is(inline(top[0]!), 'habitat-cmp diff: shop', name);
    const headings = top.filter((n) => n.type === 'heading').map((n) => inline(n));
    assert.equal(headings, ['habitat-cmp diff: shop', ...(json.impact.length || json.differs ? ['Impact'] : []), 'Objects'], name);
    if (json.impact.length) {
      const list = top[top.findIndex((n) => n.type === 'heading' && inline(n) === 'Impact') + 1]!;
      assert.is(list.type, 'list', name);
      const items = children(list);
      assert.is(items.length, json.impact.length, `${name}: one list item per impact`);
      items.forEach((item, i) => {
        const para = item.firstChild!;
        assert.is(para.type, 'paragraph');
        assert.is(para.firstChild!.type, 'strong');
        assert.ok(WORDS.includes(inline(para.firstChild!)), inline(para.firstChild!));
        const sh = children(item).filter((n) => n.type === 'code_block');
        assert.is(sh.length, json.impact[i]!.commands.length ? 1 : 0, `${name}: commands in one sh block`);
        if (sh.length) {
          assert.is(sh[0]!.info, 'sh');
          assert.is(sh[0]!.literal, json.impact[i]!.commands.join('\n') + '\n');
        }
      });
    }
    const changed = json.objects.filter((o) => o.status === 'changed');
    const diffs = top.filter((n) => n.type === 'code_block' && n.info === 'diff');
    assert.is(diffs.length, changed.length, `${name}: one diff block per changed object`);
    diffs.forEach((d, i) => assert.is(d.literal, changed[i]!.diff, `${name}: the block holds the object's unified diff verbatim`));
    assert.is(top.filter((n) => n.type === 'html_block' && /^<details>/.test(n.literal ?? '')).length, changed.length);
  }
  const size = new Parser().parse(runs.get('size')!.markdown.stdout);
  let found = false;
  const w = size.walker();
  for (let e = w.next(); e; e = w.next()) if (e.entering && e.node.type === 'code_block' && e.node.info === 'sh' && e.node.literal!.includes('kubectl -n shop delete statefulset db --cascade=orphan\n')) found = true;
  assert.ok(found, 'the recipe is a copyable sh block');
});

test('markdown: user-controlled text cannot become markup', async () => {
  const { formatMarkdown } = await import('../../src/diff/formatMarkdown');
  const md = formatMarkdown({
    app: 'a`b',
    base: { label: '<script>x</script> *bold* [link](http://e)' },
    head: { label: 'working tree' },
    impact: [{ kind: 'rolls', severity: 'info', summary: 'image `a` → <b>**x**</b> # no heading', details: ['- not a list\n# not a heading'], commands: ['echo ```'] }],
    objects: [{ ref: { group: '', kind: 'ConfigMap', name: 'c' }, apiVersion: 'v1', status: 'changed', diff: '--- a\n+++ b\n@@ -1 +1 @@\n-```\n+````x\n', secrets: [] }],
    counts: { added: 0, removed: 0, changed: 1, unchanged: 0 },
  });
  const doc = new Parser().parse(md);
  const w = doc.walker();
  const types = new Set<string>();
  for (let e = w.next(); e; e = w.next()) if (e.entering) types.add(e.node.type);
  for (const t of ['html_inline', 'link', 'emph']) assert.not.ok(types.has(t), `${t} from user text`);
  const top = children(doc);
  assert.is(top.filter((n) => n.type === 'heading').length, 3);
  const code = top.find((n) => n.type === 'code_block' && n.info === 'diff')!;
  assert.is(code.literal, '--- a\n+++ b\n@@ -1 +1 @@\n-```\n+````x\n', 'a longer fence keeps backticks inside');
});

test('markdown: stays under GitHub comment size, dropping diffs first and saying so', async () => {
  const { formatMarkdown, MAX_MARKDOWN } = await import('../../src/diff/formatMarkdown');
  const big = '--- a\n+++ b\n@@ -1 +1 @@\n' + '-x\n+y\n'.repeat(2000);
  const objects = Array.from({ length: 20 }, (_, i) => ({ ref: { group: '', kind: 'ConfigMap', name: `c${i}` }, apiVersion: 'v1', status: 'changed' as const, diff: big, secrets: [] }));
  const md = formatMarkdown({ app: 'a', base: { label: 'b' }, head: { label: 'h' }, impact: [], objects, counts: { added: 0, removed: 0, changed: 20, unchanged: 0 } });
  assert.ok(md.length <= MAX_MARKDOWN + 200, `${md.length}`);
  assert.ok(md.length < 65536);
  assert.match(md, /\d+ diffs not shown \(comment size limit\): run `habitat-cmp diff` locally\./);
  const doc = new Parser().parse(md);
  const listed = children(doc).filter((n) => n.type === 'list').flatMap(children).length;
  assert.is(listed, 20, 'every object is still listed');
});

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'app', 'base', 'head', 'differs', 'counts', 'impact', 'objects'],
  properties: {
    version: { const: 1 },
    app: { type: 'string', minLength: 1 },
    base: { $ref: '#/definitions/side' },
    head: { $ref: '#/definitions/side' },
    differs: { type: 'boolean' },
    counts: {
      type: 'object', additionalProperties: false, required: ['added', 'removed', 'changed', 'unchanged'],
      properties: { added: { type: 'integer', minimum: 0 }, removed: { type: 'integer', minimum: 0 }, changed: { type: 'integer', minimum: 0 }, unchanged: { type: 'integer', minimum: 0 } },
    },
    impact: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['kind', 'severity', 'summary', 'details', 'commands'],
        properties: {
          kind: { enum: ['sync-fails', 'rolls', 'reloads', 'restart-needed', 'leader', 'prunes', 'sealed', 'namespace', 'switch', 'scales', 'creates'] },
          severity: { enum: ['error', 'warning', 'info'] },
          object: { $ref: '#/definitions/ref' },
          summary: { type: 'string', minLength: 1 },
          details: { type: 'array', items: { type: 'string' } },
          commands: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    objects: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['group', 'kind', 'name', 'apiVersion', 'status', 'diff', 'secrets'],
        properties: {
          group: { type: 'string' }, kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' },
          apiVersion: { type: 'string' },
          status: { enum: ['added', 'removed', 'changed', 'unchanged'] },
          diff: { type: 'string' },
          secrets: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['field', 'status'], properties: { field: { type: 'string' }, status: { enum: ['added', 'removed', 'changed', 'unchanged'] } } } },
        },
      },
    },
  },
  definitions: {
    side: { type: 'object', additionalProperties: false, required: ['label'], properties: { label: { type: 'string' }, commit: { type: 'string', pattern: '^[0-9a-f]{40}$' }, absent: { const: true } } },
    ref: { type: 'object', additionalProperties: false, required: ['group', 'kind', 'name'], properties: { group: { type: 'string' }, kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } } },
  },
};

test('json: every step validates against the schema; counts and diffs agree with the objects', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);
  for (const [name, r] of runs) {
    const j = JSON.parse(r.json.stdout) as Json;
    assert.ok(validate(j), `${name}: ${JSON.stringify(validate.errors)}`);
    for (const st of ['added', 'removed', 'changed', 'unchanged']) assert.is(j.counts[st], j.objects.filter((o) => o.status === st).length);
    assert.is(j.differs, j.counts.added! + j.counts.removed! + j.counts.changed! > 0);
    for (const o of j.objects) assert.is(o.diff !== '', o.status === 'changed', `${name}: ${o.kind} ${o.name}`);
  }
});

test('colour only on a TTY, and never with NO_COLOR', async () => {
  const args = ['--base', c.initial!, '--head', c.image!];
  assert.not.match((await repo.diffHere(args)).stdout, /\u001b\[/);
  assert.match((await repo.diffHere(args, { tty: true })).stdout, /\u001b\[32m\+ {10}image: shop\/web:2\u001b\[0m/);
  assert.not.match((await repo.diffHere(args, { tty: true, env: { NO_COLOR: '1' } })).stdout, /\u001b\[/);
  assert.not.match((await repo.diffHere([...args, '--output', 'markdown'], { tty: true })).stdout, /\u001b\[/);
});

test('the repository is never written: .git and the working tree are byte- and mtime-identical', () => {
  assert.ok(before.length > 0);
  assert.is(after, before);
});

test('exit codes: 0 without --exit-code, 1 with it when something differs, 0 when nothing does', async () => {
  assert.is((await repo.diffHere(['--base', c.initial!, '--head', c.reload!])).status, 0);
  assert.is((await repo.diffHere(['--base', c.initial!, '--head', c.reload!, '--exit-code'])).status, 1);
  const same = await repo.diffHere(['--base', c.toSealed!, '--exit-code']);
  assert.is(same.status, 0, same.stderr);
  assert.match(same.stdout, /No differences \(\d+ objects unchanged\)/);
  for (const fmt of ['markdown', 'json']) assert.is((await repo.diffHere(['--base', c.initial!, '--head', c.reload!, '--exit-code', '--output', fmt])).status, 1);
});

test('a side that does not render: positioned errors naming the revision, exit 1 in every format', async () => {
  repo.write(repo.read().replace('  web:\n', '  web:\n    cout: 3\n'));
  const bad = repo.commit('broken');
  for (const fmt of ['text', 'markdown', 'json']) {
    const args = ['--base', c.toSealed!, '--head', bad, '--output', fmt];
    const r = fmt === 'text' ? repo.diff(args) : await repo.diffHere(args);
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
  assert.is((await repo.diffHere(['--base', c.toSealed!])).status, 1);
});

test('usage errors exit 2', async () => {
  assert.is((await repo.diffHere([])).status, 2);
  assert.is((await repo.diffHere(['--base', 'x', '--base-dir', 'y'])).status, 2);
  assert.is((await repo.diffHere(['--base-dir', '.', '--head', 'HEAD'])).status, 2);
  assert.is((await repo.diffHere(['--base', 'HEAD', '--output', 'html'])).status, 2);
  const unknown = await repo.diffHere(['--base', 'no-such-branch']);
  assert.is(unknown.status, 1);
  assert.match(unknown.stderr, /unknown revision "no-such-branch".*\[diff-unknown-revision\]/);
  assert.match((await repo.diffHere(['--base', '--upload-pack=x'])).stderr, /"--upload-pack=x" is not a revision/);
});

test.run();
