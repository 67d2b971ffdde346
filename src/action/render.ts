import { error, hasErrors, type Diagnostic, type Position } from '../diag/diagnostic';
import { decodeText, MAX_FILE_BYTES, type Source } from '../load/decodeText';
import type { Inputs } from '../load/inputs';
import { loadConfigFiles } from '../load/loadConfigFiles';
import { displayPath, readProblem, type RepoFs } from '../load/repoFs';
import { resolveEscapedKeys } from '../load/argoEnv';
import { buildModel } from '../model/buildModel';
import { deepMerge, setOwn } from '../model/deepMerge';
import type { RawApp } from '../model/raw';
import type { AppModel } from '../model/types';
import { DEFAULT_YAML_LIMITS, parseYaml, yamlStructureProblem, type NodeSpan } from '../parse/parseYaml';
import { parseYamlFast } from '../parse/parseYamlFast';
import { escapeSegment } from '../parse/pointer';
import { renderApp, type K8sObject } from '../render/renderApp';
import { IMAGE_PATTERN } from '../schema/habitatSchema';
import { validateSchema } from '../schema/validateSchema';
import { sortObjects } from '../serialize/order';
import { checkApplySize } from '../validate/checkApplySize';
import { checkCollisions } from '../validate/checkCollisions';
import { checkMetadata } from '../validate/checkMetadata';
import { checkSealedValues } from '../validate/checkSealedValues';
import { checkRing } from '../validate/checkRing';
import { checkSealing } from '../validate/checkSealing';
import { checkSecretSizes } from '../validate/checkSecretSizes';
import { checkWorkloads } from '../validate/checkWorkloads';
import { checkRenderedObjects } from '../validate/k8s/checkRenderedObjects';
import { Locator } from '../validate/locator';

export const HABITAT_FILE = 'habitat.yaml';
const IMAGE_RE = new RegExp(IMAGE_PATTERN);

export interface RenderResult {
  /** Sorted; empty when there are errors. */
  objects: K8sObject[];
  model?: AppModel;
  /** Merged habitat.yaml after overlay and parameters (for `parameters`). */
  raw?: RawApp;
  /** Environment names habitat.yaml defines. */
  environments?: string[];
  diagnostics: Diagnostic[];
  /** Source texts by display path, for printing diagnostics with excerpts. */
  sources: Map<string, Source>;
  timings: [string, number][];
}

type Clock = () => number;

/** Sealed material's ranges in habitat.yaml; excerpts in error messages blank them out. */
function sealedRanges(spans: ReadonlyMap<string, NodeSpan>): [number, number][] {
  const out: [number, number][] = [];
  for (const [ptr, span] of spans) {
    if (/^(?:\/environments\/[^/]+)?(?:\/services\/[^/]+\/secrets\/[^/]+|\/ring\/sealedKey)$/.test(ptr)) out.push([span.value[0], span.value[1]]);
  }
  return out;
}

/**
 * The whole pipeline: load -> parse -> validate -> model -> render. Reads only
 * through `fs` and `inputs`; never the process environment or the clock
 * (`clock` only measures stage times for HABITAT_CMP_TIMING).
 */
export function renderAction(fs: RepoFs, inputs: Inputs, clock: Clock = () => 0): RenderResult {
  const timings: [string, number][] = [];
  let t = clock();
  const lap = (stage: string) => {
    const now = clock();
    timings.push([stage, now - t]);
    t = now;
  };
  const sources = new Map<string, Source>();
  const file = displayPath(fs, HABITAT_FILE);

  const r = fs.read(HABITAT_FILE, MAX_FILE_BYTES);
  if (r.kind !== 'file') {
    const msg = r.kind === 'missing' ? `no ${HABITAT_FILE} in ${fs.display || 'the current directory'}` : readProblem(r, HABITAT_FILE, MAX_FILE_BYTES);
    const code = r.kind === 'missing' ? 'app-file-missing' : 'app-file-unreadable';
    const hint = r.kind === 'missing' ? 'run habitat-cmp in (or point it at) the directory that holds habitat.yaml' : undefined;
    return { objects: [], diagnostics: [error(code, msg, { file, offset: 0 }, hint)], sources, timings };
  }
  const dec = decodeText(r.data, file);
  const src: Source = { file, text: dec.text };
  sources.set(file, src);
  if (dec.diagnostic) return { objects: [], diagnostics: [dec.diagnostic], sources, timings };
  lap('load');

  const tooLarge = yamlStructureProblem(dec.text, file);
  if (tooLarge) return { objects: [], diagnostics: [tooLarge], sources, timings };
  // Fast path first; only when something is to be reported do we parse again with
  // positions, and run the same pure pipeline to say where.
  const fast = parseYamlFast(dec.text, DEFAULT_YAML_LIMITS.maxDepth);
  lap('parse');
  if (fast) {
    const result = runPipeline(fs, inputs, file, fast, NO_SPANS, sources, timings, lap);
    if (result.diagnostics.length === 0) return result;
    timings.length = 0;
    lap('fast-path-discarded');
  }
  const parsed = parseYaml(dec.text, file);
  src.redact = sealedRanges(parsed.spans);
  lap('parse-with-positions');
  if (hasErrors(parsed.diagnostics)) return { objects: [], diagnostics: parsed.diagnostics, sources, timings };
  return runPipeline(fs, inputs, file, parsed.value, parsed.spans, sources, timings, lap);
}

const NO_SPANS: ReadonlyMap<string, NodeSpan> = new Map();

/** Everything after parsing: pure apart from reading config files through `fs`. */
function runPipeline(
  fs: RepoFs,
  inputs: Inputs,
  file: string,
  value: unknown,
  spans: ReadonlyMap<string, NodeSpan>,
  sources: Map<string, Source>,
  timings: [string, number][],
  lap: (stage: string) => void,
): RenderResult {
  const done = (diagnostics: Diagnostic[], rest: Partial<RenderResult> = {}): RenderResult => ({ objects: [], diagnostics, sources, timings, ...rest });

  const schemaDiags = validateSchema(value, file, spans);
  lap('schema');
  if (hasErrors(schemaDiags)) return done(schemaDiags);
  const base = value as RawApp;
  const diagnostics: Diagnostic[] = checkSealedValues(base, new Locator(file, spans));

  // model inputs: environment overlay, then parameters
  const envs = Object.keys(base.environments ?? {}).sort();
  let merged: RawApp = base;
  let overlayPrefix: string | undefined;
  if (inputs.environment !== undefined) {
    if (!envs.includes(inputs.environment)) {
      return done([
        ...diagnostics,
        error('environment-unknown', `unknown environment "${inputs.environment}"`, { file, offset: spans.get('/environments')?.key?.[0] ?? 0 }, envs.length ? `known environments: ${envs.join(', ')}` : 'habitat.yaml defines no environments'),
      ]);
    }
    const { environments: _drop, ...rest } = base;
    merged = deepMerge(rest, base.environments![inputs.environment]) as RawApp;
    overlayPrefix = `/environments/${escapeSegment(inputs.environment)}`;
  } else if (base.environments) {
    const { environments: _drop, ...rest } = base;
    merged = rest as RawApp;
  }
  const loc = new Locator(file, spans, overlayPrefix);
  const withRaw = { raw: merged, environments: envs };
  diagnostics.push(...applyParameters(merged, inputs));

  const nameFrom = merged.metadata?.name !== undefined ? 'metadata' : inputs.appName !== undefined ? 'input' : 'directory';
  const name = merged.metadata?.name ?? inputs.appName ?? fs.rootName;
  const namespace = merged.metadata?.namespace ?? inputs.namespace;

  const files = loadConfigFiles(fs, merged, loc);
  for (const s of files.sources) sources.set(s.file, s);
  diagnostics.push(...files.diagnostics);
  lap('load-config');

  diagnostics.push(...checkMetadata(merged, name, nameFrom, inputs, loc), ...checkWorkloads(merged, loc), ...checkSealing(merged, namespace, inputs, loc), ...checkRing(merged, name, namespace, loc));
  lap('validate');

  const built = buildModel(merged, { name, ...(namespace !== undefined ? { namespace } : {}) }, inputs, files.configs, loc);
  diagnostics.push(...built.diagnostics);
  lap('model');
  if (hasErrors(diagnostics)) return done(diagnostics, withRaw);

  const objects = sortObjects(renderApp(built.model));
  const configAt = (w?: string) => {
    const s = w === undefined ? undefined : merged.services[w];
    if (!s) return loc.at(['ring', 'sealedKey']);
    return loc.at(['services', w!, ...(s.config ? ['config'] : s.configFile !== undefined ? ['configFile'] : [])], s.config || s.configFile !== undefined ? 'value' : 'key');
  };
  diagnostics.push(
    ...checkCollisions(objects, built.model.workloads.map((w) => w.name), loc),
    ...checkSecretSizes(objects, configAt),
    ...checkApplySize(objects, built.model.serverSideApply, (o) => objectSource(o, merged, loc, configAt)),
    ...checkRenderedObjects(objects, built.model, merged, inputs.kubeVersion, loc),
  );
  lap('render');
  if (hasErrors(diagnostics)) return done(diagnostics, withRaw);
  return { objects, model: built.model, ...withRaw, diagnostics, sources, timings };
}

/** The part of habitat.yaml an object comes from, for errors about the object as a whole. */
function objectSource(o: K8sObject, app: RawApp, loc: Locator, configAt: (w?: string) => Position): Position {
  const own = (w: string | undefined) => w !== undefined && Object.prototype.hasOwnProperty.call(app.services, w);
  if (o.kind === 'Secret' || o.kind === 'SealedSecret') {
    const w = o.metadata.name.endsWith('-config') ? o.metadata.name.slice(0, -'-config'.length) : undefined;
    return configAt(own(w) ? w : undefined);
  }
  const w = (o.metadata as { labels?: Record<string, string> }).labels?.['app.kubernetes.io/name'];
  return own(w) ? loc.at(['services', w!], 'key') : loc.at(['services'], 'key');
}

/** `images` and `counts` parameters override the (overlaid) workloads; unknown workloads are errors. */
function applyParameters(app: RawApp, inputs: Inputs): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = Object.keys(app.services).sort();
  const apply = (param: 'images' | 'counts', map: Record<string, string> | undefined) => {
    if (!map) return;
    const { resolved, unknown } = resolveEscapedKeys(map, names);
    for (const u of unknown) out.push(error('param-workload-unknown', `PARAM_${param.toUpperCase()}_${u} names no workload of this app`, undefined, `known workloads: ${names.join(', ')}`));
    for (const [w, v] of Object.entries(resolved).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const s = Object.prototype.hasOwnProperty.call(app.services, w) ? app.services[w] : undefined;
      if (!s) {
        out.push(error('param-workload-unknown', `parameter ${param} names workload "${w}", which does not exist`, undefined, `known workloads: ${names.join(', ')}`));
        continue;
      }
      if (param === 'images') {
        if (!IMAGE_RE.test(v)) out.push(error('param-image-invalid', `parameter images.${w} is not a valid image reference`, undefined, 'use [registry/]name[:tag][@sha256:digest]'));
        else setOwn(app.services, w, { ...s, image: v });
      } else if (!/^[0-9]{1,4}$/.test(v) || Number(v) > 1000) {
        out.push(error('param-count-invalid', `parameter counts.${w} must be an integer from 0 to 1000, not "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`));
      } else setOwn(app.services, w, { ...s, count: Number(v) });
    }
  };
  apply('images', inputs.images);
  apply('counts', inputs.counts);
  return out;
}
