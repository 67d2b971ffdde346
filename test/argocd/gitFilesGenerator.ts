// A model of Argo CD's ApplicationSet git files generator (v3.5.1) and of how the
// ApplicationSet controller turns its parameters into Applications. We cannot run
// the controller here, so each rule cites the upstream source it follows:
//
//   applicationset/generators/git.go       generateParamsForGitFiles, generateParamsFromGitFile
//   reposerver/repository/repository.go    GetGitFiles -> gitClient.LsFiles(pattern, newGlobbing=false)
//   util/git/client.go                     LsFiles: `git ls-files --full-name -z -- <pattern>` (default globbing)
//   applicationset/utils/template_functions.go  SanitizeName
//   applicationset/utils/utils.go          RenderTemplateParams, deeplyReplace, Replace (text/template + options)
//   applicationset/controllers/template/template.go  GenerateApplications (namespace = the AppSet's)
//   applicationset/controllers/applicationset_controller.go  duplicate names are an error
//
// Only what argocd/applicationset.yaml uses is modelled; anything else (values,
// pathParamPrefix, directories, exclude, templatePatch, template functions) throws,
// so a change to the ApplicationSet that the model does not cover fails loudly.
import { parse } from 'yaml';

type Obj = Record<string, any>;

export class GeneratorError extends Error {}

// ------------------------------------------------------------------ git ls-files

/**
 * Git's pathspec match for a pattern without magic (dir.c match_pathspec_item):
 * the pattern taken literally matches the path itself or anything below it;
 * otherwise git_fnmatch runs wildmatch WITHOUT WM_PATHNAME, so `*` (and `**`,
 * which is just two of them) and `?` also match "/". That is Argo CD's
 * documented "greedy" default globbing
 * (docs/operator-manual/applicationset/Generators-Git-File-Globbing.md).
 */
export function gitPathspecMatch(pattern: string, path: string): boolean {
  if (path === pattern || path.startsWith(pattern.endsWith('/') ? pattern : pattern + '/')) return true;
  if (!/[*?[\\]/.test(pattern)) return false;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\') re += escapeRe(pattern[++i] ?? '\\');
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new GeneratorError(`pattern ${pattern}: unterminated [ is not modelled`);
      let body = pattern.slice(i + 1, end);
      if (body.includes('[:')) throw new GeneratorError(`pattern ${pattern}: character classes are not modelled`);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's').test(path);
}

const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** `git ls-files --full-name -- pattern` over the tracked files of a repo. */
export function lsFiles(tracked: readonly string[], pattern: string): string[] {
  return tracked.filter((p) => gitPathspecMatch(pattern, p));
}

// ------------------------------------------------------------------ parameters

/** utils.SanitizeName: lower case, [^-a-z0-9.] -> "-", at most 253 bytes, "-" and "." trimmed at both ends. */
export function sanitizeName(name: string): string {
  let n = name.toLowerCase().replace(/[^-a-z0-9.]/g, '-');
  if (n.length > 253) n = n.slice(0, 253);
  return n.replace(/^[-.]+|[-.]+$/g, '');
}

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.');
const baseOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);
// Go's sort.Strings compares bytes.
const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * generateParamsForGitFiles + generateParamsFromGitFile with goTemplate: files in
 * byte order; each parses (sigs.k8s.io/yaml: YAML 1.1 via JSON) as one object,
 * or as a list giving one parameter set per element; `path` is then set,
 * replacing any top-level `path` key of the file.
 */
export function generateParams(files: ReadonlyMap<string, string>): Obj[] {
  const out: Obj[] = [];
  for (const file of [...files.keys()].sort(byteCompare)) {
    let doc: unknown;
    try {
      doc = parse(files.get(file)!, { version: '1.1' }) ?? {};
    } catch (e) {
      throw new GeneratorError(`unable to process file '${file}': unable to parse file: ${(e as Error).message}`);
    }
    const objects = Array.isArray(doc) ? doc : [doc];
    for (const o of objects) {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new GeneratorError(`unable to process file '${file}': unable to parse file`);
      const dir = dirOf(file);
      out.push({
        ...(o as Obj),
        path: {
          path: dir,
          basename: baseOf(dir),
          filename: baseOf(file),
          basenameNormalized: sanitizeName(baseOf(dir)),
          filenameNormalized: sanitizeName(baseOf(file)),
          segments: dir.split('/'),
        },
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------ text/template

const NO_VALUE = '<no value>';

/**
 * Go text/template for the actions the ApplicationSet uses: `{{ .a.b }}` field
 * chains on maps, with optional `-` trim markers. missingkey=error makes a
 * missing map key an error ("map has no entry for key"); by default it prints
 * "<no value>", and a field of a missing value is a nil-pointer error.
 */
export function goTemplate(tmpl: string, data: Obj, options: readonly string[]): string {
  const missingKeyError = options.includes('missingkey=error');
  for (const o of options) if (!/^missingkey=(error|default|invalid|zero)$/.test(o)) throw new GeneratorError(`template option ${o} is not modelled`);
  if (options.includes('missingkey=zero')) throw new GeneratorError('missingkey=zero is not modelled');
  let out = '';
  let i = 0;
  while (i < tmpl.length) {
    const open = tmpl.indexOf('{{', i);
    if (open < 0) {
      out += tmpl.slice(i);
      break;
    }
    const close = tmpl.indexOf('}}', open + 2);
    if (close < 0) throw new GeneratorError(`failed to parse template ${tmpl}: unclosed action`);
    let text = tmpl.slice(i, open);
    let action = tmpl.slice(open + 2, close);
    if (action.startsWith('- ')) {
      text = text.replace(/\s+$/, '');
      action = action.slice(2);
    }
    let trimAfter = false;
    if (action.endsWith(' -')) {
      trimAfter = true;
      action = action.slice(0, -2);
    }
    out += text;
    const chain = action.trim();
    if (!/^(\.|(\.[A-Za-z_][A-Za-z0-9_]*)+)$/.test(chain)) throw new GeneratorError(`template action {{${action}}} is not modelled`);
    let v: unknown = data;
    let missing = false;
    for (const field of chain === '.' ? [] : chain.slice(1).split('.')) {
      if (missing || v === null || v === undefined) {
        throw new GeneratorError(`failed to execute go template ${tmpl}: template: :1: executing "" at <${chain}>: nil pointer evaluating interface {}.${field}`);
      }
      if (typeof v !== 'object' || Array.isArray(v)) throw new GeneratorError(`field access on a ${Array.isArray(v) ? 'slice' : typeof v} is not modelled`);
      if (!Object.prototype.hasOwnProperty.call(v, field)) {
        if (missingKeyError) throw new GeneratorError(`failed to execute go template ${tmpl}: template: :1: executing "" at <${chain}>: map has no entry for key "${field}"`);
        missing = true;
        v = undefined;
        continue;
      }
      v = (v as Obj)[field];
    }
    if (missing || v === undefined || v === null) out += NO_VALUE;
    else if (typeof v === 'string') out += v;
    else if (typeof v === 'boolean') out += String(v);
    else throw new GeneratorError(`printing a ${typeof v} is not modelled`);
    i = close + 2;
    if (trimAfter) while (i < tmpl.length && /\s/.test(tmpl[i]!)) i++;
  }
  return out;
}

/** deeplyReplace: every string of the template, map keys included, goes through the template engine. */
function replaceDeep(v: unknown, data: Obj, options: readonly string[]): unknown {
  if (typeof v === 'string') return goTemplate(v, data, options);
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, data, options));
  if (typeof v === 'object' && v !== null) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null) continue; // nil map values are skipped
      out[goTemplate(k, data, options)] = replaceDeep(x, data, options);
    }
    return out;
  }
  return v;
}

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * The Applications an ApplicationSet with one git files generator produces from
 * a repository's tracked files (path -> content).
 */
export function generateApplications(appSet: Obj, repo: ReadonlyMap<string, string>): Obj[] {
  const spec = appSet.spec;
  if (!spec.goTemplate) throw new GeneratorError('only goTemplate: true is modelled');
  if (spec.templatePatch) throw new GeneratorError('templatePatch is not modelled');
  if (spec.generators?.length !== 1 || !spec.generators[0].git) throw new GeneratorError('exactly one git generator is modelled');
  const git = spec.generators[0].git;
  if (!git.files?.length || git.directories || git.values || git.pathParamPrefix || git.template) throw new GeneratorError('only a plain git files generator is modelled');
  if (git.files.some((f: Obj) => f.exclude)) throw new GeneratorError('exclude patterns are not modelled');

  const tracked = [...repo.keys()];
  const selected = new Map<string, string>();
  for (const f of git.files) for (const p of lsFiles(tracked, f.path)) selected.set(p, repo.get(p)!);
  const options: string[] = spec.goTemplateOptions ?? [];

  const apps: Obj[] = [];
  for (const params of generateParams(selected)) {
    // GetTempApplication: only these metadata fields of the template are used.
    const t = spec.template;
    const tmpl: Obj = {
      metadata: {
        ...(t.metadata.name !== undefined ? { name: t.metadata.name } : {}),
        ...(t.metadata.namespace !== undefined ? { namespace: t.metadata.namespace } : {}),
        ...(t.metadata.labels ? { labels: t.metadata.labels } : {}),
        ...(t.metadata.annotations ? { annotations: t.metadata.annotations } : {}),
        ...(t.metadata.finalizers ? { finalizers: t.metadata.finalizers } : {}),
      },
      spec: t.spec,
    };
    const app = replaceDeep(tmpl, params, options) as Obj;
    // RenderTemplateParams: the resources finalizer, unless resources are preserved.
    if (!spec.syncPolicy?.preserveResourcesOnDeletion && !(app.metadata.finalizers?.length > 0)) app.metadata.finalizers = [RESOURCES_FINALIZER];
    // GenerateApplications: the security boundary of apps-in-any-namespace.
    app.metadata.namespace = appSet.metadata.namespace;
    apps.push({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app });
  }
  const seen = new Set<string>();
  for (const a of apps) {
    if (seen.has(a.metadata.name)) throw new GeneratorError(`ApplicationSet ${appSet.metadata.name} contains applications with duplicate name: ${a.metadata.name}`);
    seen.add(a.metadata.name);
  }
  return apps;
}
