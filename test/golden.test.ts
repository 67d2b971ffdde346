import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { cli, ROOT, UPDATE } from './helpers/cli';
import { validateK8s } from './helpers/k8sSchema';
import { sampleCases } from './helpers/samples';

const GOLDEN = join(ROOT, 'test/golden');
mkdirSync(GOLDEN, { recursive: true });

for (const c of sampleCases()) {
  const label = `${c.sample}${c.env ? ` --env ${c.env}` : ''}`;

  test(`golden: ${label}`, () => {
    const r = cli(c.args);
    assert.is(r.stderr, '', 'no warnings or errors');
    assert.is(r.status, 0);
    const file = join(GOLDEN, c.golden);
    if (UPDATE || !existsSync(file)) {
      if (!UPDATE) assert.unreachable(`missing golden ${c.golden}; run UPDATE=1 npm test and review it`);
      writeFileSync(file, r.stdout);
    }
    assert.fixture(r.stdout, readFileSync(file, 'utf8'));
  });

  test(`kubernetes schema: ${label}`, () => {
    const r = cli(c.args);
    const docs = parseAllDocuments(r.stdout);
    assert.ok(Array.isArray(docs) && docs.length > 0);
    for (const d of docs as ReturnType<typeof parseAllDocuments> & unknown[]) {
      const obj = (d as { toJS(): Record<string, unknown> }).toJS();
      try {
        validateK8s(obj);
      } catch (e) {
        assert.unreachable(`${String(obj.kind)} ${String((obj.metadata as { name?: string })?.name)}: ${(e as Error).message}`);
      }
    }
  });

  test(`yaml emitter agrees with the yaml parser and the json output: ${label}`, () => {
    const y = cli(c.args);
    const j = cli([...c.args, '--output', 'json']);
    assert.is(j.status, 0);
    const fromYaml = (parseAllDocuments(y.stdout) as unknown as { toJS(): unknown; errors: unknown[] }[]).map((d) => {
      assert.equal(d.errors, []);
      return d.toJS();
    });
    const fromJson = JSON.parse(`[${j.stdout.trim().replace(/\n\}\n\{/g, '\n},\n{')}]`);
    assert.equal(fromYaml, fromJson);
    assert.ok(y.stdout.endsWith('\n') && !y.stdout.endsWith('\n\n'), 'one trailing newline');
    assert.not.match(y.stdout, /creationTimestamp|status:|app\.kubernetes\.io\/instance|&[a-z]|\*[a-z]/);
  });
}

test.run();
