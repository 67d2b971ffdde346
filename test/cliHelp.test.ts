import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from './helpers/cli';

/** Every command has its own --help listing its own flags; usage errors point at it. */
const FLAGS: Record<string, string[]> = {
  render: ['--env NAME', '--name APP', '--namespace NS', '--kube-version V', '--api-versions LIST', '--images W=IMAGE,..', '--counts W=N,..', '--output yaml|json'],
  validate: ['--env NAME', '--name APP', '--namespace NS', '--kube-version V', '--api-versions LIST', '--images W=IMAGE,..', '--counts W=N,..'],
  generate: [],
  parameters: [],
  seal: ['--service W', '--key K', '--raw', '--from-file F', '--name APP', '--env NAME', '--namespace NS', '--scope S', '--cert FILE'],
  'ring-key': ['--name RING', '--env NAME', '--namespace NS', '--scope S', '--cert FILE'],
  schema: [],
  diff: ['--base REV', '--head REV', '--base-dir PATH', '--env NAME', '--name APP', '--namespace NS', '--kube-version V', '--api-versions LIST', '--images W=IMAGE,..', '--counts W=N,..', '--output text|markdown|json', '--exit-code'],
  graph: ['--env NAME', '--name APP', '--namespace NS', '--kube-version V', '--api-versions LIST', '--images W=IMAGE,..', '--counts W=N,..', '--output mermaid|dot'],
  import: ['--out DIR', '--cert FILE', '--name APP', '--namespace NS', '--split', '--seal-config', '--scope S', '--force'],
};

for (const [cmd, flags] of Object.entries(FLAGS)) {
  test(`${cmd} --help: its usage and exactly its flags, exit 0`, () => {
    for (const h of ['--help', '-h']) {
      const r = cli([cmd, h]);
      assert.is(r.status, 0, r.stderr);
      assert.is(r.stderr, '');
      assert.ok(r.stdout.startsWith(`Usage: habitat-cmp ${cmd}`), r.stdout);
      const listed = [...r.stdout.matchAll(/^ {2}(--\S+(?: [^\s-]\S*)?)/gm)].map((m) => m[1]);
      assert.equal(listed, flags, `${cmd} ${h}`);
      assert.match(r.stdout, /^ {2}-h, --help +show this help$/m);
    }
  });
}

test('the global help lists every command and says where the flags are', () => {
  const r = cli(['--help']);
  assert.is(r.status, 0);
  for (const cmd of Object.keys(FLAGS)) assert.match(r.stdout, `\n  habitat-cmp ${cmd}`);
  assert.match(r.stdout, '"habitat-cmp COMMAND --help" lists the flags of a command.');
  assert.not.equal(r.stdout, cli(['seal', '--help']).stdout);
});

test('usage errors name the command, its usage line and its --help; exit 2, nothing on stdout', () => {
  const r = cli(['render', '--colour']);
  assert.is(r.status, 2);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'habitat-cmp render: error: unknown flag --colour\nusage: habitat-cmp render [DIR] [flags]\nRun "habitat-cmp render --help" for its flags.\n');
  const k = cli(['ring-key', '--scope', 'global']);
  assert.is(k.status, 2);
  assert.match(k.stderr, /^habitat-cmp ring-key: error: --scope must be one of strict, namespace-wide, cluster-wide\n/);
});

test.run();
