// Benchmark fixtures: for N workloads, one habitat.yaml app plus an equivalent Helm
// chart and kustomize tree that produce the same set of Kubernetes objects:
//
//   ring Service (headless) + peers ConfigMap              (once per app)
//   StatefulSet + Secret(user.toml)                        (every workload)
//   Service                                                (workloads with ports)
//   PodDisruptionBudget                                    (leader workloads)
//
// The workloads are deterministic (a function of the index only), so every run and
// every tool sees the same input. Binds only point at lower indices: no cycles.
//
//   node bench/gen.mjs N DIR      writes DIR/habitat, DIR/helm, DIR/kustomize
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export const APP = 'bench';
export const NAMESPACE = 'bench';

const KINDS = [
  { kind: 'redis', image: 'habitat/redis-hab', tag: '4.0.14', port: 6379 },
  { kind: 'postgresql', image: 'habitat/postgresql-hab', tag: '11.2.0', port: 5432 },
  { kind: 'nginx', image: 'habitat/nginx-hab', tag: '1.25.3', port: 80 },
  { kind: 'api', image: 'registry.example.com/shop/api-hab', tag: '2.14.0', port: 8080 },
  { kind: 'worker', image: 'registry.example.com/shop/worker-hab', tag: '2.14.0', port: 0 },
];

const pad = (i) => String(i).padStart(4, '0');

/** The i-th workload: plain data shared by all three generators. */
export function workload(i) {
  const k = KINDS[i % KINDS.length];
  const name = `${k.kind}-${pad(i)}`;
  const leader = i % 10 === 5; // 10%: leader topology, 3 replicas
  const w = {
    name,
    service: name, // habitat service name defaults to the key
    group: 'default',
    image: `${k.image}:${k.tag}`,
    topology: leader ? 'leader' : 'standalone',
    count: leader ? 3 : 1,
    config: {
      port: k.port || 9000 + (i % 1000),
      'max-connections': 100 + (i % 900),
      log: { level: i % 7 === 0 ? 'debug' : 'info', format: 'json' },
      cache: { 'size-mb': 64, 'ttl-seconds': 300 },
      features: ['metrics', 'health'],
    },
    ports: [],
    binds: [],
    persistence: null,
    env: {},
  };
  if (i % 2 === 0 && k.port) {
    w.ports.push({ name: 'app', port: k.port });
    if (i % 4 === 0) w.ports.push({ name: 'metrics', port: 9100 });
  }
  // binds to strictly lower indices => acyclic
  if (i > 0 && i % 3 === 1) w.binds.push({ name: 'upstream', target: Math.floor(i / 2) });
  if (i > 1 && i % 6 === 1) w.binds.push({ name: 'cache', target: i - 1 });
  if (i % 4 === 3) w.persistence = { size: '1Gi', mountPath: `/hab/svc/${name}/data` };
  if (i % 5 === 0) w.env = { LOG_FORMAT: 'json', TZ: 'UTC' };
  return w;
}

export function workloads(n) {
  const ws = Array.from({ length: n }, (_, i) => workload(i));
  // resolve binds: service.group plus host/port when the producer has ports
  for (const w of ws) {
    w.binds = w.binds.map((b) => {
      const p = ws[b.target];
      return { name: b.name, to: p.name, service: p.service, group: p.group, host: p.ports.length ? p.name : null, port: p.ports.length ? p.ports[0].port : null };
    });
  }
  return ws;
}

/** Expected object counts by kind for N workloads (what every tool must print). */
export function expectedObjects(n) {
  const ws = workloads(n);
  const c = {
    Service: 1 + ws.filter((w) => w.ports.length).length,
    ConfigMap: 1,
    Secret: n,
    StatefulSet: n,
    PodDisruptionBudget: ws.filter((w) => w.topology === 'leader').length,
  };
  c.total = Object.values(c).reduce((a, b) => a + b, 0);
  return c;
}

// ---------------------------------------------------------------- habitat.yaml
export function habitatYaml(n, app = APP, namespace = NAMESPACE) {
  const services = {};
  for (const w of workloads(n)) {
    const s = { image: w.image };
    if (w.topology === 'leader') s.topology = 'leader';
    if (w.count !== 1) s.count = w.count;
    s.config = w.config;
    if (w.binds.length) s.binds = Object.fromEntries(w.binds.map((b) => [b.name, b.to]));
    if (w.ports.length) s.ports = w.ports;
    if (w.persistence) s.persistence = w.persistence;
    if (Object.keys(w.env).length) s.env = w.env;
    services[w.name] = s;
  }
  const doc = {
    apiVersion: 'habitat-cmp/v1',
    kind: 'App',
    metadata: { name: app, namespace, labels: { team: 'perf' } },
    services,
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}

// ---------------------------------------------------------------- Helm chart
const HELM_CHART = `apiVersion: v2
name: bench
description: Habitat app as a hand-written Helm chart (benchmark twin of habitat.yaml)
type: application
version: 0.1.0
`;

const HELM_HELPERS = `{{- define "bench.labels" -}}
app.kubernetes.io/name: {{ .w.name }}
app.kubernetes.io/component: {{ .w.service }}
app.kubernetes.io/part-of: {{ .root.Values.app.name }}
app.kubernetes.io/managed-by: helm
habitat.sh/service-group: {{ printf "%s.%s" .w.service .w.group }}
habitat.sh/topology: {{ .w.topology }}
{{- with .root.Values.app.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "bench.selector" -}}
app.kubernetes.io/name: {{ .w.name }}
app.kubernetes.io/part-of: {{ .root.Values.app.name }}
{{- end }}
`;

const HELM_RING = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.app.name }}-ring
  namespace: {{ .Values.app.namespace }}
  labels:
    app.kubernetes.io/part-of: {{ .Values.app.name }}
    app.kubernetes.io/managed-by: helm
    {{- with .Values.app.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    app.kubernetes.io/part-of: {{ .Values.app.name }}
  ports:
    - {name: gossip-tcp, port: 9638, protocol: TCP}
    - {name: gossip-udp, port: 9638, protocol: UDP}
    - {name: http-gateway, port: 9631, protocol: TCP}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Values.app.name }}-peers
  namespace: {{ .Values.app.namespace }}
  labels:
    app.kubernetes.io/part-of: {{ .Values.app.name }}
    app.kubernetes.io/managed-by: helm
data:
  peers: |
    {{- range .Values.workloads }}
    {{- if ge (int .count) 1 }}
    {{ .name }}-0.{{ $.Values.app.name }}-ring
    {{- end }}
    {{- end }}
`;

const HELM_WORKLOADS = `{{- range $w := .Values.workloads }}
{{- $ctx := dict "w" $w "root" $ }}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{ $w.name }}-config
  namespace: {{ $.Values.app.namespace }}
  labels:
    {{- include "bench.labels" $ctx | nindent 4 }}
type: Opaque
data:
  user.toml: {{ toToml $w.config | b64enc }}
{{- if $w.ports }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $w.name }}
  namespace: {{ $.Values.app.namespace }}
  labels:
    {{- include "bench.labels" $ctx | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "bench.selector" $ctx | nindent 4 }}
  ports:
    {{- range $w.ports }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .port }}
      protocol: TCP
    {{- end }}
{{- end }}
{{- if eq $w.topology "leader" }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $w.name }}
  namespace: {{ $.Values.app.namespace }}
  labels:
    {{- include "bench.labels" $ctx | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "bench.selector" $ctx | nindent 6 }}
{{- end }}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ $w.name }}
  namespace: {{ $.Values.app.namespace }}
  labels:
    {{- include "bench.labels" $ctx | nindent 4 }}
spec:
  replicas: {{ $w.count }}
  serviceName: {{ $.Values.app.name }}-ring
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
  selector:
    matchLabels:
      {{- include "bench.selector" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "bench.labels" $ctx | nindent 8 }}
    spec:
      {{- if $w.persistence }}
      securityContext:
        fsGroup: 42
      {{- end }}
      containers:
        - name: habitat
          image: {{ $w.image }}
          args:
            - --group
            - {{ $w.group }}
            - --topology
            - {{ $w.topology }}
            - --peer-watch-file
            - /hab/peers/peers
            {{- range $w.binds }}
            - --bind
            - {{ printf "%s:%s.%s" .name .service .group }}
            {{- end }}
          env:
            - name: HAB_LICENSE
              value: accept-no-persist
            {{- range $w.binds }}
            - name: HAB_BIND_{{ .name | upper | replace "-" "_" }}
              value: {{ printf "%s.%s" .service .group }}
            {{- if .host }}
            - name: HAB_BIND_{{ .name | upper | replace "-" "_" }}_HOST
              value: {{ .host }}
            - name: HAB_BIND_{{ .name | upper | replace "-" "_" }}_PORT
              value: {{ .port | quote }}
            {{- end }}
            {{- end }}
            {{- range $k, $v := $w.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
          ports:
            - {name: gossip-tcp, containerPort: 9638, protocol: TCP}
            - {name: gossip-udp, containerPort: 9638, protocol: UDP}
            - {name: http-gateway, containerPort: 9631, protocol: TCP}
            {{- range $w.ports }}
            - {name: {{ .name }}, containerPort: {{ .port }}, protocol: TCP}
            {{- end }}
          readinessProbe:
            httpGet:
              path: /services/{{ $w.service }}/{{ $w.group }}/health
              port: 9631
          livenessProbe:
            httpGet:
              path: /
              port: 9631
          volumeMounts:
            - name: peers
              mountPath: /hab/peers
            - name: user-config
              mountPath: /hab/user/{{ $w.service }}/config
            {{- if $w.persistence }}
            - name: data
              mountPath: {{ $w.persistence.mountPath }}
            {{- end }}
      volumes:
        - name: peers
          configMap:
            name: {{ $.Values.app.name }}-peers
        - name: user-config
          secret:
            secretName: {{ $w.name }}-config
  {{- if $w.persistence }}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: {{ $w.persistence.size }}
  {{- end }}
{{- end }}
`;

function helmValues(n, app = APP, namespace = NAMESPACE) {
  return YAML.stringify(
    {
      app: { name: app, namespace, labels: { team: 'perf' } },
      workloads: workloads(n).map((w) => {
        const v = { name: w.name, service: w.service, group: w.group, image: w.image, topology: w.topology, count: w.count, config: w.config };
        if (w.ports.length) v.ports = w.ports;
        if (w.binds.length) v.binds = w.binds.map(({ name, service, group, host, port }) => (host ? { name, service, group, host, port } : { name, service, group }));
        if (w.persistence) v.persistence = w.persistence;
        if (Object.keys(w.env).length) v.env = w.env;
        return v;
      }),
    },
    { lineWidth: 0 },
  );
}

// ---------------------------------------------------------------- kustomize
// base/workload: a generic Habitat StatefulSet; base/service, base/pdb: optional
// pieces. One overlay per workload renames them, sets image/replicas/labels, generates
// the user.toml Secret and patches args/env/ports/persistence. The top kustomization
// includes ring/ and every overlay and adds namespace + app-wide labels.
const K_BASE_STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: workload
spec:
  replicas: 1
  serviceName: ${APP}-ring
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
  selector:
    matchLabels: {}
  template:
    metadata:
      labels: {}
    spec:
      containers:
        - name: habitat
          image: habitat-image
          env:
            - name: HAB_LICENSE
              value: accept-no-persist
          ports:
            - {name: gossip-tcp, containerPort: 9638, protocol: TCP}
            - {name: gossip-udp, containerPort: 9638, protocol: UDP}
            - {name: http-gateway, containerPort: 9631, protocol: TCP}
          livenessProbe:
            httpGet:
              path: /
              port: 9631
          volumeMounts:
            - name: peers
              mountPath: /hab/peers
      volumes:
        - name: peers
          configMap:
            name: ${APP}-peers
        - name: user-config
          secret:
            secretName: config
`;
const K_BASE_SVC = `apiVersion: v1
kind: Service
metadata:
  name: workload
spec:
  type: ClusterIP
  ports: []
`;
const K_BASE_PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: workload
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {}
`;

function kustomizeTree(n) {
  const files = {};
  files['base/workload/statefulset.yaml'] = K_BASE_STS;
  files['base/workload/kustomization.yaml'] = 'resources:\n  - statefulset.yaml\n';
  files['base/service/service.yaml'] = K_BASE_SVC;
  files['base/service/kustomization.yaml'] = 'resources:\n  - service.yaml\n';
  files['base/pdb/pdb.yaml'] = K_BASE_PDB;
  files['base/pdb/kustomization.yaml'] = 'resources:\n  - pdb.yaml\n';

  const ws = workloads(n);
  const peers = ws.filter((w) => w.count >= 1).map((w) => `${w.name}-0.${APP}-ring`).sort().join('\n') + '\n';
  files['ring/ring.yaml'] = YAML.stringify([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `${APP}-ring` }, spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/part-of': APP }, ports: [{ name: 'gossip-tcp', port: 9638, protocol: 'TCP' }, { name: 'gossip-udp', port: 9638, protocol: 'UDP' }, { name: 'http-gateway', port: 9631, protocol: 'TCP' }] } },
  ][0]) + '---\n' + YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${APP}-peers` }, data: { peers } });
  files['ring/kustomization.yaml'] = 'resources:\n  - ring.yaml\n';

  for (const w of ws) {
    const d = `overlays/${w.name}`;
    const resources = ['../../base/workload'];
    if (w.ports.length) resources.push('../../base/service');
    if (w.topology === 'leader') resources.push('../../base/pdb');
    const [imgName, imgTag] = w.image.split(/:(?=[^:]+$)/);
    const kust = {
      resources,
      patches: [
        { target: { name: 'workload' }, patch: `- op: replace\n  path: /metadata/name\n  value: ${w.name}\n` },
        { path: 'statefulset-patch.yaml' },
      ],
      images: [{ name: 'habitat-image', newName: imgName, newTag: imgTag }],
      replicas: [{ name: w.name, count: w.count }],
      labels: [
        { includeSelectors: true, pairs: { 'app.kubernetes.io/name': w.name } },
        { includeSelectors: false, includeTemplates: true, pairs: { 'app.kubernetes.io/component': w.service, 'habitat.sh/service-group': `${w.service}.${w.group}`, 'habitat.sh/topology': w.topology } },
      ],
      secretGenerator: [{ name: `${w.name}-config`, files: ['user.toml'] }],
    };
    if (w.ports.length) kust.patches.push({ path: 'service-patch.yaml' });
    files[`${d}/kustomization.yaml`] = YAML.stringify(kust, { lineWidth: 0 });
    files[`${d}/user.toml`] = toToml(w.config);

    const env = [];
    const args = ['--group', w.group, '--topology', w.topology, '--peer-watch-file', '/hab/peers/peers'];
    for (const b of w.binds) {
      args.push('--bind', `${b.name}:${b.service}.${b.group}`);
      const N = b.name.toUpperCase().replace(/-/g, '_');
      env.push({ name: `HAB_BIND_${N}`, value: `${b.service}.${b.group}` });
      if (b.host) env.push({ name: `HAB_BIND_${N}_HOST`, value: b.host }, { name: `HAB_BIND_${N}_PORT`, value: String(b.port) });
    }
    for (const [k, v] of Object.entries(w.env)) env.push({ name: k, value: String(v) });
    const container = {
      name: 'habitat',
      args,
      readinessProbe: { httpGet: { path: `/services/${w.service}/${w.group}/health`, port: 9631 } },
      volumeMounts: [{ name: 'user-config', mountPath: `/hab/user/${w.service}/config` }],
    };
    if (env.length) container.env = env;
    if (w.ports.length) container.ports = w.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' }));
    if (w.persistence) container.volumeMounts.push({ name: 'data', mountPath: w.persistence.mountPath });
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: w.name }, spec: { template: { spec: { containers: [container], volumes: [{ name: 'user-config', secret: { secretName: `${w.name}-config` } }] } } } };
    if (w.persistence) {
      sts.spec.template.spec.securityContext = { fsGroup: 42 };
      sts.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: w.persistence.size } } } }];
    }
    files[`${d}/statefulset-patch.yaml`] = YAML.stringify(sts, { lineWidth: 0 });
    if (w.ports.length) {
      files[`${d}/service-patch.yaml`] = YAML.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: w.name }, spec: { ports: w.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP' })) } }, { lineWidth: 0 });
    }
  }
  files['kustomization.yaml'] = YAML.stringify(
    {
      namespace: NAMESPACE,
      labels: [
        { includeSelectors: true, pairs: { 'app.kubernetes.io/part-of': APP } },
        { includeSelectors: false, includeTemplates: true, pairs: { 'app.kubernetes.io/managed-by': 'kustomize', team: 'perf' } },
      ],
      resources: ['ring', ...ws.map((w) => `overlays/${w.name}`)],
    },
    { lineWidth: 0 },
  );
  return files;
}

/** Tiny TOML writer for the fixtures' config shape (scalars, arrays, nested tables). */
export function toToml(obj, prefix = '') {
  const lines = [];
  const tables = [];
  const v = (x) => (typeof x === 'string' ? JSON.stringify(x) : Array.isArray(x) ? `[${x.map(v).join(', ')}]` : String(x));
  const key = (k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));
  for (const [k, x] of Object.entries(obj)) {
    if (x && typeof x === 'object' && !Array.isArray(x)) tables.push([k, x]);
    else lines.push(`${key(k)} = ${v(x)}`);
  }
  for (const [k, x] of tables) {
    const name = prefix ? `${prefix}.${key(k)}` : key(k);
    lines.push('', `[${name}]`, toToml(x, name).trimEnd());
  }
  return lines.join('\n') + '\n';
}

function writeTree(root, files) {
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
}

/**
 * Writes dir/habitat/habitat.yaml, dir/helm/ (chart) and, unless `kustomize: false`,
 * dir/kustomize/ for n workloads. `app`/`namespace` name the app (the kustomize tree is
 * always named APP).
 */
export function generate(dir, n, { app = APP, namespace = NAMESPACE, kustomize = true } = {}) {
  writeTree(join(dir, 'habitat'), { 'habitat.yaml': habitatYaml(n, app, namespace) });
  writeTree(join(dir, 'helm'), {
    'Chart.yaml': HELM_CHART,
    'values.yaml': helmValues(n, app, namespace),
    'templates/_helpers.tpl': HELM_HELPERS,
    'templates/ring.yaml': HELM_RING,
    'templates/workloads.yaml': HELM_WORKLOADS,
  });
  if (kustomize) writeTree(join(dir, 'kustomize'), kustomizeTree(n));
  return { habitat: join(dir, 'habitat'), helm: join(dir, 'helm'), kustomize: kustomize ? join(dir, 'kustomize') : null, expected: expectedObjects(n), app, namespace };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, dir] = process.argv.slice(2);
  console.log(JSON.stringify(generate(dir, Number(n)), null, 2));
}
