/**
 * README's "What is rendered" table, row by row, asserted on the rendered objects
 * of every sample and environment. Expectations come from habitat.yaml read here
 * (with this file's own overlay merge), never from habitat-cmp's model, so that
 * regenerating the goldens (UPDATE=1) can never quietly drop one of these facts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { cli, ROOT } from './helpers/cli';
import { sampleCases } from './helpers/samples';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Overlay semantics from README: mappings merge key by key; lists and scalars replace. */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Any = { ...(base as Any) };
    for (const [k, v] of Object.entries(over as Any)) out[k] = merge(out[k], v);
    return out;
  }
  return over;
}

const SEED_DEADLINE = 30;

for (const c of sampleCases()) {
  test(`contract: ${c.sample}${c.env ? ` --env ${c.env}` : ''}`, () => {
    const doc = parse(readFileSync(join(ROOT, 'samples', c.sample, 'habitat.yaml'), 'utf8')) as Any;
    const { environments, ...base } = doc;
    const app = (c.env ? merge(base, environments[c.env]) : base) as Any;
    const A: string = app.metadata?.name ?? c.sample;
    const r = cli(c.args);
    assert.is(r.status, 0, r.stderr);
    const objs = parseAllDocuments(r.stdout).map((d) => (d as { toJS(): Any }).toJS());
    const find = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
    const workloads = Object.entries(app.services as Any).sort(([a], [b]) => (a < b ? -1 : 1));

    // Row: the ring. Headless, not-ready pods published, gossip and gateway ports.
    const ring = find('Service', `${A}-ring`);
    assert.ok(ring, 'ring Service');
    assert.is(ring.spec.clusterIP, 'None');
    assert.is(ring.spec.publishNotReadyAddresses, true);
    assert.equal(ring.spec.ports.map((p: Any) => `${p.port}/${p.protocol}`), ['9638/TCP', '9638/UDP', '9631/TCP']);

    // Row: joining the ring. One line per StatefulSet with replicas; the ring Service named.
    const peers = find('ConfigMap', `${A}-peers`);
    assert.ok(peers, 'peers ConfigMap');
    const expectPeers = workloads.filter(([, s]) => (s.count ?? 1) >= 1).map(([w, s]) => `${w} ${s.count ?? 1}\n`).join('');
    assert.is(peers.data.peers, expectPeers);
    assert.not.ok(peers.data.peers.split('\n').slice(0, -1).includes(''), 'no blank line');
    assert.is(peers.data.service, `${A}-ring`);
    assert.match(peers.data['seed.sh'], /\nexec \/init\.sh "\$@"\n$/);
    // The only environment the script reads is what habitat-cmp sets from the downward API.
    const envRead = new Set([...(peers.data['seed.sh'] as string).matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    assert.equal([...envRead].sort(), ['HAB_CMP_POD_IP', 'HAB_CMP_POD_NAME', 'HAB_CMP_POD_NAMESPACE']);

    for (const [w, s] of workloads) {
      const sts = find('StatefulSet', w);
      assert.ok(sts, `StatefulSet ${w}`);
      const pod = sts.spec.template;
      const ctr = pod.spec.containers[0];
      const service: string = s.service ?? w;
      const group: string = s.group ?? 'default';
      const topology: string = s.topology ?? 'standalone';

      // Row: a service group.
      assert.is(sts.spec.serviceName, `${A}-ring`);
      assert.is(sts.spec.podManagementPolicy, 'Parallel');
      assert.is(sts.spec.updateStrategy.type, 'RollingUpdate');
      assert.is(sts.spec.replicas, s.count ?? 1);
      for (const [k, v] of Object.entries(ring.spec.selector)) assert.is(pod.metadata.labels[k], v, `ring selects ${w}`);
      const args: string[] = ctr.args;
      assert.equal(args.slice(0, 2), ['--group', group]);
      assert.is(args[args.indexOf('--topology') + 1], topology);
      assert.is(args[args.indexOf('--peer-watch-file') + 1], '/hab/seed/peers');
      assert.is(args.includes('--channel'), s.channel !== undefined);
      assert.is(args.includes('--binding-mode'), s.bindingMode === 'relaxed');
      const binds = Object.entries((s.binds ?? {}) as Any).sort(([a], [b]) => (a < b ? -1 : 1));
      const bindArgs = args.flatMap((a, i) => (a === '--bind' ? [args[i + 1]] : []));
      assert.equal(
        bindArgs,
        binds.map(([n, t]) => (typeof t === 'string' ? `${n}:${app.services[t].service ?? t}.${app.services[t].group ?? 'default'}` : `${n}:${t.service}.${t.group ?? 'default'}`)),
      );
      const env = new Map<string, Any>(ctr.env.map((e: Any) => [e.name, e]));
      assert.is(env.get('HAB_LICENSE')?.value, 'accept-no-persist');
      for (const [k, v] of Object.entries((s.env ?? {}) as Any)) assert.is(env.get(k)?.value, String(v));

      // Seeding: the start-up script (from the peers ConfigMap) writes the seed file, then execs the image's entrypoint.
      assert.equal(ctr.command, ['/bin/sh', '/hab/peers/seed.sh']);
      assert.equal(env.get('HAB_CMP_POD_NAME')?.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
      assert.equal(env.get('HAB_CMP_POD_NAMESPACE')?.valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
      assert.equal(env.get('HAB_CMP_POD_IP')?.valueFrom, { fieldRef: { fieldPath: 'status.podIP' } });
      const mount = (path: string) => ctr.volumeMounts.find((m: Any) => m.mountPath === path);
      const volume = (name: string) => pod.spec.volumes.find((v: Any) => v.name === name);
      assert.equal(volume(mount('/hab/peers').name).configMap, { name: `${A}-peers` });
      assert.equal(volume(mount('/hab/seed').name).emptyDir, {});
      assert.ok(!ctr.volumeMounts.some((m: Any) => m.mountPath === '/hab/sup' || m.mountPath.startsWith('/hab/sup/')), 'never persist /hab/sup');

      // Row: user.toml. A directory mount (no subPath) at the package's config directory.
      const cfg = mount(`/hab/user/${service}/config`);
      assert.ok(cfg, 'user.toml mount');
      assert.is(cfg.subPath, undefined);
      assert.is(volume(cfg.name).secret.secretName, `${w}-config`);
      const sealed = Object.keys((s.secrets ?? {}) as Any).sort();
      if (sealed.length) {
        const ss = find('SealedSecret', `${w}-config`);
        assert.ok(ss, 'SealedSecret for sealed values');
        assert.equal(Object.keys(ss.spec.encryptedData).sort(), sealed);
        for (const k of sealed) assert.ok(ss.spec.template.data['user.toml'].includes(`{{ toJson (index . "${k}") }}`), k);
        assert.is(find('Secret', `${w}-config`), undefined);
      } else {
        const plain = find('Secret', `${w}-config`);
        assert.type(plain?.stringData?.['user.toml'], 'string');
        // a later switch to sealed values lets the SealedSecret take the Secret over
        assert.is(plain!.metadata.annotations?.['sealedsecrets.bitnami.com/managed'], 'true');
      }
      if (s.configUpdate === 'restart') assert.type(pod.metadata.annotations?.['habitat.sh/config-hash'], 'string');

      // Row: health. Readiness on the package's group health route; liveness after seeding can finish.
      assert.equal(ctr.readinessProbe.httpGet, { path: `/services/${service}/${group}/health`, port: 9631 });
      assert.equal(ctr.livenessProbe.httpGet, { path: '/', port: 9631 });
      assert.ok(ctr.livenessProbe.initialDelaySeconds > SEED_DEADLINE, 'liveness waits for seeding');

      // Row: persistence.
      if (s.persistence) {
        assert.is(mount(s.persistence.mountPath).name, sts.spec.volumeClaimTemplates[0].metadata.name);
        // Argo CD shows claim templates without these OutOfSync forever (argo-cd #4126, #11143, #16707)
        assert.is(sts.spec.volumeClaimTemplates[0].apiVersion, 'v1');
        assert.is(sts.spec.volumeClaimTemplates[0].kind, 'PersistentVolumeClaim');
        assert.is(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, String(s.persistence.size));
        if (s.pod?.securityContext?.fsGroup === undefined) assert.is(pod.spec.securityContext.fsGroup, 42);
      } else {
        assert.is(sts.spec.volumeClaimTemplates, undefined);
        assert.is(pod.spec.securityContext?.fsGroup, undefined);
      }

      // Row: ring encryption.
      if (app.ring?.sealedKey) {
        assert.equal(env.get('HAB_RING_KEY')?.valueFrom, { secretKeyRef: { name: `${A}-ring-key`, key: 'ring-key' } });
        assert.type(pod.metadata.annotations['habitat.sh/ring-key-hash'], 'string');
      } else assert.is(env.get('HAB_RING_KEY'), undefined);

      // Row: app ports and leader topology.
      assert.is(find('Service', w) !== undefined, (s.ports ?? []).length > 0);
      const pdb = find('PodDisruptionBudget', w);
      assert.is(pdb !== undefined, topology === 'leader');
      if (pdb) {
        assert.is(pdb.apiVersion, 'policy/v1');
        assert.is(pdb.spec.maxUnavailable, 1);
      }
    }
    if (app.ring?.sealedKey) assert.equal(Object.keys(find('SealedSecret', `${A}-ring-key`)!.spec.encryptedData), ['ring-key']);
    else assert.is(find('SealedSecret', `${A}-ring-key`), undefined);

    // Labels: ours on every object; never Argo CD's tracking label, anywhere.
    for (const o of objs) {
      assert.is(o.metadata.labels['app.kubernetes.io/part-of'], A);
      assert.is(o.metadata.labels['app.kubernetes.io/managed-by'], 'habitat-cmp');
    }
    assert.not.match(r.stdout, /app\.kubernetes\.io\/instance/);
  });
}

test.run();
