// `habitat-cmp graph`: every sample and fixture draws in both formats; the Mermaid
// text is read back by mermaid's own parser and the DOT text laid out by real
// Graphviz (@viz-js/viz, Graphviz compiled to WebAssembly); what each of them
// understood must be exactly the workloads, binds and Services habitat.yaml
// declares (expectations from test/graph/expected.ts, not from src/).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instance } from '@viz-js/viz';
import { parse, parseDocument, isMap } from 'yaml';
import { cli, ROOT, UPDATE } from '../helpers/cli';
import { sampleCases } from '../helpers/samples';
import { bindKey, expectedApp, type ExpectedApp } from './expected';

type Obj = Record<string, any>;

interface Case {
  label: string;
  dir: string;
  args: string[];
  env?: string;
  golden: string;
}

const FIXTURES = join(ROOT, 'test/graph/fixtures');
const GOLDEN = join(ROOT, 'test/golden/graph');

const cases: Case[] = [
  ...sampleCases().map((c) => ({
    label: `${c.sample}${c.env ? ` --env ${c.env}` : ''}`,
    dir: join(ROOT, 'samples', c.sample),
    args: [`samples/${c.sample}`, ...(c.env ? ['--env', c.env] : [])],
    ...(c.env ? { env: c.env } : {}),
    golden: `${c.sample}${c.env ? `@${c.env}` : ''}`,
  })),
  ...readdirSync(FIXTURES)
    .sort()
    .map((f) => ({ label: `fixture ${f}`, dir: join(FIXTURES, f), args: [`test/graph/fixtures/${f}`], golden: `fixture-${f}` })),
];

function graph(args: string[], output: 'mermaid' | 'dot'): string {
  const r = cli(['graph', ...args, '--output', output]);
  assert.is(r.stderr, '', `graph ${args.join(' ')} --output ${output}: no warnings or errors`);
  assert.is(r.status, 0);
  return r.stdout;
}

/** Runs test/graph/mermaidParse.mjs once for many texts. */
function mermaidParse(texts: string[]): Obj[] {
  const r = spawnSync(process.execPath, [join(ROOT, 'test/graph/mermaidParse.mjs')], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`mermaidParse.mjs failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function frontmatterTitle(text: string): string | undefined {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  return m ? (parse(m[1]!) as Obj).title : undefined;
}

const sorted = (xs: string[]) => [...xs].sort();

/** Compares what a parser understood (nodes as label lines, edges) with habitat.yaml; returns the differences. */
function compare(
  exp: ExpectedApp,
  got: {
    ringTitle?: string;
    ringMembers: string[][];
    /** Title and group labels of each box nested in the ring box. */
    joined: { title: string; groups: string[] }[];
    nodes: { lines: string[]; shape: string; outside: boolean }[];
    binds: { from: string[]; to: string[]; text: string; dashed: boolean }[];
    serviceLinks: { from: string[]; to: string[] }[];
  },
): string[] {
  const problems: string[] = [];
  const eq = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${what}: got ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`);
  };
  eq('ring title', got.ringTitle, exp.ringTitle);
  eq('ring members', sorted(got.ringMembers.map((l) => l.join('|'))), sorted(exp.workloads.map((w) => w.lines.join('|'))));
  eq('joined rings', sorted(got.joined.map((j) => `${j.title}: ${sorted(j.groups).join(', ')}`)), sorted(exp.joined.map((j) => `${j.title}: ${sorted(j.groups).join(', ')}`)));
  const withPorts = exp.workloads.filter((w) => w.ports.length);
  eq(
    'nodes',
    sorted(got.nodes.map((n) => `${n.shape}:${n.lines.join('|')}${n.outside ? ':outside' : ''}`)),
    sorted([
      ...exp.workloads.map((w) => `workload:${w.lines.join('|')}`),
      ...withPorts.map((w) => `service:${[`Service ${w.name}`, ...w.ports].join('|')}`),
      ...exp.joined.flatMap((j) => j.groups.map((g) => `group:${g}:outside`)),
    ]),
  );
  eq(
    'binds',
    sorted(
      got.binds.map((b) => {
        const relaxed = b.text.endsWith(' (relaxed)');
        if (relaxed !== b.dashed) problems.push(`bind ${b.text}: label and line style disagree`);
        return bindKey({ from: b.from[0]!, to: b.to[0]!, name: b.text.replace(/ \(relaxed\)$/, ''), relaxed: b.dashed });
      }),
    ),
    sorted(exp.binds.map(bindKey)),
  );
  eq('service links', sorted(got.serviceLinks.map((l) => `${l.from[0]} -- ${l.to[0]}`)), sorted(withPorts.map((w) => `Service ${w.name} -- ${w.name}`)));
  return problems;
}

/** Mermaid keeps labels as sanitized HTML: the text a reader sees, line by line. */
const shown = (html: string) =>
  html.split('<br>').map((l) => l.replace(/&(gt|lt|quot|amp|#\d+);/g, (_, e: string) => (e === 'gt' ? '>' : e === 'lt' ? '<' : e === 'quot' ? '"' : e === 'amp' ? '&' : String.fromCharCode(Number(e.slice(1))))));

const MERMAID_SHAPE: Record<string, string> = { square: 'workload', stadium: 'service', hexagon: 'group' };

function fromMermaid(parsed: Obj): Parameters<typeof compare>[1] {
  const lines = new Map<string, string[]>(parsed.vertices.map((v: Obj) => [v.id, shown(String(v.text))]));
  const ring = parsed.subgraphs.find((s: Obj) => s.id === 'ring');
  return {
    ringTitle: ring?.title,
    joined: parsed.subgraphs
      .filter((s: Obj) => s.id !== 'ring' && ring?.nodes.includes(s.id))
      .map((s: Obj) => ({ title: s.title, groups: s.nodes.map((id: string) => lines.get(id)![0]!) })),
    ringMembers: (ring?.nodes ?? []).filter((id: string) => lines.has(id) && MERMAID_SHAPE[parsed.vertices.find((v: Obj) => v.id === id).type] === 'workload').map((id: string) => lines.get(id)!),
    nodes: parsed.vertices.map((v: Obj) => ({ lines: lines.get(v.id)!, shape: MERMAID_SHAPE[v.type] ?? `?${v.type}`, outside: v.classes.includes('outside') })),
    binds: parsed.edges.filter((e: Obj) => e.type === 'arrow_point').map((e: Obj) => ({ from: lines.get(e.start)!, to: lines.get(e.end)!, text: e.text, dashed: e.stroke === 'dotted' })),
    serviceLinks: parsed.edges.filter((e: Obj) => e.type === 'arrow_open').map((e: Obj) => ({ from: lines.get(e.start)!, to: lines.get(e.end)! })),
  };
}

const DOT_SHAPE: Record<string, string> = { box: 'workload', oval: 'service', hexagon: 'group' };

function fromGraphviz(layout: Obj): Parameters<typeof compare>[1] {
  const objects: Obj[] = layout.objects;
  const nodes = objects.filter((o) => !String(o.name).startsWith('cluster'));
  const lines = new Map<number, string[]>(nodes.map((o) => [o._gvid, String(o.label).split('\\n')]));
  const ring = objects.find((o) => o.name === 'cluster_ring');
  return {
    ringTitle: ring?.label,
    joined: ((ring?.subgraphs ?? []) as number[])
      .map((i) => objects[i]!)
      .map((c) => ({ title: c.label, groups: ((c.nodes ?? []) as number[]).map((n) => lines.get(n)![0]!) })),
    ringMembers: (ring?.nodes ?? []).filter((i: number) => DOT_SHAPE[objects[i]!.shape] === 'workload').map((i: number) => lines.get(i)!),
    nodes: nodes.map((o) => ({ lines: lines.get(o._gvid)!, shape: DOT_SHAPE[o.shape] ?? `?${o.shape}`, outside: o.style === 'dashed' })),
    binds: (layout.edges ?? []).filter((e: Obj) => e.dir !== 'none').map((e: Obj) => ({ from: lines.get(e.tail)!, to: lines.get(e.head)!, text: e.label, dashed: e.style === 'dashed' })),
    serviceLinks: (layout.edges ?? []).filter((e: Obj) => e.dir === 'none').map((e: Obj) => ({ from: lines.get(e.tail)!, to: lines.get(e.head)! })),
  };
}

const texts = cases.map((c) => ({ mermaid: graph(c.args, 'mermaid'), dot: graph(c.args, 'dot') }));
const parsed = mermaidParse(texts.map((t) => t.mermaid));
const viz = await instance();

function layout(dot: string): Obj {
  const r = viz.render(dot, { format: 'json' });
  if (r.status !== 'success' || r.errors.length) throw new Error(`graphviz: ${r.errors.map((e) => `${e.level}: ${e.message}`).join('; ')}`);
  return JSON.parse(r.output!);
}

const test = suite('graph');

test('there are samples and fixtures to draw', () => {
  assert.ok(cases.length >= 12, `${cases.length} cases`);
  assert.ok(cases.some((c) => c.label.startsWith('fixture')));
});

cases.forEach((c, i) => {
  const exp = expectedApp(c.dir, c.env);

  test(`${c.label}: mermaid's parser reads exactly the app's workloads, binds and Services`, () => {
    const p = parsed[i]!;
    assert.ok(p.ok, `mermaid rejected the graph: ${p.error}`);
    assert.is(p.type, 'flowchart-v2');
    assert.is(frontmatterTitle(texts[i]!.mermaid), `app ${exp.app}${exp.namespace ? `, namespace ${exp.namespace}` : ''}`);
    assert.equal(compare(exp, fromMermaid(p)), []);
  });

  test(`${c.label}: Graphviz lays the DOT out without a warning, with exactly the app's workloads, binds and Services`, () => {
    const l = layout(texts[i]!.dot);
    assert.is(l.label, `app ${exp.app}${exp.namespace ? `, namespace ${exp.namespace}` : ''}`);
    assert.ok(/^[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+$/.test(l.bb), 'the graph has a bounding box');
    for (const o of l.objects as Obj[]) if (!o.name.startsWith('cluster')) assert.ok(o.pos, `${o.name} was placed`);
    for (const e of (l.edges ?? []) as Obj[]) assert.ok(e.pos, 'every edge was routed');
    assert.equal(compare(exp, fromGraphviz(l)), []);
  });

  test(`${c.label}: golden`, () => {
    for (const [ext, text] of [['mmd', texts[i]!.mermaid], ['dot', texts[i]!.dot]] as const) {
      const file = join(GOLDEN, `${c.golden}.${ext}`);
      if (UPDATE || !existsSync(file)) {
        if (!UPDATE) assert.unreachable(`missing golden graph/${c.golden}.${ext}; run UPDATE=1 npm test and review it`);
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, text);
      }
      assert.fixture(text, readFileSync(file, 'utf8'));
    }
  });
});

test('the fixture covers relaxed binds, joined rings, binds by service group and keyword-like names', () => {
  const exp = expectedApp(join(FIXTURES, 'binds'));
  assert.ok(exp.binds.some((b) => b.relaxed) && exp.binds.some((b) => !b.relaxed));
  assert.ok(exp.joined.length >= 2 && exp.joined.some((j) => j.title.includes('namespace')) && exp.joined.some((j) => !j.title.includes('namespace')));
  assert.ok(exp.binds.some((b) => b.to === 'redis.old'), 'a bind to a joined group');
  assert.ok(exp.workloads.some((w) => w.name === 'end'));
  assert.ok(exp.binds.some((b) => b.name === 'queue' && b.to === 'subgraph'), 'a group bind landing on a workload');
});

test('negative controls: the parsers and the comparison can fail', () => {
  const i = cases.findIndex((c) => c.label === 'fixture binds');
  // Mermaid reads a raw `end` as the end of a block: the id scheme is what avoids it.
  const [raw] = mermaidParse([texts[i]!.mermaid.replace(/\bw_end\b/g, 'end')]);
  assert.is(raw!.ok, false);
  assert.throws(() => layout(texts[i]!.dot.replace(/\}\n$/, '')), /syntax error/);
  const exp = expectedApp(cases[i]!.dir);
  // a strict arrow where the workload is relaxed, and a dropped Service link
  const [swapped] = mermaidParse([texts[i]!.mermaid.replace('-.->', '-->').replace(/^ {2}s_end --- w_end\n/m, '')]);
  const problems = compare(exp, fromMermaid(swapped!));
  assert.ok(problems.some((p) => p.startsWith('binds') || p.includes('disagree')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('service links')), problems.join('\n'));
  const l = layout(texts[i]!.dot.replace('[label="backend (relaxed)", style=dashed]', '[label="backend (relaxed)", style=solid]'));
  assert.ok(compare(exp, fromGraphviz(l)).some((p) => p.includes('disagree')));
  // a joined group drawn outside the ring box
  const moved = texts[i]!.mermaid.replace(/^ {6}j2_g1\{\{"redis\.old"\}\}\n/m, '').replace(/^ {2}s_end\(/m, '  j2_g1{{"redis.old"}}\n  s_end(');
  assert.ok(compare(exp, fromMermaid(mermaidParse([moved])[0]!)).some((p) => p.startsWith('joined rings')));
});

test('README embeds the Mermaid graph of samples/shop exactly as `graph samples/shop` prints it', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.is(blocks.length, 1, 'one mermaid block in README.md');
  assert.fixture(blocks[0]!, texts[cases.findIndex((c) => c.label === 'shop')]!.mermaid);
});

test('same bytes under shuffled habitat.yaml keys, other time zones, locales and working directories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hab-graph-'));
  try {
    for (const name of ['shop', 'fixture binds']) {
      const c = cases.find((x) => x.label === name)!;
      const i = cases.indexOf(c);
      const copy = join(dir, c.golden, (c.dir.split('/').pop())!);
      cpSync(c.dir, copy, { recursive: true });
      const doc = parseDocument(readFileSync(join(copy, 'habitat.yaml'), 'utf8'));
      const services = doc.get('services', true);
      if (isMap(services)) services.items.reverse();
      if (isMap(doc.contents)) doc.contents.items.reverse();
      writeFileSync(join(copy, 'habitat.yaml'), doc.toString());
      for (const output of ['mermaid', 'dot'] as const) {
        const want = output === 'mermaid' ? texts[i]!.mermaid : texts[i]!.dot;
        const shuffled = cli(['graph', copy, '--output', output], { cwd: tmpdir(), env: { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' } });
        assert.is(shuffled.status, 0, shuffled.stderr);
        assert.ok(shuffled.stdout === want, `${c.label} --output ${output} differs`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('refuses what render refuses: file:line:col, nothing on stdout, exit 1; unknown --output is a usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hab-graph-bad-'));
  try {
    writeFileSync(join(dir, 'habitat.yaml'), 'apiVersion: habitat-cmp/v1\nkind: App\nservices:\n  web:\n    image: a/b\n    binds: {db: nope}\n');
    const r = cli(['graph', dir]);
    assert.is(r.status, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /habitat\.yaml:6:\d+: error: .*\[bind-target-unknown\]/);
    const u = cli(['graph', 'samples/shop', '--output', 'svg']);
    assert.is(u.status, 2);
    assert.is(u.stdout, '');
    assert.match(u.stderr, /--output must be mermaid or dot/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--env, --name and --namespace reach the graph as they reach render', () => {
  const prod = cli(['graph', 'samples/shop', '--env', 'prod']).stdout;
  assert.match(prod, /cache<br\/>redis\.default<br\/>leader, count 5/);
  const named = cli(['graph', 'samples/bind', '--name', 'other', '--namespace', 'ns1']).stdout;
  // metadata.name pins the app name; the namespace comes from the flag
  assert.match(named, /^title: "app bind, namespace ns1"$/m);
});

test.run();
