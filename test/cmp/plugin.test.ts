// plugin.yaml as argocd-cmp-server reads it (the emulator's parser, which follows
// Argo's: YAML -> JSON, case-insensitive keys, unknown keys ignored, 3 checks).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePluginConfig, pluginName } from './argocd-cmp';
import { ROOT } from './habitat';

const text = readFileSync(join(ROOT, 'plugin.yaml'), 'utf8');
const cfg = parsePluginConfig(text);

const test = suite('cmp: plugin.yaml');

test('a ConfigManagementPlugin named habitat, version v1: Applications say habitat-v1', () => {
  assert.is(cfg.apiVersion, 'argoproj.io/v1alpha1');
  assert.is(cfg.kind, 'ConfigManagementPlugin');
  assert.is(cfg.metadata.name, 'habitat');
  assert.is(cfg.spec.version, 'v1');
  assert.is(pluginName(cfg), 'habitat-v1');
});

test('discovery by habitat.yaml, no init, no git credentials, files not executable', () => {
  assert.equal(cfg.spec.discover, { fileName: 'habitat.yaml' });
  assert.is(cfg.spec.init, undefined);
  assert.not.ok(cfg.spec.provideGitCreds);
  assert.is(cfg.spec.preserveFileMode, false);
});

test('static announcements: environment (string), images and counts (maps), each with title and tooltip', () => {
  const st = cfg.spec.parameters!.static!;
  assert.equal(
    st.map((p) => [p!.name, p!.collectionType]),
    [
      ['environment', 'string'],
      ['images', 'map'],
      ['counts', 'map'],
    ],
  );
  for (const p of st) {
    assert.ok(p!.title && p!.tooltip, `${p!.name} needs a title and a tooltip`);
    // defaults come from the dynamic command, which knows the app
    assert.is(p!.string ?? p!.map ?? p!.array, undefined);
  }
});

test('every key is one Argo reads with its exact spelling (a typo would be silently ignored)', () => {
  const raw = parse(text);
  const known: Record<string, string[]> = {
    '': ['apiVersion', 'kind', 'metadata', 'spec'],
    spec: ['version', 'init', 'generate', 'discover', 'parameters', 'preserveFileMode', 'provideGitCreds'],
    'spec.generate': ['command', 'args'],
    'spec.discover': ['find', 'fileName'],
    'spec.parameters': ['static', 'dynamic'],
    'spec.parameters.dynamic': ['command', 'args'],
  };
  for (const [path, keys] of Object.entries(known)) {
    const node = path ? path.split('.').reduce((o, k) => o[k], raw) : raw;
    for (const k of Object.keys(node)) assert.ok(keys.includes(k), `${path || '<root>'}.${k} is not read by Argo CD`);
  }
  const fields = ['name', 'title', 'tooltip', 'required', 'itemType', 'collectionType', 'string', 'array', 'map'];
  for (const p of raw.spec.parameters.static) for (const k of Object.keys(p)) assert.ok(fields.includes(k), `static parameter key ${k}`);
});

test.run();
