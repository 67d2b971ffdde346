import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, ROOT, UPDATE } from './helpers/cli';

/**
 * One directory per static check (kustomize style): habitat.yaml (+ files),
 * case.json with the hand-written expectation (code and file:line:col of each
 * diagnostic, exit code), and errors.txt, the exact stderr (golden; UPDATE=1).
 */
interface Case {
  command?: 'validate' | 'render' | 'generate' | 'seal' | 'ring-key';
  args?: string[];
  env?: Record<string, string>;
  /** stdin (the value for seal). */
  input?: string;
  exit?: number;
  expect: string[];
}

const CASES = join(ROOT, 'test/cases');

for (const name of readdirSync(CASES).sort()) {
  const dir = join(CASES, name);
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
  test(`error case: ${name}`, () => {
    const command = c.command ?? 'render';
    const before = readFileSync(join(dir, 'habitat.yaml'), 'utf8');
    const r = cli(command === 'generate' ? ['generate'] : [command, ...(c.args ?? [])], { cwd: dir, env: c.env ?? {}, ...(c.input !== undefined ? { input: c.input } : {}) });
    assert.is(readFileSync(join(dir, 'habitat.yaml'), 'utf8'), before, 'habitat.yaml unchanged');
    const exit = c.exit ?? 1;
    assert.is(r.status, exit, `exit code; stderr:\n${r.stderr}`);
    if (exit !== 0) assert.is(r.stdout, '', 'nothing on stdout');
    // Each diagnostic's first line: "<where>: <severity>: <message> [<code>]".
    const got = r.stderr
      .split('\n')
      .map((l) => /^(\S+?): (?:error|warning): .* \[([a-z0-9-]+)\]$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[2]} ${m[1]}`);
    assert.equal(got, c.expect);
    assert.not.match(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
    const golden = join(dir, 'errors.txt');
    if (UPDATE || !existsSync(golden)) {
      if (!UPDATE) assert.unreachable(`missing ${name}/errors.txt; run UPDATE=1 npm test and review it`);
      writeFileSync(golden, r.stderr);
    }
    assert.fixture(r.stderr, readFileSync(golden, 'utf8'));
  });
}

test.run();
