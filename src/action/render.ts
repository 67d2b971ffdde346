import { hasErrors, type Diagnostic, type Position } from '../diag/diagnostic';
import type { Source } from '../load/decodeText';
import type { Inputs } from '../load/inputs';
import { loadConfigFiles } from '../load/loadConfigFiles';
import type { RepoFs } from '../load/repoFs';
import { applyOverlay } from '../model/applyOverlay';
import { applyParameters } from '../model/applyParameters';
import { buildModel } from '../model/buildModel';
import { appIdentity } from '../model/identity';
import type { RawApp } from '../model/raw';
import type { AppModel } from '../model/types';
import { renderApp, type K8sObject } from '../render/renderApp';
import { sortObjects } from '../serialize/order';
import { checkApplySize } from '../validate/checkApplySize';
import { checkCollisions } from '../validate/checkCollisions';
import { checkIdentity } from '../validate/checkIdentity';
import { checkMetadata } from '../validate/checkMetadata';
import { checkSealedValues } from '../validate/checkSealedValues';
import { checkRing } from '../validate/checkRing';
import { checkSealing } from '../validate/checkSealing';
import { checkSecretPaths } from '../validate/checkSecretPaths';
import { checkSecretSizes } from '../validate/checkSecretSizes';
import { checkWorkloads } from '../validate/checkWorkloads';
import { checkRenderedObjects } from '../validate/k8s/checkRenderedObjects';
import { Locator } from '../validate/locator';
import { readHabitatFile, validatedApp, withPositions, type ParsedDocument } from './habitatDocument';

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

/**
 * The whole pipeline: load -> parse -> validate -> model -> render. Reads only
 * through `fs` and `inputs`; never the process environment or the clock
 * (`clock` only measures stage times for HABITAT_CMP_TIMING).
 */
export function renderAction(fs: RepoFs, inputs: Inputs, clock: Clock = () => 0): RenderResult {
  const timings: [string, number][] = [];
  let t = clock();
  const lap = (stage: string, restart = false) => {
    if (restart) timings.length = 0;
    const now = clock();
    timings.push([stage, now - t]);
    t = now;
  };
  const sources = new Map<string, Source>();
  const read = readHabitatFile(fs);
  if (read.source) sources.set(read.source.file, read.source);
  if (!read.source || read.diagnostics.length) return { objects: [], diagnostics: read.diagnostics, sources, timings };
  lap('load');
  const result = withPositions(read.source, (doc) => runPipeline(fs, inputs, doc, sources, lap), lap);
  return { objects: [], sources, timings, ...result };
}

/** Everything after parsing: pure apart from reading config files through `fs`. */
function runPipeline(fs: RepoFs, inputs: Inputs, doc: ParsedDocument, sources: Map<string, Source>, lap: (stage: string) => void): Omit<RenderResult, 'sources' | 'timings'> {
  const done = (diagnostics: Diagnostic[], rest: Partial<RenderResult> = {}) => ({ objects: [], diagnostics, ...rest });
  const { file, spans } = doc;

  const validated = validatedApp(doc);
  lap('schema');
  if (!validated.app) return done(validated.diagnostics);
  const base = validated.app;
  const diagnostics: Diagnostic[] = [...validated.diagnostics, ...checkSealedValues(base, new Locator(file, spans))];

  // model inputs: environment overlay, then parameters, then who the app is
  const overlaid = applyOverlay(base, inputs.environment, new Locator(file, spans));
  if (hasErrors(overlaid.diagnostics)) return done([...diagnostics, ...overlaid.diagnostics]);
  const loc = new Locator(file, spans, overlaid.overlayPrefix);
  const parameterised = applyParameters(overlaid.app, inputs);
  const app = parameterised.app;
  diagnostics.push(...parameterised.diagnostics);
  const withRaw = { raw: app, environments: overlaid.environments };
  const identity = appIdentity(app, inputs, fs.rootName);

  const files = loadConfigFiles(fs, app, loc);
  for (const s of files.sources) sources.set(s.file, s);
  diagnostics.push(...files.diagnostics);
  lap('load-config');

  diagnostics.push(
    ...checkIdentity(app, identity, inputs, loc, base),
    ...checkMetadata(app, loc),
    ...checkWorkloads(app, loc),
    ...checkSealing(app, identity, inputs, loc, base),
    ...checkRing(app, identity.name, identity.namespace, loc),
    ...checkSecretPaths(app, loc),
  );
  lap('validate');

  const built = buildModel(app, identity, inputs, files.configs, loc);
  diagnostics.push(...built.diagnostics);
  lap('model');
  if (hasErrors(diagnostics)) return done(diagnostics, withRaw);

  const objects = sortObjects(renderApp(built.model));
  const configAt = (w?: string) => {
    const s = w === undefined ? undefined : app.services[w];
    if (!s) return loc.at(['ring', 'sealedKey']);
    return loc.at(['services', w!, ...(s.config ? ['config'] : s.configFile !== undefined ? ['configFile'] : [])], s.config || s.configFile !== undefined ? 'value' : 'key');
  };
  diagnostics.push(
    ...checkCollisions(objects, built.model.workloads.map((w) => w.name), loc),
    ...checkSecretSizes(objects, configAt),
    ...checkApplySize(objects, built.model.serverSideApply, (o) => objectSource(o, app, loc, configAt)),
    ...checkRenderedObjects(objects, built.model, app, inputs.kubeVersion, loc),
  );
  lap('render');
  if (hasErrors(diagnostics)) return done(diagnostics, withRaw);
  return { objects, model: built.model, ...withRaw, diagnostics };
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
