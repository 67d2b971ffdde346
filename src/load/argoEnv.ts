import { error, type Diagnostic } from '../diag/diagnostic';
import type { Inputs, WorkloadValues } from './inputs';

/** Argo CD hands parameters over as env; cap them so hostile values cannot exhaust memory. */
const MAX_PARAMETERS_JSON = 1 << 20;

const ANNOUNCED_PARAMETERS = ['environment', 'images', 'counts'] as const;

type Env = Readonly<Record<string, string | undefined>>;

interface Param {
  name: string;
  string?: string;
  map?: Record<string, string>;
  array?: string[];
}

const envError = (code: string, message: string, hint?: string) => error(code, message, undefined, hint);

/** `<appNamespace>_<appName>` for apps outside the control-plane namespace. */
export function appNameFromArgo(instance: string | undefined): string | undefined {
  if (!instance) return undefined;
  const i = instance.indexOf('_');
  return i >= 0 ? instance.slice(i + 1) : instance;
}

function parseJsonParameters(raw: string, diags: Diagnostic[]): Param[] {
  if (raw.length > MAX_PARAMETERS_JSON) {
    diags.push(envError('param-json-too-large', `ARGOCD_APP_PARAMETERS is larger than ${MAX_PARAMETERS_JSON} bytes`));
    return [];
  }
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    diags.push(envError('param-json-invalid', 'ARGOCD_APP_PARAMETERS is not valid JSON', 'Argo CD sets it from the Application\'s spec.source.plugin.parameters'));
    return [];
  }
  if (v === null) return [];
  if (!Array.isArray(v)) {
    diags.push(envError('param-json-invalid', 'ARGOCD_APP_PARAMETERS must be a JSON array of {name, string|map|array}'));
    return [];
  }
  const out: Param[] = [];
  for (const p of v) {
    if (typeof p !== 'object' || p === null || typeof (p as Param).name !== 'string') {
      diags.push(envError('param-json-invalid', 'every entry of ARGOCD_APP_PARAMETERS needs a string "name"'));
      continue;
    }
    const q = p as Record<string, unknown>;
    const param: Param = { name: q.name as string };
    if (typeof q.string === 'string') param.string = q.string;
    if (q.map && typeof q.map === 'object' && !Array.isArray(q.map)) {
      param.map = {};
      for (const [k, val] of Object.entries(q.map as object)) if (typeof val === 'string') Object.defineProperty(param.map, k, { value: val, enumerable: true, writable: true, configurable: true });
    }
    if (Array.isArray(q.array)) param.array = q.array.filter((x): x is string => typeof x === 'string');
    out.push(param);
  }
  return out;
}

/**
 * Reads Argo CD's inputs. Parameters (ARGOCD_APP_PARAMETERS first, then PARAM_*)
 * win over ARGOCD_ENV_HABITAT_ENV. Unknown parameter names are errors.
 */
export function inputsFromArgoEnv(env: Env): { inputs: Inputs; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const inputs: Inputs = {};
  const appName = appNameFromArgo(env.ARGOCD_APP_NAME);
  if (appName) inputs.appName = appName;
  if (env.ARGOCD_APP_NAMESPACE) inputs.namespace = env.ARGOCD_APP_NAMESPACE;
  if (env.KUBE_VERSION) inputs.kubeVersion = env.KUBE_VERSION;
  if (env.KUBE_API_VERSIONS) inputs.apiVersions = env.KUBE_API_VERSIONS.split(',').filter(Boolean);
  if (env.ARGOCD_ENV_HABITAT_ENV) inputs.environment = env.ARGOCD_ENV_HABITAT_ENV;

  const known = new Set<string>(ANNOUNCED_PARAMETERS);
  const fromJson = env.ARGOCD_APP_PARAMETERS !== undefined ? parseJsonParameters(env.ARGOCD_APP_PARAMETERS, diags) : [];
  let images: WorkloadValues | undefined;
  let counts: WorkloadValues | undefined;
  const named = (map: Record<string, string>): WorkloadValues => ({ named: new Map(Object.entries(map)), escaped: new Map() });
  let environment: string | undefined;
  for (const p of fromJson) {
    if (!known.has(p.name)) {
      diags.push(envError('param-unknown', `unknown parameter "${p.name}"`, `known parameters: ${ANNOUNCED_PARAMETERS.join(', ')}`));
      continue;
    }
    if (p.name === 'environment') {
      if (p.string === undefined) diags.push(envError('param-type', 'parameter "environment" must be a string'));
      else environment = p.string;
    } else if (p.map === undefined) {
      diags.push(envError('param-type', `parameter "${p.name}" must be a map of workload to value`));
    } else if (p.name === 'images') images = named(p.map);
    else counts = named(p.map);
  }
  // Argo derives PARAM_* from the same parameters with lossy name escaping (workload "a-b"
  // becomes A_B), so when the JSON is there it is the whole truth and PARAM_* are not read
  // (reading both would also report every unknown parameter twice).
  const readParamVars = env.ARGOCD_APP_PARAMETERS === undefined;
  if (readParamVars && env.PARAM_ENVIRONMENT !== undefined) environment = env.PARAM_ENVIRONMENT;
  for (const key of readParamVars ? Object.keys(env).sort() : []) {
    if (!key.startsWith('PARAM_')) continue;
    const rest = key.slice('PARAM_'.length);
    if (rest === 'ENVIRONMENT') continue;
    const m = /^(IMAGES|COUNTS)_(.+)$/.exec(rest);
    if (!m) {
      diags.push(envError('param-unknown', `unknown parameter variable ${key}`, `known parameters: ${ANNOUNCED_PARAMETERS.join(', ')}`));
      continue;
    }
    const target = m[1] === 'IMAGES' ? (images ??= { named: new Map(), escaped: new Map() }) : (counts ??= { named: new Map(), escaped: new Map() });
    // Workload names are lowercase DNS labels; Argo upper-cased and replaced "-" with "_".
    target.escaped.set(m[2]!, env[key] ?? '');
  }
  // An explicit empty `environment` parameter selects the base and still wins over HABITAT_ENV.
  if (environment === '') delete inputs.environment;
  else if (environment !== undefined) inputs.environment = environment;
  if (images) inputs.images = images;
  if (counts) inputs.counts = counts;
  return { inputs, diagnostics: diags };
}

/** Both maps resolved against the real workload names; escaped names that match none are `unknown`. */
export function resolveWorkloadValues(values: WorkloadValues, workloads: readonly string[]): { resolved: Map<string, string>; unknown: string[] } {
  const resolved = new Map(values.named);
  const unknown: string[] = [];
  for (const [esc, v] of values.escaped) {
    const w = workloads.find((n) => n.toUpperCase().replace(/[^A-Z0-9_]/g, '_') === esc);
    if (w === undefined) unknown.push(esc);
    else resolved.set(w, v);
  }
  return { resolved, unknown };
}
