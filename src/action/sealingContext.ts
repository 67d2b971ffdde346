import type { KeyObject } from 'node:crypto';
import { error, hasErrors, type Diagnostic } from '../diag/diagnostic';
import type { Source } from '../load/decodeText';
import { confinePath, readProblem, type RepoFs, type UserFiles } from '../load/repoFs';
import { applyOverlay } from '../model/applyOverlay';
import { appIdentity, type AppIdentity } from '../model/identity';
import type { RawApp } from '../model/raw';
import { parseSealingCertificate } from '../seal/certificate';
import { checkSealingTarget } from '../seal/checkSealingTarget';
import { setYamlString } from '../seal/editHabitatYaml';
import type { SealingScope } from '../seal/scopeLabel';
import { checkIdentity } from '../validate/checkIdentity';
import { Locator } from '../validate/locator';
import { HABITAT_FILE, readHabitatFile, validatedApp, withPositions } from './habitatDocument';

/** What a sealing action may touch. */
export interface ActionIO {
  /** The app directory. */
  fs: RepoFs;
  /** Files named on the command line. */
  files: UserFiles;
  now: Date;
}

/** Exit code, stdout and diagnostics for the command to print. */
export interface ActionResult {
  exit: 0 | 1;
  stdout: string;
  diagnostics: Diagnostic[];
  sources: Map<string, Source>;
}

/** What `seal` and `ring-key` share: which app, which environment, which certificate. */
export interface SealingOptions {
  /** The overlay whose namespace the value is sealed for, and where it is written. */
  environment?: string;
  /** The app name when metadata.name is absent (like render's --name). */
  appName?: string;
  /** The destination namespace (like render's --namespace). */
  namespace?: string;
  /** Only restates sealing.scope. */
  scope?: SealingScope;
  /** --cert FILE, relative to the working directory. */
  cert?: string;
}

/** habitat.yaml as seal and ring-key see it: the same parse, schema, overlay and identity as render. */
export interface SealingContext {
  source: Source;
  /** The controller's public key, from --cert or sealing.certificate. */
  publicKey: KeyObject;
  /** habitat.yaml as written (with its environments). */
  base: RawApp;
  /** The merged app (base with the selected overlay). */
  app: RawApp;
  identity: AppIdentity;
  loc: Locator;
  /** Where a value for this environment is written: the base, or environments.<E>. */
  prefix: string[];
}

const MAX_CERT_BYTES = 1024 * 1024;

type Draft = Omit<SealingContext, 'publicKey'>;

/**
 * Reads and checks habitat.yaml through `fs` exactly as render does, then the
 * identity for the selected environment, then (when all is well) the
 * certificate. `check` adds the command's own checks; everything is reported
 * with positions.
 */
export function sealingContext(
  fs: RepoFs,
  files: UserFiles,
  opts: SealingOptions,
  now: Date,
  check: (ctx: Draft) => Diagnostic[],
): { ctx?: SealingContext; diagnostics: Diagnostic[]; sources: Map<string, Source> } {
  const sources = new Map<string, Source>();
  const read = readHabitatFile(fs);
  if (read.source) sources.set(read.source.file, read.source);
  if (!read.source || read.diagnostics.length) return { diagnostics: read.diagnostics, sources };
  const source = read.source;
  const result = withPositions(source, (doc): { ctx?: SealingContext; diagnostics: Diagnostic[] } => {
    const validated = validatedApp(doc);
    if (!validated.app) return validated;
    const base = validated.app;
    const overlaid = applyOverlay(base, opts.environment, new Locator(doc.file, doc.spans));
    if (hasErrors(overlaid.diagnostics)) return overlaid;
    const loc = new Locator(doc.file, doc.spans, overlaid.overlayPrefix);
    const identity = appIdentity(overlaid.app, opts, fs.rootName);
    const draft: Draft = { source, base, app: overlaid.app, identity, loc, prefix: opts.environment !== undefined ? ['environments', opts.environment] : [] };
    const diagnostics = [...checkIdentity(overlaid.app, identity, opts, loc, base), ...checkSealingTarget(overlaid.app, identity, opts.scope, loc), ...check(draft)];
    if (diagnostics.length) return { diagnostics };
    const publicKey = sealingKey(draft, fs, files, opts.cert, now);
    if (Array.isArray(publicKey)) return { diagnostics: publicKey };
    return { ctx: { ...draft, publicKey }, diagnostics };
  });
  return { ...result, sources };
}

/**
 * The controller's public key. `--cert FILE` is the user's explicit choice,
 * relative to where they run the command; `sealing.certificate` comes from the
 * repository, so it must stay inside the app directory like every other file
 * reference. Both are read under the same bounds.
 */
function sealingKey(ctx: Draft, fs: RepoFs, files: UserFiles, certFlag: string | undefined, now: Date): KeyObject | Diagnostic[] {
  let data: Uint8Array;
  let shown: string;
  let at: ReturnType<Locator['at']> | undefined;
  if (certFlag !== undefined) {
    shown = `--cert ${certFlag}`;
    const r = files.read(certFlag, MAX_CERT_BYTES);
    if (r.kind !== 'file') return [error('certificate-unreadable', readProblem(r, shown, MAX_CERT_BYTES))];
    data = r.data;
  } else if (ctx.app.sealing?.certificate !== undefined) {
    const rel = ctx.app.sealing.certificate;
    at = ctx.loc.at(['sealing', 'certificate'], 'key');
    const bad = confinePath(rel);
    if (bad) return [error('certificate-path', `sealing.certificate must be a relative path inside the app directory (${bad === 'parent' ? 'no ".." segments' : bad === 'absolute' ? 'not absolute' : bad})`, at)];
    shown = `sealing.certificate ${rel}`;
    const r = fs.read(rel, MAX_CERT_BYTES);
    if (r.kind !== 'file') return [error('certificate-unreadable', readProblem(r, shown, MAX_CERT_BYTES), at, r.kind === 'missing' ? `fetch it with "kubeseal --fetch-cert > ${rel}"` : undefined)];
    data = r.data;
  } else {
    return [error('certificate-missing', 'no certificate to seal with', { file: ctx.source.file, offset: 0 }, 'set sealing.certificate in habitat.yaml (e.g. "kubeseal --fetch-cert > .sealed-secrets.pem") or pass --cert FILE')];
  }
  const cert = parseSealingCertificate(data, now);
  if (!cert.ok) return [error('certificate-invalid', `${shown}: ${cert.message}`, at)];
  return cert.publicKey;
}

/**
 * Writes `value` at `path` (below the context's prefix) into habitat.yaml by
 * splicing text, through `fs`; nothing is written when the edit cannot be made
 * safely. `before`: sibling keys a new key goes in front of.
 */
export function writeSealedValue(fs: RepoFs, ctx: SealingContext, path: readonly string[], value: string, code: string, hint: string, before?: readonly string[]): Diagnostic[] {
  const edit = setYamlString(ctx.source.text, [...ctx.prefix, ...path], value, ctx.prefix.length === 0 && before ? { before } : {});
  if (!edit.ok) return [error(code, edit.message, { file: ctx.source.file, offset: edit.offset }, hint)];
  const written = fs.write(HABITAT_FILE, (ctx.source.bom ? '\ufeff' : '') + edit.text);
  if (!written.ok) return [error('habitat-yaml-unwritable', `${ctx.source.file} cannot be written (${written.reason}); nothing was changed`, undefined, 'use --raw to print the value instead')];
  return [];
}

/** Where a sealed value lands, for messages: `namespace/name`, or the name alone for cluster-wide scope. */
export const sealedFor = (identity: AppIdentity, secretName: string): string => (identity.scope === 'cluster-wide' ? secretName : `${identity.namespace}/${secretName}`);
