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

/**
 * Whether `version` satisfies an npm engines range of the forms the lock holds:
 * `*`, `a || b`, comparator sets of `>=x.y.z`, `>x`, `<x`, `^x.y.z`, and bare `x`/`x.y`.
 * Anything else throws, so an unread range never passes silently.
 */
function satisfies(version: string, range: string): boolean {
  const v = version.split('.').map(Number);
  const cmp = (a: number[], b: number[]) => (a[0]! - b[0]! || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0));
  const one = (c: string): boolean => {
    const m = /^(>=|>|<=|<|\^|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(c.trim());
    if (!m) throw new Error(`engines range not understood: ${range}`);
    const w = [m[2], m[3], m[4]].filter((x) => x !== undefined).map(Number);
    const d = cmp(v, w);
    switch (m[1]) {
      case '>=': return d >= 0;
      case '>': return d > 0;
      case '<=': return d <= 0;
      case '<': return d < 0;
      case '^': return d >= 0 && v[0] === w[0];
      default: return w.every((x, i) => v[i] === x);
    }
  };
  return range.trim() === '*' || range.replace(/([<>=^]+)\s+/g, '$1').split('||').some((set) => set.trim().split(/\s+/).every(one));
}

/** The lowest version of each major line package.json's engines allows (e.g. 20.19.0, 22.13.0, 24.0.0). */
const floors = pkg.engines.node.split('||').map((r) => /(\d+)\.(\d+)\.(\d+)/.exec(r)![0]);

test('the README names the Node versions package.json declares, the machines run one of them, the image runs 24', () => {
  assert.equal(floors, ['20.19.0', '22.13.0', '24.0.0']);
  assert.match(README, 'Node.js 20.19+, 22.13+ or 24+');
  assert.ok(satisfies(process.versions.node, pkg.engines.node), `this Node (${process.versions.node}) is outside engines`);
  assert.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /^ARG NODE_IMAGE=node:24[.-]/m);
});

test('npm ci stays quiet: every dependency runs on every Node engines names, install scripts are reviewed', () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; hasInstallScript?: boolean; optional?: boolean; os?: string[] }> };
  for (const [path, p] of Object.entries(lock.packages)) {
    if (!path || p.optional) continue;
    const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
    if (range) for (const f of floors) assert.ok(satisfies(f, range), `${path} needs Node ${range}, engines allows ${f}`);
    if (p.hasInstallScript) assert.ok(pkg.allowScripts && path.replace(/^node_modules\//, '') in pkg.allowScripts, `${path} has an install script not in allowScripts`);
  }
  assert.ok(satisfies('20.19.0', '^20.19.0 || >=24') && !satisfies('20.18.1', '^20.19.0 || >=24') && !satisfies('22.0.0', '20 || >=22.1') && satisfies('10.3.0', '^10 || >=12'), 'the range check can fail');
});

test.run();
