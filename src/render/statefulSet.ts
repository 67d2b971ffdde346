import type { AppModel, Bind, Workload } from '../model/types';
import { configFingerprint } from './configSecret';
import { contentHash } from './hash';
import { objectMeta, workloadLabels, workloadSelector } from './labels';
import {
  configSecretName, GOSSIP_PORT, HAB_GID, HTTP_PORT, PEERS_DIR, peersConfigMapName,
  RING_KEY_KEY, ringKeySecretName, ringServiceName, SEED_SCRIPT_KEY, USER_TOML,
} from './names';
import { SEED_DEADLINE_SECONDS, SEED_DIR, SEED_FILE } from './seedScript';

export const CONTAINER_NAME = 'habitat';
const PEERS_VOLUME = 'hab-peers';
const SEED_VOLUME = 'hab-seed';
const CONFIG_VOLUME = 'hab-user-config';
export const DATA_VOLUME = 'persistent';

export const bindEnvName = (bind: string): string => `HAB_BIND_${bind.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** Keeps the operator's argument order; the image's init.sh turns leading flags into `hab sup run <ident> ...`. */
export function supervisorArgs(w: Workload): string[] {
  const args = ['--group', w.group];
  if (w.channel !== undefined) args.push('--channel', w.channel);
  args.push('--topology', w.topology, '--peer-watch-file', SEED_FILE);
  for (const b of w.binds) args.push('--bind', `${b.name}:${b.service}.${b.group}`);
  if (w.bindingMode === 'relaxed') args.push('--binding-mode', 'relaxed');
  return args;
}

function bindEnv(app: AppModel, b: Bind): Record<string, unknown>[] {
  const name = bindEnvName(b.name);
  const env: Record<string, unknown>[] = [{ name, value: `${b.service}.${b.group}` }];
  const producer = b.workload !== undefined ? app.workloads.find((x) => x.name === b.workload) : undefined;
  if (producer && producer.ports.length) {
    env.push({ name: `${name}_HOST`, value: producer.name }, { name: `${name}_PORT`, value: String(producer.ports[0]!.port) });
  }
  return env;
}

/** `toml` is userToml(w), for the configUpdate: restart hash. */
export function statefulSet(app: AppModel, w: Workload, toml: string): Record<string, unknown> {
  const env: Record<string, unknown>[] = [
    { name: 'HAB_LICENSE', value: 'accept-no-persist' },
    // What the seed script needs to know about its own pod (downward API).
    { name: 'HAB_CMP_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'HAB_CMP_POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'HAB_CMP_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
  ];
  if (app.ringSealedKey !== undefined) {
    env.push({ name: 'HAB_RING_KEY', valueFrom: { secretKeyRef: { name: ringKeySecretName(app), key: RING_KEY_KEY } } });
  }
  for (const b of w.binds) env.push(...bindEnv(app, b));
  for (const [name, value] of w.env) env.push({ name, value });

  const mounts: Record<string, unknown>[] = [
    { name: PEERS_VOLUME, mountPath: PEERS_DIR, readOnly: true },
    { name: SEED_VOLUME, mountPath: SEED_DIR },
    // A directory mount (no subPath) so Secret updates reach the Supervisor's user.toml watcher.
    { name: CONFIG_VOLUME, mountPath: `/hab/user/${w.service}/config`, readOnly: true },
  ];
  if (w.persistence) mounts.push({ name: DATA_VOLUME, mountPath: w.persistence.mountPath });

  const container: Record<string, unknown> = {
    name: CONTAINER_NAME,
    image: w.image,
    // The seed script (peers ConfigMap) runs on every container start, then execs the image's /init.sh with these args.
    command: ['/bin/sh', `${PEERS_DIR}/${SEED_SCRIPT_KEY}`],
    args: supervisorArgs(w),
    env,
    ports: [
      { name: 'hab-gossip', containerPort: GOSSIP_PORT, protocol: 'TCP' },
      { name: 'hab-gossip-udp', containerPort: GOSSIP_PORT, protocol: 'UDP' },
      { name: 'hab-http', containerPort: HTTP_PORT, protocol: 'TCP' },
      ...w.ports.map((p) => ({ name: p.name, containerPort: p.targetPort, protocol: p.protocol })),
    ],
    volumeMounts: mounts,
    // 200 for OK/WARNING; CRITICAL, UNKNOWN (the initial state) and a missing group are not ready.
    readinessProbe: { httpGet: { path: `/services/${w.service}/${w.group}/health`, port: HTTP_PORT }, periodSeconds: 10, failureThreshold: 3 },
    // The gateway comes up once seeding (at most SEED_DEADLINE_SECONDS) and Supervisor start are done.
    livenessProbe: { httpGet: { path: '/', port: HTTP_PORT }, initialDelaySeconds: SEED_DEADLINE_SECONDS + 30, periodSeconds: 10, failureThreshold: 6 },
  };
  if (w.resources) container.resources = w.resources;

  const { annotations: userAnnotations, labels: userLabels, securityContext: userSecurity, ...passThrough } = w.pod as {
    annotations?: Record<string, unknown>;
    labels?: Record<string, unknown>;
    securityContext?: Record<string, unknown>;
    nodeSelector?: Record<string, unknown>;
  };
  // Like labels, nodeSelector values may be written as YAML numbers or booleans; the API wants strings.
  if (passThrough.nodeSelector) passThrough.nodeSelector = Object.fromEntries(Object.entries(passThrough.nodeSelector).map(([k, v]) => [k, String(v)]));
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(userAnnotations ?? {})) annotations[k] = String(v);
  if (w.configUpdate === 'restart') annotations['habitat.sh/config-hash'] = contentHash(...configFingerprint(w, toml));
  if (app.ringSealedKey !== undefined) annotations['habitat.sh/ring-key-hash'] = contentHash(app.ringSealedKey);

  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(userLabels ?? {})) labels[k] = String(v);
  Object.assign(labels, workloadLabels(app, w));

  // The hab user (gid 42) must own persisted data; an explicit user choice wins.
  const securityContext = { ...(w.persistence ? { fsGroup: HAB_GID } : {}), ...(userSecurity ?? {}) };

  const podSpec: Record<string, unknown> = {
    ...passThrough,
    containers: [container],
    volumes: [
      { name: PEERS_VOLUME, configMap: { name: peersConfigMapName(app) } },
      { name: SEED_VOLUME, emptyDir: {} },
      // Only user.toml: the controller also copies every encryptedData key into the Secret.
      { name: CONFIG_VOLUME, secret: { secretName: configSecretName(w), items: [{ key: USER_TOML, path: USER_TOML }] } },
    ],
  };
  if (Object.keys(securityContext).length) podSpec.securityContext = securityContext;

  const spec: Record<string, unknown> = {
    replicas: w.count,
    serviceName: ringServiceName(app),
    // Leader election needs every member up; ordered start would wait on a quorum that cannot form.
    podManagementPolicy: 'Parallel',
    updateStrategy: { type: 'RollingUpdate' },
    selector: { matchLabels: workloadSelector(app, w) },
    template: {
      metadata: { labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: podSpec,
    },
  };
  if (w.persistence) {
    spec.volumeClaimTemplates = [
      {
        // The API server fills these in; without them Argo CD shows the StatefulSet
        // OutOfSync forever (argo-cd #4126, #11143, #16707).
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: DATA_VOLUME, labels: workloadSelector(app, w) },
        spec: {
          accessModes: w.persistence.accessModes,
          resources: { requests: { storage: w.persistence.size } },
          ...(w.persistence.storageClassName !== undefined ? { storageClassName: w.persistence.storageClassName } : {}),
        },
      },
    ];
  }
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: objectMeta(app, w.name, workloadLabels(app, w)), spec };
}
