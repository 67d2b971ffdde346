/**
 * The seed script from a rendered StatefulSet, run for real under busybox sh with
 * stubbed nslookup/date/sleep (test/ring/script.ts), case by case. What the
 * Supervisor then reads must never kill it: no blank line, no name, never its own
 * address.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAction } from '../../src/action/render';
import { memFs } from '../../src/load/repoFs';
import type { ConfigMap, Container, StatefulSet } from './manifests';
import { busyboxProblem, runScript, type DnsRecord } from './script';

const problem = busyboxProblem();

const rendered = renderAction(memFs({ 'habitat.yaml': 'apiVersion: habitat-cmp/v1\nkind: App\nmetadata: {name: shop}\nservices:\n  web: {image: x/web, count: 2}\n' }), {});
const container = (rendered.objects.find((o) => o.kind === 'StatefulSet') as unknown as StatefulSet).spec.template.spec.containers[0] as Container;
const configMap = rendered.objects.find((o) => o.kind === 'ConfigMap') as unknown as ConfigMap;

interface Run {
  seed: string;
  lookups: string[];
  /** Files left in the seed directory. */
  files: string[];
  args?: string[];
  elapsed: number;
  stderr: string;
}

function run(opts: { pod: string; ip: string; peers: string; rings?: string; dns: [string, string, number?][]; ns?: string; search?: string; libc?: boolean; clock?: number }): Run {
  if (problem) assert.unreachable(problem);
  const dir = mkdtempSync(join(tmpdir(), 'seed-test-'));
  try {
    const cm = join(dir, 'cm');
    const seed = join(dir, 'seed');
    for (const d of [cm, seed]) mkdirSync(d);
    writeFileSync(join(cm, 'peers'), opts.peers);
    writeFileSync(join(cm, 'service'), 'shop-ring');
    writeFileSync(join(cm, 'seed.sh'), configMap.data!['seed.sh']!);
    if (opts.rings !== undefined) writeFileSync(join(cm, 'rings'), opts.rings);
    const clock = opts.clock ?? 1000;
    const dns: DnsRecord[] = opts.dns.map(([fqdn, ip, from]) => ({ fqdn, ip, from: from ?? 0, to: 1e9 }));
    const ns = opts.ns ?? 'shop';
    const r = runScript({
      command: container.command!,
      args: ['--group', 'default'],
      env: { HAB_CMP_POD_NAME: opts.pod, HAB_CMP_POD_IP: opts.ip, HAB_CMP_POD_NAMESPACE: ns },
      mounts: [
        { path: '/hab/peers', hostDir: cm, readOnly: true },
        { path: '/hab/seed', hostDir: seed, readOnly: false },
      ],
      namespace: ns,
      clock,
      dns,
      ...(opts.search ? { search: opts.search } : {}),
      ...(opts.libc ? { libcFormat: true } : {}),
    });
    assert.ok(existsSync(join(seed, 'peers')), `seed file written; stderr: ${r.stderr}`);
    return { seed: readFileSync(join(seed, 'peers'), 'utf8'), lookups: r.lookups, files: readdirSync(seed).sort(), ...(r.initArgs ? { args: r.initArgs } : {}), elapsed: r.elapsed, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fq = (pod: string, ns = 'shop', domain = 'cluster.local') => `${pod}.shop-ring.${ns}.svc.${domain}`;

test('busybox and bubblewrap are available', () => {
  assert.is(problem, undefined);
});

test('alone in the app: no wait, an empty file (not a blank line), then /init.sh with the args', () => {
  const r = run({ pod: 'web-0', ip: '10.0.0.1', peers: 'web 1\n', dns: [[fq('web-0'), '10.0.0.1']] });
  assert.is(r.seed, '');
  assert.is(r.elapsed, 0);
  assert.equal(r.args, ['--group', 'default']);
  assert.equal(r.files, ['peers'], 'no scratch files left');
});

test('pods in ring order after its own, at most three, never itself', () => {
  const dns: [string, string][] = [['web-0', '10.0.0.1'], ['web-1', '10.0.0.2'], ['web-3', '10.0.0.4'], ['api-0', '10.0.1.1'], ['api-2', '10.0.1.3']].map(([p, ip]) => [fq(p!), ip!]);
  assert.is(run({ pod: 'web-2', ip: '10.0.0.3', peers: 'api 3\nweb 4\n', dns }).seed, '10.0.0.4\n10.0.1.1\n10.0.1.3\n', 'web-3, then around: api-0, (api-1 missing), api-2');
  assert.is(run({ pod: 'web-0', ip: '10.0.0.1', peers: 'api 3\nweb 4\n', dns }).seed, '10.0.0.2\n10.0.0.4\n10.0.1.1\n');
});

test('its own name resolving to an old address is skipped; so is its own address under another name', () => {
  const dns: [string, string][] = [[fq('web-0'), '10.0.0.9'], [fq('web-1'), '10.0.0.1'], [fq('web-2'), '10.0.0.3']];
  assert.is(run({ pod: 'web-0', ip: '10.0.0.1', peers: 'web 3\n', dns }).seed, '10.0.0.3\n');
});

test('waits for a first peer (2 s steps) and stops waiting after 30 s', () => {
  const late = run({ pod: 'web-0', ip: '10.0.0.1', peers: 'web 2\n', dns: [[fq('web-1'), '10.0.0.2', 1006]] });
  assert.is(late.seed, '10.0.0.2\n');
  assert.is(late.elapsed, 6);
  const never = run({ pod: 'web-0', ip: '10.0.0.1', peers: 'web 2\n', dns: [] });
  assert.is(never.seed, '');
  assert.ok(never.elapsed >= 30 && never.elapsed <= 32, `gave up after ${never.elapsed} s`);
  assert.equal(never.args, ['--group', 'default']);
});

test('the cluster domain comes from the search list; the libc nslookup format is read too', () => {
  const r = run({ pod: 'web-0', ip: '10.0.0.1', peers: 'web 2\n', dns: [[fq('web-1', 'shop', 'corp.internal'), '10.0.0.2']], search: 'shop.svc.corp.internal svc.corp.internal corp.internal ec2.internal' });
  assert.is(r.seed, '10.0.0.2\n');
  assert.is(run({ pod: 'web-0', ip: '10.0.0.1', peers: 'web 2\n', dns: [[fq('web-1'), '10.0.0.2']], libc: true }).seed, '10.0.0.2\n');
});

test('joined rings add up to three addresses each, relative to the pod namespace or qualified', () => {
  const dns: [string, string][] = [
    [fq('web-1'), '10.0.0.2'],
    ['billing-ring.money.svc.cluster.local', '10.9.0.1'],
    ['billing-ring.money.svc.cluster.local', '10.9.0.2'],
    ['billing-ring.money.svc.cluster.local', '10.9.0.3'],
    ['billing-ring.money.svc.cluster.local', '10.9.0.4'],
    ['acct-ring.shop.svc.cluster.local', '10.8.0.1'],
  ];
  const r = run({ pod: 'web-0', ip: '10.0.0.1', peers: 'web 2\n', rings: 'acct-ring\nbilling-ring.money\n', dns });
  assert.is(r.seed, '10.0.0.2\n10.8.0.1\n10.9.0.1\n10.9.0.2\n10.9.0.3\n');
});

test('bounded: in a 1000-workload app a pod resolves a handful of names, not every pod', () => {
  const peers = Array.from({ length: 1000 }, (_, i) => `w${String(i).padStart(4, '0')} 3\n`).join('');
  const dns: [string, string][] = [];
  for (let i = 0; i < 1000; i++) for (let k = 0; k < 3; k++) if ((i + k) % 2 === 0) dns.push([fq(`w${String(i).padStart(4, '0')}-${k}`), `10.${i >> 8}.${i & 255}.${k + 1}`]);
  const r = run({ pod: 'w0500-1', ip: '10.1.244.2', peers, dns });
  assert.is(r.seed.split('\n').filter(Boolean).length, 3);
  assert.ok(r.lookups.length <= 6, `${r.lookups.length} lookups: ${r.lookups.join(' ')}`);
  assert.is(r.lookups[0], fq('w0500-2'), 'starts after its own pod');
});

test('ConfigMap content is data: odd lines are skipped, nothing in them runs', () => {
  // /hab/seed is the one writable place in the sandbox: a command that ran would leave a file there.
  const evil = 'touch /hab/seed/pwned';
  const peers = `\n# comment\n$(${evil}) 2\n\`${evil}\` 1\n;${evil}; 1\nweb x\nweb 2\n`;
  const r = run({ pod: 'web-0', ip: '10.0.0.1', peers, rings: `$(${evil})\n\n`, dns: [[fq('web-1'), '10.0.0.2']] });
  assert.is(r.seed, '10.0.0.2\n');
  assert.equal(r.files, ['peers'], 'no command substitution ran');
});

test.run();
