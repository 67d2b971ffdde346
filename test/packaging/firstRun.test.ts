import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../helpers/cli';

/** A new user's first minutes, as the README tells them. */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string>; allowScripts?: Record<string, boolean> };

test('the README\'s first command prints the manifests and nothing else (npm run -s)', () => {
  const first = /```sh\n(npm ci && npm run[^\n#]*?)\s*#/.exec(README)?.[1];
  assert.is(first, 'npm ci && npm run -s render -- samples/shop');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '-s', 'render', '--', 'samples/shop'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout === readFileSync(join(ROOT, 'test/golden/shop.yaml'), 'utf8'), 'exactly the golden manifests, no npm banner');
});

test('the README names the Node range package.json declares, and it covers the machines and the image', () => {
  assert.is(pkg.engines.node, '>=20.16');
  assert.match(README, 'Node.js 20.16 or newer');
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  assert.ok(major > 20 || (major === 20 && minor >= 16), `this Node (${process.versions.node}) is outside engines`);
  assert.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /^ARG NODE_IMAGE=node:24[.-]/m);
});

test('npm ci stays quiet: no dependency asks for a newer Node than engines, install scripts are reviewed', () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string }; hasInstallScript?: boolean }> };
  for (const [path, p] of Object.entries(lock.packages)) {
    const min = /^>=\s*(\d+)(?:\.(\d+))?/.exec(p.engines?.node ?? '');
    if (min) assert.ok(Number(min[1]) < 20 || (Number(min[1]) === 20 && Number(min[2] ?? 0) <= 16), `${path} needs Node ${p.engines!.node}`);
    if (p.hasInstallScript && path) assert.ok(pkg.allowScripts && path.replace(/^node_modules\//, '') in pkg.allowScripts, `${path} has an install script not in allowScripts`);
  }
});

test.run();
