import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../helpers/cli';

/**
 * Commands are thin: each is its usage, its flags and a few lines over an
 * action in src/action. The work (files, parsing, sealing) happens in actions
 * and the layers below, never in src/cli/commands.
 */
const COMMANDS = join(ROOT, 'src/cli/commands');

test('every command file is a spec plus a few lines, reaching files and crypto only through actions and src/load', () => {
  for (const f of readdirSync(COMMANDS)) {
    const text = readFileSync(join(COMMANDS, f), 'utf8');
    assert.ok(text.split('\n').length <= 45, `${f} has ${text.split('\n').length} lines`);
    assert.not.match(text, /from 'node:/, `${f} imports a Node module`);
    assert.not.match(text, /from '\.\.\/\.\.\/(?:parse|seal\/(?!ringName)|render|model|validate)\//, `${f} reaches past the actions`);
  }
});

test('seal and ring-key have actions beside render, and no grab-bag remains', () => {
  for (const a of ['render', 'seal', 'ringKey']) assert.ok(existsSync(join(ROOT, `src/action/${a}.ts`)), a);
  assert.not.ok(existsSync(join(COMMANDS, 'sealSupport.ts')));
  assert.equal(readdirSync(join(ROOT, 'src')).filter((n) => /util|support|helper/i.test(n)), []);
});

test('overlays, parameters and identity are model stages, not steps inside the render action', () => {
  for (const m of ['applyOverlay', 'applyParameters', 'identity']) assert.ok(existsSync(join(ROOT, `src/model/${m}.ts`)), m);
  const render = readFileSync(join(ROOT, 'src/action/render.ts'), 'utf8');
  assert.not.match(render, /deepMerge|resolveWorkloadValues|metadata\?\.name|metadata\?\.namespace/);
});
test.run();
