// An emulator of Argo CD's sidecar Config Management Plugin path (repo-server ->
// argocd-cmp-server -> plugin process -> repo-server), used to drive the built
// habitat-cmp through its plugin.yaml exactly as Argo CD would. Every rule here
// follows /work/shared/reference/argocd-cmp-contract.md (Argo CD 3.6 sources);
// the section numbers in comments point there. It is a test harness: it favours
// fidelity over speed and reports Argo's error texts verbatim.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import {
  decodeGo,
  goExpand,
  goHasMeta,
  goHasSpace,
  goJsonMarshal,
  goKeyCompare,
  goMatch,
  goQuote,
  GoType,
} from './go';

// ================================================================ plugin.yaml (§1)

export interface Command {
  command?: string[];
  args?: string[];
}
export interface ParameterAnnouncement {
  name?: string;
  title?: string;
  tooltip?: string;
  required?: boolean;
  itemType?: string;
  collectionType?: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}
export interface PluginConfig {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string };
  spec: {
    version?: string;
    init?: Command;
    generate?: Command;
    discover?: { find?: Command & { glob?: string }; fileName?: string };
    parameters?: { static?: (ParameterAnnouncement | null)[]; dynamic?: Command };
    preserveFileMode?: boolean;
    provideGitCreds?: boolean;
  };
}

const S: GoType = { t: 'string' };
const STRINGS: GoType = { t: 'slice', of: S };
const COMMAND_FIELDS = { command: STRINGS, args: STRINGS };
const COMMAND: GoType = { t: 'struct', name: 'Command', fields: COMMAND_FIELDS };

export const ANNOUNCEMENT: GoType = {
  t: 'ptrStruct',
  name: 'ParameterAnnouncement',
  fields: {
    name: S,
    title: S,
    tooltip: S,
    required: { t: 'bool' },
    itemType: S,
    collectionType: S,
    string: S,
    array: STRINGS,
    map: { t: 'map', of: S },
  },
};

// Field names are the Go JSON names. Parameters' Go tags are `yaml:` only, so
// encoding/json sees the Go field names Static/Dynamic (matched case-insensitively).
const PLUGIN_CONFIG: GoType = {
  t: 'struct',
  name: 'PluginConfig',
  fields: {
    apiVersion: S,
    kind: S,
    metadata: { t: 'struct', name: 'ObjectMeta', fields: { name: S } },
    spec: {
      t: 'struct',
      name: 'PluginConfigSpec',
      fields: {
        version: S,
        init: COMMAND,
        generate: COMMAND,
        discover: {
          t: 'struct',
          name: 'Discover',
          fields: {
            // Find embeds Command, so command/args are promoted next to glob.
            find: { t: 'struct', name: 'Find', fields: { ...COMMAND_FIELDS, glob: S } },
            fileName: S,
          },
        },
        Parameters: {
          t: 'struct',
          name: 'Parameters',
          fields: { Static: { t: 'slice', of: ANNOUNCEMENT }, Dynamic: COMMAND },
        },
        preserveFileMode: { t: 'bool' },
        provideGitCreds: { t: 'bool' },
      },
    },
  },
};

/** sigs.k8s.io/yaml's YAMLToJSON: first document, YAML 1.1 scalars, keys stringified. */
export function yamlToJsonValue(text: string): unknown {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: true, merge: true });
  if (doc.errors.length) throw new Error(`error converting YAML to JSON: ${doc.errors[0]!.message}`);
  return doc.toJS({ mapAsMap: false }) ?? null;
}

/** util/config/reader.go + ValidatePluginConfig: parse, then the only three checks Argo makes. */
export function parsePluginConfig(text: string): PluginConfig {
  const raw = decodeGo(PLUGIN_CONFIG, yamlToJsonValue(text), undefined, 'value') as Record<string, unknown> | undefined;
  const spec = (raw?.spec ?? {}) as Record<string, unknown>;
  const params = spec.Parameters as { Static?: (ParameterAnnouncement | null)[]; Dynamic?: Command } | undefined;
  const cfg: PluginConfig = {
    apiVersion: raw?.apiVersion as string | undefined,
    kind: raw?.kind as string | undefined,
    metadata: (raw?.metadata ?? {}) as { name?: string },
    spec: {
      version: spec.version as string | undefined,
      init: spec.init as Command | undefined,
      generate: spec.generate as Command | undefined,
      discover: spec.discover as PluginConfig['spec']['discover'],
      parameters: params ? { static: params.Static, dynamic: params.Dynamic } : undefined,
      preserveFileMode: spec.preserveFileMode as boolean | undefined,
      provideGitCreds: spec.provideGitCreds as boolean | undefined,
    },
  };
  if (!cfg.metadata.name) throw new Error('invalid plugin configuration file. metadata.name should be non-empty.');
  if (cfg.kind !== 'ConfigManagementPlugin')
    throw new Error(`invalid plugin configuration file. kind should be ConfigManagementPlugin, found ${cfg.kind ?? ''}`);
  if (!cfg.spec.generate?.command?.length)
    throw new Error('invalid plugin configuration file. spec.generate command should be non-empty');
  return cfg;
}

/** The socket name, which is the name Applications use (`plugin.name`). */
export function pluginName(cfg: PluginConfig): string {
  return cfg.spec.version ? `${cfg.metadata.name}-${cfg.spec.version}` : cfg.metadata.name!;
}

// ================================================================ environment (§2.2)

export interface PluginParameter {
  name?: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}
export interface PluginSource {
  name?: string;
  env?: { name: string; value: string }[];
  parameters?: PluginParameter[];
}

/** What the repo-server knows about one Application when it asks for manifests. */
export interface ManifestRequest {
  /** app.InstanceName(controllerNs): `<appNs>_<name>` for apps outside the control-plane namespace. */
  appName: string;
  /** Destination namespace. */
  namespace?: string;
  projectName?: string;
  revision?: string;
  repoURL?: string;
  /** spec.source.path: the app's directory relative to the repo root. */
  path: string;
  targetRevision?: string;
  /** e.g. "1.29.3"; a leading v and build metadata are dropped as Argo does. */
  kubeVersion?: string;
  apiVersions?: string[];
  /** undefined: no `plugin:` key (plugin found by discovery); {}: `plugin: {}`. */
  plugin?: PluginSource;
}

/** app.InstanceName: the bare name in the control-plane namespace, else `<ns>_<name>`. */
export function instanceName(name: string, appNamespace: string, controllerNamespace = 'argocd'): string {
  return appNamespace === '' || appNamespace === controllerNamespace ? name : `${appNamespace}_${name}`;
}

/** Argo's escaped(): Go's strings.ToUpper per code point, then every rune outside [A-Z0-9_] becomes `_`. */
export function escapedParamName(name: string): string {
  let out = '';
  for (const ch of name) {
    const up = ch.toUpperCase();
    // Go uses simple (1:1) case mapping; a multi-character JS mapping (ß -> SS) means "no simple mapping".
    const mapped = [...up].length === 1 ? up : ch;
    out += /^[A-Z0-9_]$/.test(mapped) ? mapped : '_';
  }
  return out;
}

/** ApplicationSourcePluginParameter.MarshalJSON: name always, string/map/array when present. */
function paramForJson(p: PluginParameter): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name ?? '' };
  if (p.string !== undefined) out.string = p.string;
  if (p.map !== undefined) out.map = p.map ?? {};
  if (p.array !== undefined) out.array = p.array ?? [];
  return out;
}

/** ARGOCD_APP_PARAMETERS's value: `null` when empty (protobuf drops empty repeated fields). */
export function appParametersJson(params: PluginParameter[] | undefined): string {
  if (!params || params.length === 0) return 'null';
  return goJsonMarshal(params.map(paramForJson));
}

/** ApplicationSourcePluginParameters.Environ(). */
export function parametersEnviron(params: PluginParameter[] | undefined): string[] {
  const env = [`ARGOCD_APP_PARAMETERS=${appParametersJson(params)}`];
  for (const p of params ?? []) {
    const base = `PARAM_${escapedParamName(p.name ?? '')}`;
    if (p.string !== undefined) env.push(`${base}=${p.string}`);
    // Go ranges over the map in random order; when two keys escape to the same
    // name the winner is random there. We keep the declared order.
    if (p.map !== undefined) for (const [k, v] of Object.entries(p.map ?? {})) env.push(`${base}_${escapedParamName(k)}=${v}`);
    if (p.array !== undefined) (p.array ?? []).forEach((v, i) => env.push(`${base}_${i}=${v}`));
  }
  return env;
}

function splitEntry(e: string): [string, string] {
  const i = e.indexOf('=');
  if (i < 0) throw new Error('failed to parse env vars');
  return [e.slice(0, i), e.slice(i + 1)];
}

/** getPluginParamEnvs: plugin.env values are expanded against the entries given so far only. */
export function pluginParamEnvs(base: string[], plugin: PluginSource | undefined): string[] {
  const env = [...base];
  const known = new Map(base.map(splitEntry));
  if (plugin) {
    for (const entry of plugin.env ?? []) {
      // Envsubst: `$$` yields `$`, unknown names yield "".
      const value = goExpand(entry.value, (n) => (n === '$' ? '$' : (known.get(n) ?? '')));
      env.push(`ARGOCD_ENV_${entry.name}=${value}`);
    }
    env.push(...parametersEnviron(plugin.parameters));
  }
  return env;
}

function short(rev: string, n: number): string {
  return rev.length > n ? rev.slice(0, n) : rev;
}

/** text.SemVer / ParseGeneric(...).String(): "v1.29.3+k3s1" -> "1.29.3". */
export function kubeVersionString(v: string | undefined): string {
  if (!v) return '';
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? `${m[1]}.${m[2]}.${m[3] ?? '0'}` : '';
}

/** newEnv: the nine build variables. */
export function buildEnv(q: ManifestRequest): string[] {
  const rev = q.revision ?? '';
  return [
    `ARGOCD_APP_NAME=${q.appName}`,
    `ARGOCD_APP_NAMESPACE=${q.namespace ?? ''}`,
    `ARGOCD_APP_PROJECT_NAME=${q.projectName ?? ''}`,
    `ARGOCD_APP_REVISION=${rev}`,
    `ARGOCD_APP_REVISION_SHORT=${short(rev, 7)}`,
    `ARGOCD_APP_REVISION_SHORT_8=${short(rev, 8)}`,
    `ARGOCD_APP_SOURCE_REPO_URL=${q.repoURL ?? ''}`,
    `ARGOCD_APP_SOURCE_PATH=${q.path}`,
    `ARGOCD_APP_SOURCE_TARGET_REVISION=${q.targetRevision ?? ''}`,
  ];
}

/** getPluginEnvs: what the repo-server sends for GenerateManifest (and MatchRepository). */
export function manifestEnvEntries(q: ManifestRequest): string[] {
  const env = buildEnv(q);
  env.push(`KUBE_VERSION=${kubeVersionString(q.kubeVersion)}`);
  env.push(`KUBE_API_VERSIONS=${[...(q.apiVersions ?? [])].sort(goKeyCompare).join(',')}`);
  return pluginParamEnvs(env, q.plugin);
}

/** populatePluginAppDetails: the reduced set for the parameters announcement (no revision, namespace, KUBE_*). */
export function appDetailsEnvEntries(q: ManifestRequest): string[] {
  return pluginParamEnvs(
    [
      `ARGOCD_APP_NAME=${q.appName}`,
      `ARGOCD_APP_SOURCE_REPO_URL=${q.repoURL ?? ''}`,
      `ARGOCD_APP_SOURCE_PATH=${q.path}`,
      `ARGOCD_APP_SOURCE_TARGET_REVISION=${q.targetRevision ?? ''}`,
    ],
    q.plugin,
  );
}

/** `append(os.Environ(), environ(entries)...)` then Go exec's dedup: the last duplicate wins. */
export function execEnv(sidecarEnv: Record<string, string>, entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sidecarEnv)) out[k] = v;
  for (const e of entries) {
    const [k, v] = splitEntry(e);
    if (k === '') continue;
    delete out[k]; // keep insertion order = Go's order
    out[k] = v;
  }
  return out;
}

// ================================================================ repo transfer (§2.1)

/** One tar member as the repo-server's Tgz writes it (filepath.Walk order). */
interface TarEntry {
  rel: string;
  type: 'dir' | 'file' | 'symlink';
  mode: number;
  link?: string;
  src: string;
}

/** path.CheckOutOfBoundsSymlinks, which the repo-server runs before any CMP call: lexical, absolute links denied. */
export function checkOutOfBoundsSymlinks(root: string): void {
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort(goKeyCompare)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      const rel = relative(root, p);
      if (st.isSymbolicLink()) {
        const link = readlinkSync(p);
        const target = normalize(join(dirname(rel), link));
        if (isAbsolute(link) || target === '..' || target.startsWith('../'))
          throw new Error(`repository contains out-of-bounds symlinks. file: ${rel}`);
      } else if (st.isDirectory()) walk(p);
    }
  };
  walk(root);
}

function tarEntries(srcRoot: string, exclusions: string[]): TarEntry[] {
  const out: TarEntry[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort(goKeyCompare)) {
      const p = join(dir, name);
      const rel = relative(srcRoot, p);
      const st = lstatSync(p);
      if (exclusions.some((pat) => goMatch(pat, rel))) continue; // a directory is skipped whole
      if (st.isSymbolicLink()) out.push({ rel, type: 'symlink', mode: st.mode & 0o7777, link: readlinkSync(p), src: p });
      else if (st.isDirectory()) {
        out.push({ rel, type: 'dir', mode: st.mode & 0o7777, src: p });
        walk(p);
      } else if (st.isFile()) out.push({ rel, type: 'file', mode: st.mode & 0o7777, src: p });
      // sockets, fifos, devices: not sent
    }
  };
  walk(srcRoot);
  return out;
}

function inbound(candidate: string, base: string): boolean {
  if (!isAbsolute(candidate)) return false;
  const b = base.endsWith(sep) ? base : base + sep;
  return normalize(candidate).startsWith(b);
}

/** files.Untgz into dst: 0644/0755 (unless preserveFileMode), symlinks checked and relativized. */
function untar(entries: TarEntry[], dst: string, preserveFileMode: boolean): void {
  for (const e of entries) {
    const target = join(dst, e.rel);
    if (!inbound(target, dst)) throw new Error(`illegal filepath in archive: ${target}`);
    if (e.type === 'dir') {
      mkdirSync(target, { recursive: true, mode: preserveFileMode ? e.mode : 0o755 });
    } else if (e.type === 'file') {
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      copyFileSync(e.src, target);
      // copyFileSync keeps the source mode; Go's OpenFile(..., 0644) applies the umask to 0644.
      const mode = (preserveFileMode ? e.mode : 0o644) & ~process.umask();
      chmodQuiet(target, mode);
    } else {
      // filepath.Join cleans, so an absolute link name is re-rooted under the link's directory.
      const linkTarget = join(dirname(target), e.link!);
      let real: string;
      try {
        real = realpathSync(linkTarget);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`error checking symlink realpath: ${(err as Error).message}`);
        real = linkTarget;
      }
      if (!inbound(real, dst)) throw new Error(`illegal filepath in symlink: ${linkTarget}`);
      symlinkSync(relative(dirname(target), real) || '.', target);
    }
  }
}

function chmodQuiet(p: string, mode: number): void {
  try {
    chmodSync(p, mode);
  } catch {
    /* best effort */
  }
}

// ================================================================ running commands (§2.3, §2.5)

/** CmdError: the text Argo puts into the Application's ComparisonError condition. */
export class CmdError extends Error {
  constructor(
    readonly argv: string[],
    readonly reason: string,
    readonly stderr: string,
  ) {
    const args = argv.map((a) => (a === '' ? '""' : goHasSpace(a) ? goQuote(a) : a)).join(' ');
    super(stderr ? `\`${args}\` failed ${reason}: ${stderr}` : `\`${args}\` failed ${reason}`);
  }
}

const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGPIPE: 'broken pipe',
  SIGQUIT: 'quit',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGILL: 'illegal instruction',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

export interface RunResult {
  /** stdout minus one trailing newline, as runCommand returns it. */
  stdout: string;
  /** stdout as the plugin wrote it, for byte comparisons with `render`. */
  rawStdout: string;
  stderr: string;
  durationMs: number;
}

/** A request context: the deadline shared by every command of one RPC, and the group cleanup at its end. */
class RequestContext {
  readonly deadline: number;
  private readonly groups = new Set<number>();
  constructor(
    timeoutMs: number,
    private readonly graceMs: number,
  ) {
    // buffered_context.WithEarlierDeadline(ctx, cmpTimeoutBuffer)
    this.deadline = Date.now() + timeoutMs - 100;
  }
  track(pid: number): void {
    this.groups.add(pid);
  }
  /** `defer cancel()`: the watcher goroutine of every command fires when the request ends. */
  end(): void {
    for (const pid of this.groups) signalGroup(pid, 'SIGTERM', this.graceMs);
    this.groups.clear();
  }
}

function signalGroup(pid: number, first: NodeJS.Signals, graceMs: number): void {
  try {
    process.kill(-pid, first);
  } catch {
    /* ESRCH: group already gone */
  }
  const t = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, graceMs);
  t.unref();
}

/**
 * runCommand: exec(command[0], command[1:]..., args...) with no shell and no stdin,
 * cwd = appPath, its own process group, a deadline. `argvLocal` is what actually
 * runs here (image paths mapped to this machine); `argv` is what Argo logs.
 */
export function runCommand(
  argv: string[],
  argvLocal: string[],
  cwd: string,
  env: Record<string, string>,
  ctx: { deadline: number; graceMs: number; track?: (pid: number) => void },
): Promise<RunResult> {
  if (argv.length === 0) return Promise.reject(new Error('Command is empty'));
  const started = Date.now();
  if (started >= ctx.deadline) return Promise.reject(new Error('context deadline exceeded'));
  return new Promise((resolvePromise, reject) => {
    // detached: setsid() here where Go uses Setpgid; either way pgid == pid.
    const child = spawn(argvLocal[0]!, argvLocal.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    let timer: NodeJS.Timeout | undefined;
    child.on('spawn', () => {
      ctx.track?.(child.pid!);
      timer = setTimeout(() => {
        // CommandContext kills the main process; the watcher SIGTERMs the group, then SIGKILLs it after 5 s.
        try {
          process.kill(child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
        signalGroup(child.pid!, 'SIGTERM', ctx.graceMs);
      }, Math.max(0, ctx.deadline - Date.now()));
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // Start failures come back as Go's raw error, not as a CmdError.
      if (e.code === 'ENOENT' && !argv[0]!.includes('/')) reject(new Error(`exec: ${goQuote(argv[0]!)}: executable file not found in $PATH`));
      else if (e.code === 'ENOENT') reject(new Error(`fork/exec ${argv[0]}: no such file or directory`));
      else if (e.code === 'EACCES') reject(new Error(`fork/exec ${argv[0]}: permission denied`));
      else reject(e);
    });
    // 'close' waits for stdout/stderr to reach EOF, like Go's Wait with buffered output.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const trimmedOut = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
      if (code === 0) {
        resolvePromise({ stdout: trimmedOut, rawStdout: stdout, stderr, durationMs: Date.now() - started });
        return;
      }
      const cause = signal ? `signal: ${SIGNAL_TEXT[signal] ?? signal}` : `exit status ${code}`;
      reject(new CmdError(argv, cause, stderr.trim()));
    });
  });
}

// ================================================================ output parsing (§2.4)

/** gitops-engine kube.SplitYAMLToString: YAML-or-JSON stream -> one JSON text per non-empty document. */
export function splitYamlToString(out: string): string[] {
  const docs: unknown[] = [];
  const trimmedStart = out.replace(/^[\s]+/, '');
  if (trimmedStart.startsWith('{')) {
    for (const text of splitJsonStream(out)) docs.push(JSON.parse(text));
  } else {
    for (const chunk of splitYamlDocuments(out)) {
      const parsed = parseAllDocuments(chunk, { version: '1.1', uniqueKeys: true, merge: true });
      const list = Array.isArray(parsed) ? parsed : [parsed];
      if (list.length === 0) {
        docs.push(null);
        continue;
      }
      // Our splitter already cut at every separator; anything left that the YAML library
      // still sees as several documents (`...` end markers) is outside what we emulate.
      if (list.length > 1) throw new Error('error converting YAML to JSON: more than one document in a chunk');
      const d = list[0]!;
      if (d.errors.length) throw new Error(`error converting YAML to JSON: ${d.errors[0]!.message}`);
      docs.push(d.toJS() ?? null);
    }
  }
  const result: string[] = [];
  for (const d of docs) {
    if (d === null || d === undefined) continue;
    const text = JSON.stringify(d).trim();
    if (text === '' || text === 'null') continue;
    result.push(text);
  }
  return result;
}

/** apimachinery's YAMLReader: `---` lines split documents; only blanks or a `#` comment may follow. */
export function splitYamlDocuments(text: string): string[] {
  const docs: string[] = [];
  let buf = '';
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const line of lines) {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest.length > 0 && !rest.startsWith('#')) throw new Error(`invalid Yaml document separator: ${rest}`);
      if (buf.length) docs.push(buf);
      buf = '';
      continue;
    }
    buf += line;
  }
  if (buf.length) docs.push(buf);
  return docs;
}

/** json.Decoder over concatenated values: returns each value's text. */
export function splitJsonStream(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n && ' \t\r\n'.includes(text[i]!)) i++;
  };
  for (ws(); i < n; ws()) {
    const start = i;
    let depth = 0;
    let inStr = false;
    for (; i < n; i++) {
      const c = text[i]!;
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && ' \t\r\n{["'.includes(c)) break;
    }
    const chunk = text.slice(start, i);
    try {
      JSON.parse(chunk);
    } catch (e) {
      throw new Error(`error parsing JSON stream: ${(e as Error).message}`);
    }
    out.push(chunk);
  }
  return out;
}

export type K8sObject = Record<string, unknown> & { kind: string };

/** kube.SplitYAML -> unstructured, then GenerateManifests' list flattening. */
export function manifestsToObjects(manifests: string[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const m of manifests) {
    const obj = JSON.parse(m) as unknown;
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      throw new Error(`json: cannot unmarshal ${Array.isArray(obj) ? 'array' : typeof obj} into Go value of type map[string]interface {}`);
    const o = obj as Record<string, unknown>;
    if (typeof o.kind !== 'string' || o.kind === '') throw new Error(`Object 'Kind' is missing in '${m}'`);
    if (Array.isArray(o.items)) {
      for (const item of o.items) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error('items member is not an object');
        out.push(item as K8sObject);
      }
    } else if ('items' in o && o.items === null && !('spec' in o) && !('status' in o)) {
      // isNullList: dropped
    } else out.push(o as K8sObject);
  }
  return out;
}

// ================================================================ discovery (§2.6)

/** filepath.Glob (Unix). */
export function goGlob(pattern: string): string[] {
  goMatch(pattern, ''); // ErrBadPattern surfaces before any file system access
  if (!goHasMeta(pattern)) {
    try {
      lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  let dir = dirname(pattern);
  const file = pattern.slice(pattern.lastIndexOf('/') + 1);
  if (dir === '') dir = '.';
  const dirs = goHasMeta(dir) ? goGlob(dir) : [dir];
  const out: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      if (!statSync(d).isDirectory()) continue;
      names = readdirSync(d).sort(goKeyCompare);
    } catch {
      continue;
    }
    for (const n of names) if (goMatch(file, n)) out.push(join(d, n));
  }
  return out;
}

/** go-zglob: like Glob, plus `**` for any depth. Approximation: symlinked dirs are not followed. */
export function zglob(pattern: string): string[] {
  const root = pattern.slice(0, pattern.search(/[*?[]/) < 0 ? pattern.length : pattern.search(/[*?[]/));
  const base = root.endsWith('/') ? root.slice(0, -1) : dirname(root);
  const re = new RegExp(
    '^' +
      pattern
        .split('/**/')
        .map((part) =>
          part
            .split('**')
            .map((p) => p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
            .join('.*'),
        )
        .join('/(?:.*/)?') +
      '$',
  );
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort(goKeyCompare);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (re.test(p)) out.push(p);
      try {
        if (lstatSync(p).isDirectory()) walk(p);
      } catch {
        /* vanished */
      }
    }
  };
  walk(base || '/');
  return out;
}

// ================================================================ the server

export interface CmpServerOptions {
  /** Path of plugin.yaml (the sidecar reads <config-dir>/plugin.yaml). */
  pluginYaml: string;
  /** Image path -> path on this machine, for argv elements that name files baked into the image. */
  imageFiles?: Record<string, string>;
  /** The sidecar container's own environment (os.Environ() of argocd-cmp-server). */
  sidecarEnv?: Record<string, string>;
  /** ARGOCD_CMP_WORKDIR; work dirs go to <it>/_cmp_server/<uuid>. Default: os.tmpdir(). */
  cmpWorkDir?: string;
  /** The gRPC deadline per request (repo-server timeout, default 60 s). */
  timeoutMs?: number;
  /** Delay between the group SIGTERM and SIGKILL (Argo: 5 s). */
  killGraceMs?: number;
  /** ARGOCD_REPO_SERVER_PLUGIN_TAR_EXCLUSIONS (filepath.Match against repo-relative paths). */
  tarExclusions?: string[];
  /** The sidecar's user: what argocd-cmp-server writes (work root, repo copies) is owned by it. */
  owner?: { uid: number; gid: number };
  /** Runs a command somewhere else (inside an image): gets what would be spawned here, returns what to spawn instead. */
  exec?: (spawn: SpawnSpec) => SpawnSpec;
}

export interface SpawnSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface GenerateResult {
  /** The CMP's ManifestResponse: one JSON text per document. */
  manifests: string[];
  /** After the repo-server's unstructured conversion and list flattening. */
  objects: K8sObject[];
  /** Plugin stdout minus one trailing newline (what Argo parses), as written, and stderr (sidecar log only). */
  stdout: string;
  rawStdout: string;
  stderr: string;
  durationMs: number;
}

/** Error from a request, worded as the gRPC status text the repo-server receives. */
export class CmpRequestError extends Error {}

export class CmpServer {
  readonly config: PluginConfig;
  readonly name: string;
  readonly workBase: string;
  private readonly opts: Required<Omit<CmpServerOptions, 'cmpWorkDir' | 'owner' | 'exec'>> & Pick<CmpServerOptions, 'owner' | 'exec'>;

  constructor(opts: CmpServerOptions) {
    this.config = parsePluginConfig(readFileSync(opts.pluginYaml, 'utf8'));
    this.name = pluginName(this.config);
    this.opts = {
      pluginYaml: opts.pluginYaml,
      imageFiles: opts.imageFiles ?? {},
      sidecarEnv: opts.sidecarEnv ?? { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' },
      timeoutMs: opts.timeoutMs ?? 60_000,
      killGraceMs: opts.killGraceMs ?? 5_000,
      tarExclusions: opts.tarExclusions ?? [],
      owner: opts.owner,
      exec: opts.exec,
    };
    this.workBase = join(opts.cmpWorkDir ?? tmpdir(), '_cmp_server');
    // Service.Init: wipe and recreate the work root at start-up.
    rmSync(this.workBase, { recursive: true, force: true });
    mkdirSync(this.workBase, { recursive: true, mode: 0o700 });
    this.chownTree(this.workBase);
  }

  /** This process is not the sidecar's user; give what it wrote to that user, as if it had written it. */
  private chownTree(p: string): void {
    const o = this.opts.owner;
    if (!o) return;
    lchownSync(p, o.uid, o.gid);
    if (lstatSync(p).isDirectory()) for (const name of readdirSync(p)) this.chownTree(join(p, name));
  }

  get isDiscoveryConfigured(): boolean {
    const d = this.config.spec.discover;
    return !!(d?.fileName || d?.find?.glob || d?.find?.command?.length);
  }

  private localArgv(c: Command): { argv: string[]; local: string[] } {
    const argv = [...(c.command ?? []), ...(c.args ?? [])];
    return { argv, local: argv.map((a) => this.opts.imageFiles[a] ?? a) };
  }

  private run(c: Command, cwd: string, entries: string[], ctx: RequestContext): Promise<RunResult> {
    const { argv, local } = this.localArgv(c);
    let spec: SpawnSpec = { argv: local, cwd, env: execEnv(this.opts.sidecarEnv, entries) };
    if (this.opts.exec) spec = this.opts.exec(spec);
    return runCommand(argv, spec.argv, spec.cwd, spec.env, {
      deadline: ctx.deadline,
      graceMs: this.opts.killGraceMs,
      track: (pid) => ctx.track(pid),
    });
  }

  /** One RPC: a fresh work dir with the repo re-extracted, cleaned up afterwards. */
  private async request<T>(repoRoot: string, fn: (workDir: string, ctx: RequestContext) => Promise<T>): Promise<T> {
    const workDir = join(this.workBase, randomUUID());
    mkdirSync(workDir, { recursive: true, mode: 0o700 });
    const ctx = new RequestContext(this.opts.timeoutMs, this.opts.killGraceMs);
    try {
      untar(tarEntries(repoRoot, this.opts.tarExclusions), workDir, !!this.config.spec.preserveFileMode);
      this.chownTree(workDir);
      return await fn(workDir, ctx);
    } finally {
      ctx.end();
      rmSync(workDir, { recursive: true, force: true });
    }
  }

  private appPath(workDir: string, appRelPath: string): string {
    const p = normalize(join(workDir, appRelPath)).replace(/\/$/, '');
    if (!p.startsWith(workDir)) throw new CmpRequestError('illegal appPath: out of workDir bound');
    return p;
  }

  /** MatchRepository RPC. */
  matchRepository(repoRoot: string, appRelPath: string, entries: string[]): Promise<{ isSupported: boolean; isDiscoveryEnabled: boolean }> {
    return this.request(repoRoot, async (workDir, ctx) => {
      // securejoin: `..` cannot climb above the work dir.
      const appPath = join(workDir, normalize('/' + appRelPath));
      const d = this.config.spec.discover ?? {};
      if (d.fileName) return { isSupported: goGlob(join(appPath, d.fileName)).length > 0, isDiscoveryEnabled: true };
      if (d.find?.glob) return { isSupported: zglob(join(appPath, d.find.glob)).length > 0, isDiscoveryEnabled: true };
      if (d.find?.command?.length) {
        try {
          const r = await this.run(d.find, appPath, entries, ctx);
          return { isSupported: r.stdout !== '', isDiscoveryEnabled: true };
        } catch (e) {
          throw new CmpRequestError(`match repository error: error running find command: ${(e as Error).message}`);
        }
      }
      return { isSupported: false, isDiscoveryEnabled: false };
    });
  }

  /** GenerateManifest RPC: init (output discarded), generate, split the stream. */
  generateManifest(repoRoot: string, appRelPath: string, entries: string[]): Promise<GenerateResult> {
    return this.request(repoRoot, async (workDir, ctx) => {
      const appPath = this.appPath(workDir, appRelPath);
      try {
        if (this.config.spec.init?.command?.length) await this.run(this.config.spec.init, appPath, entries, ctx);
        const r = await this.run(this.config.spec.generate!, appPath, entries, ctx);
        const manifests = splitYamlToString(r.stdout);
        return { manifests, objects: manifestsToObjects(manifests), stdout: r.stdout, rawStdout: r.rawStdout, stderr: r.stderr, durationMs: r.durationMs };
      } catch (e) {
        throw new CmpRequestError(`error generating manifests: ${(e as Error).message}`);
      }
    });
  }

  /** GetParametersAnnouncement RPC: dynamic first, then static. */
  getParametersAnnouncement(repoRoot: string, appRelPath: string, entries: string[]): Promise<(ParameterAnnouncement | null)[]> {
    return this.request(repoRoot, async (workDir, ctx) => {
      const appPath = this.appPath(workDir, appRelPath);
      const statics = this.config.spec.parameters?.static ?? [];
      const dyn = this.config.spec.parameters?.dynamic;
      if (!dyn?.command?.length) return statics;
      let stdout: string;
      try {
        stdout = (await this.run(dyn, appPath, entries, ctx)).stdout;
      } catch (e) {
        throw new CmpRequestError(`get parameters announcement error: error executing dynamic parameter output command: ${(e as Error).message}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(stdout);
        const decoded = decodeGo({ t: 'slice', of: ANNOUNCEMENT }, parsed, undefined, 'value') as (ParameterAnnouncement | null)[] | undefined;
        return [...(decoded ?? []), ...statics];
      } catch (e) {
        throw new CmpRequestError(
          `get parameters announcement error: error unmarshaling dynamic parameter output into ParametersAnnouncementResponse: ${(e as Error).message}`,
        );
      }
    });
  }

  // ------------------------------------------------------------ repo-server side

  /** discovery.DetectConfigManagementPlugin for a single sidecar. */
  private async detect(repoRoot: string, q: ManifestRequest, entries: string[]): Promise<void> {
    const wanted = q.plugin?.name ?? '';
    if (wanted !== '') {
      if (wanted !== this.name) throw new CmpRequestError(`could not find cmp-server plugin with name "${wanted}" supporting the given repository`);
      if (!this.isDiscoveryConfigured) return;
      const m = await this.matchRepository(repoRoot, q.path, entries);
      if (!m.isSupported) throw new CmpRequestError(`could not find cmp-server plugin with name "${wanted}" supporting the given repository`);
      return;
    }
    if (!this.isDiscoveryConfigured) throw new CmpRequestError('could not find plugin supporting the given repository');
    const m = await this.matchRepository(repoRoot, q.path, entries);
    if (!m.isSupported) throw new CmpRequestError('could not find plugin supporting the given repository');
  }

  /** What the repo-server does for GenerateManifest on a plugin source: checks, detection, the RPC. */
  async generate(repoRoot: string, q: ManifestRequest): Promise<GenerateResult> {
    checkOutOfBoundsSymlinks(repoRoot);
    const entries = manifestEnvEntries(q);
    await this.detect(repoRoot, q, entries);
    return this.generateManifest(repoRoot, q.path, entries);
  }

  /** What the repo-server does for GetAppDetails (the UI's parameter list). */
  async parameters(repoRoot: string, q: ManifestRequest): Promise<(ParameterAnnouncement | null)[]> {
    checkOutOfBoundsSymlinks(repoRoot);
    const entries = appDetailsEnvEntries(q);
    await this.detect(repoRoot, q, entries);
    return this.getParametersAnnouncement(repoRoot, q.path, entries);
  }
}
