import { error, warning, type Diagnostic } from '../diag/diagnostic';
import { loadConfigFiles } from '../load/loadConfigFiles';
import { readProblem, type RepoFs } from '../load/repoFs';
import { configCollision, sealedPathOverlaps } from '../model/configCollision';
import { mergeConfig } from '../model/deepMerge';
import { objectNames } from '../model/identity';
import { sealValue } from '../seal/hybridEncrypt';
import { scopeLabel } from '../seal/scopeLabel';
import { sealedFor, sealingContext, writeSealedValue, type ActionIO, type ActionResult, type SealingContext, type SealingOptions } from './sealingContext';

export interface SealRequest extends SealingOptions {
  service: string;
  /** Dotted TOML path under services.<service>.secrets. */
  key: string;
  /** Print the sealed value instead of writing habitat.yaml. */
  raw: boolean;
  /** Read the value from this file (relative to the working directory) instead of `readValue`. */
  fromFile?: string;
}

const MAX_VALUE_BYTES = 1024 * 1024;

/** user.toml must stay valid: the key may not overlap plain config (config or configFile) or another sealed key. */
function collisions(ctx: Omit<SealingContext, 'publicKey'>, fs: RepoFs, service: string, key: string): Diagnostic[] {
  const s = ctx.app.services[service]!;
  const base = ['services', service];
  const out: Diagnostic[] = [];
  const files = loadConfigFiles(fs, { ...ctx.app, services: { [service]: s } }, ctx.loc);
  out.push(...files.diagnostics);
  const path = key.split('.');
  const inConfig = configCollision(s.config ?? {}, path);
  const hit = inConfig ?? configCollision(mergeConfig(files.configs.get(service) ?? {}, s.config ?? {}), path);
  if (hit !== undefined) {
    const at = inConfig !== undefined ? ctx.loc.at([...base, 'config', ...hit.split('.')], 'key') : ctx.loc.at([...base, 'configFile']);
    const from = inConfig !== undefined ? 'config' : `${s.configFile} (configFile)`;
    out.push(error('seal-config-collision', `services.${service}.${inConfig !== undefined ? 'config' : 'configFile'} already sets "${hit}", which overlaps the sealed key "${key}"`, at, `remove the plain value from ${from}, or seal under another key`));
  }
  for (const [outer, inner] of sealedPathOverlaps([...new Set([...Object.keys(s.secrets ?? {}), key])])) {
    if (outer !== key && inner !== key) continue;
    const other = outer === key ? inner : outer;
    out.push(error('seal-secret-collision', `sealed keys "${other}" and "${key}" overlap: one is a table that holds the other`, ctx.loc.at([...base, 'secrets', other], 'key')));
  }
  return out;
}

/**
 * `seal`: encrypts a value for `<service>-config` of the app's identity in the
 * selected environment and writes it at services.<service>.secrets.<key> (or
 * prints it with `raw`). Nothing is written on any error, and no message
 * holds the value.
 */
export async function sealAction(req: SealRequest, io: ActionIO, readValue: () => Promise<Uint8Array | 'too-large'>): Promise<ActionResult> {
  const { fs } = io;
  const loaded = sealingContext(fs, io.files, req, io.now, (ctx) => {
    if (!Object.prototype.hasOwnProperty.call(ctx.app.services, req.service)) {
      const known = Object.keys(ctx.app.services).sort();
      return [error('seal-unknown-service', `--service ${req.service} is not a workload under services`, ctx.loc.at(['services'], 'key'), known.length ? `known workloads: ${known.join(', ')}` : 'habitat.yaml has no services')];
    }
    return collisions(ctx, fs, req.service, req.key);
  });
  const fail = (diagnostics: Diagnostic[]): ActionResult => ({ exit: 1, stdout: '', diagnostics, sources: loaded.sources });
  if (!loaded.ctx || loaded.diagnostics.length) return fail(loaded.diagnostics);
  const ctx = loaded.ctx;

  let value: Uint8Array | 'too-large';
  if (req.fromFile !== undefined) {
    const r = io.files.read(req.fromFile, MAX_VALUE_BYTES);
    if (r.kind === 'too-large') value = 'too-large';
    else if (r.kind !== 'file') return fail([error('seal-value-unreadable', readProblem(r, `--from-file ${req.fromFile}`, MAX_VALUE_BYTES))]);
    else value = r.data;
  } else value = await readValue();
  if (value === 'too-large') return fail([error('seal-value-too-large', `the value is larger than ${MAX_VALUE_BYTES} bytes`)]);
  const problem = valueProblem(value, req.fromFile);
  if (problem) return fail([problem]);
  const notes: Diagnostic[] = [];
  if (value[value.length - 1] === 0x0a) {
    notes.push(warning('seal-value-trailing-newline', 'the value ends with a line break, which is sealed as part of it', undefined, 'if that is not intended, pipe it with printf %s instead of echo'));
  }

  const secretName = objectNames.configSecret(req.service);
  const sealed = sealValue(ctx.publicKey, value, scopeLabel(ctx.identity.scope, { ...ctx.identity, name: secretName }));
  value.fill(0);
  if (req.raw) return { exit: 0, stdout: sealed, diagnostics: notes, sources: loaded.sources };

  const path = ['services', req.service, 'secrets', req.key];
  const written = writeSealedValue(fs, ctx, path, sealed, 'seal-edit-failed', 'use --raw and paste the value yourself');
  if (written.length) return fail([...notes, ...written]);
  const where = [...ctx.prefix, ...path].join('.');
  return { exit: 0, stdout: `sealed ${where} in ${ctx.source.file} for SealedSecret ${sealedFor(ctx.identity, secretName)} (${ctx.identity.scope} scope)\n`, diagnostics: notes, sources: loaded.sources };
}

function valueProblem(value: Uint8Array, fromFile: string | undefined): Diagnostic | undefined {
  if (value.length === 0) return error('seal-value-empty', `the value ${fromFile !== undefined ? `in ${fromFile}` : 'on stdin'} is empty`, undefined, 'pipe it in, e.g. printf %s "$PASSWORD" | habitat-cmp seal ...');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    // The controller hands values to the template as Go strings and toJson would replace invalid bytes.
    return error('seal-value-not-utf8', 'the value is not valid UTF-8; user.toml strings must be UTF-8', undefined, 'base64-encode binary values and decode them in the service');
  }
  // Go's json.Marshal (toJson in the template) leaves DEL unescaped, and TOML forbids it raw in a string.
  if (value.includes(0x7f)) return error('seal-value-del', 'the value contains the control character U+007F (DEL), which cannot be written into user.toml', undefined, 'remove it, or base64-encode the value and decode it in the service');
  return undefined;
}
