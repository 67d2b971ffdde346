import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { appDir, appYaml, FIXTURES, fixtureKeyPair, hab, readApp, tmp, unseal, type Run } from './helpers';

const CANARY = 'CANARY-pl41nt3xt-9f1c2e';
const outputs: Run[] = [];
const run = (args: string[], input: string | Buffer = CANARY) => {
  const r = hab(args, { input });
  outputs.push(r);
  return r;
};

/** Every form in which a leaked secret could show up in a message. */
function forms(secret: string): string[] {
  const b = Buffer.from(secret);
  return [secret, b.toString('base64'), b.toString('base64url'), b.toString('hex'), JSON.stringify(secret).slice(1, -1)];
}

function assertNoLeak(secrets: string[]) {
  for (const r of outputs) {
    for (const s of secrets.flatMap(forms)) {
      assert.not.ok(r.stdout.includes(s), `stdout leaks a secret form: ${r.stdout.slice(0, 200)}`);
      assert.not.ok(r.stderr.includes(s), `stderr leaks a secret form: ${r.stderr.slice(0, 200)}`);
    }
  }
}

test('seal: success and every error path never print the plaintext (or its base64/hex)', () => {
  const ok = appDir(appYaml({ namespace: 'myns' }));
  assert.is(run(['seal', ok, '--service', 'db', '--key', 'requirepass']).status, 0);
  assert.is(run(['seal', ok, '--service', 'db', '--key', 'requirepass', '--raw']).status, 0);
  assert.is(run(['seal', ok, '--service', 'db', '--key', 'withnl'], CANARY + '\n').status, 0, 'the trailing-newline warning names no value');
  const garbage = join(tmp(), 'garbage.pem');
  writeFileSync(garbage, CANARY);
  const fromFile = join(tmp(), 'value');
  writeFileSync(fromFile, CANARY);
  const failing: [string[], (string | Buffer)?][] = [
    [['seal', ok, '--service', 'db', '--key', 'k', '--cert', garbage]],
    [['seal', appDir(appYaml({ namespace: 'myns' }), join(FIXTURES, 'expired-rsa2048.pem')), '--service', 'db', '--key', 'k']],
    [['seal', appDir(appYaml({ namespace: 'myns' }), join(FIXTURES, 'ec.pem')), '--service', 'db', '--key', 'k']],
    [['seal', ok, '--service', 'nope', '--key', 'k']],
    [['seal', ok, '--service', 'db', '--key', 'k', '--scope', 'cluster-wide']],
    [['seal', appDir(appYaml()), '--service', 'db', '--key', 'k']],
    [['seal', ok, '--service', 'db', '--key', 'k', '--unknown']],
    // Users who type the secret on the command line must not see it echoed back.
    [['seal', ok, '--service', 'db', '--key', 'k', CANARY]],
    [['seal', CANARY, '--service', 'db', '--key', 'k']],
    [['seal', ok, '--service', 'db', '--key', 'k', `--${CANARY}`]],
    [['seal', ok, '--service', 'db', '--key', 'k', '--from-file', fromFile, '--cert', garbage]],
    [['seal', ok, '--service', 'db', '--key', 'k'], `${CANARY}\u007f`],
    [['seal', ok, '--service', 'db', '--key', 'k'], Buffer.concat([Buffer.from(CANARY), Buffer.from([0xff])])],
  ];
  for (const [args, input] of failing) {
    const r = run(args, input);
    assert.ok(r.status === 1 || r.status === 2, `${args.join(' ')} should fail`);
  }
  assert.not.match(readApp(ok), CANARY);
  assertNoLeak([CANARY]);
});

test('ring-key: the generated key never appears in any output', () => {
  const { privateKey } = fixtureKeyPair();
  const dir = appDir(appYaml({ namespace: 'myns' }));
  outputs.length = 0;
  assert.is(run(['ring-key', dir]).status, 0);
  assert.is(run(['ring-key', dir]).status, 0);
  const content = unseal(parse(readApp(dir)).ring.sealedKey, privateKey, 'myns/shop-ring-key').toString();
  const key = content.split('\n')[3]!;
  assert.is(key.length, 44);
  run(['ring-key', appDir(appYaml({ namespace: 'myns' }), join(FIXTURES, 'expired-rsa2048.pem'))]);
  run(['render', dir]);
  run(['render', dir, '--output', 'json']);
  assertNoLeak([key, content]);
});

test.run();
