import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sealedValueProblem } from '../../src/seal/sealedValue';
import { appDir, appYaml, hab } from './helpers';

/** The hybrid layout built by hand: uint16 BE rsaLen, rsaLen bytes, then AES-GCM ct + 16-byte tag. */
function layout(rsaLen: number, rest: number, announced = rsaLen): string {
  const b = Buffer.concat([Buffer.alloc(2), randomBytes(rsaLen + rest)]);
  b.writeUInt16BE(announced, 0);
  return b.toString('base64');
}

test('accepts the hybrid layout for RSA-2048/4096 and any payload length', () => {
  for (const [rsa, rest] of [
    [256, 16],
    [512, 16],
    [512, 16 + 1],
    [512, 16 + 1000],
  ] as const) {
    assert.is(sealedValueProblem(layout(rsa, rest)), undefined, `${rsa}/${rest}`);
  }
});

test('accepts what seal actually writes', () => {
  const r = hab(['seal', appDir(appYaml({ namespace: 'n' })), '--service', 'db', '--key', 'k', '--raw'], { input: 'x' });
  assert.is(r.status, 0, r.stderr);
  assert.is(sealedValueProblem(r.stdout), undefined);
});

test('rejects plaintext, URL-safe, unpadded, wrapped, truncated and too-short values, never quoting them', () => {
  const good = layout(512, 20);
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['hunter2 is my password', /whitespace/],
    ['p@ssw0rd!', /plain value/],
    ['p@ssw0rd!'.repeat(20), /not base64/],
    [good.replace(/\+/g, '-').replace(/\//g, '_'), /URL-safe/],
    [good.replace(/=+$/, '') + (good.endsWith('=') ? '' : 'A'), /padded|not a multiple/],
    [good.slice(0, 64) + '\n' + good.slice(64), /line breaks/],
    [good.slice(0, 400), /truncated/],
    [layout(512, 10, 512), /truncated/],
    [Buffer.from('short').toString('base64'), /too short/],
    [layout(0, 120, 0), /length is zero/],
  ];
  for (const [value, pattern] of cases) {
    const why = sealedValueProblem(value);
    assert.type(why, 'string', JSON.stringify(value.slice(0, 20)));
    assert.match(why!, pattern);
    if (value.length > 4) assert.not.ok(why!.includes(value) || why!.includes(value.slice(0, 12)), 'reason must not quote the value');
  }
});

test.run();
