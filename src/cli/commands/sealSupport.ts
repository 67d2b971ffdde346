/**
 * The I/O half of `seal` and `ring-key`: locating and reading habitat.yaml and
 * the certificate, reporting problems, and writing the file back. The crypto
 * and the edit itself are pure and live in src/seal.
 */
import { chmodSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isMap, isPair, isScalar, parseDocument, type Document, type Node } from 'yaml';
import { error, type Diagnostic } from '../../diag/diagnostic';
import { formatDiagnostics, type SourceText } from '../../diag/format';
import { confinePath, displayUnder, readProblem } from '../../load/repoFs';
import { MAX_FILE_BYTES } from '../../load/decodeText';
import { nodeFs } from '../../load/nodeFs';
import { parseSealingCertificate } from '../../seal/certificate';
import { resolveSealingTarget, type SealingFlags, type SealingTarget, type SealProblem } from '../../seal/sealingTarget';
import type { KeyObject } from 'node:crypto';

export interface SealIO {
  stdin: NodeJS.ReadableStream;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

const HABITAT_YAML = 'habitat.yaml';
const MAX_CERT_BYTES = 1024 * 1024;

export function usage(io: SealIO, command: string, message: string, synopsis: string): number {
  io.stderr(`habitat-cmp ${command}: error: ${message}\nusage: ${synopsis}\n`);
  return EXIT_USAGE;
}

/** Prints problems as `file:line:col: error: message`; always returns the input-error exit code. */
export class Reporter {
  private readonly sources = new Map<string, SourceText>();
  constructor(private readonly io: SealIO) {}
  addSource(file: string, text: string): void {
    this.sources.set(file, { text });
  }
  fail(diagnostics: Diagnostic[]): number {
    this.io.stderr(formatDiagnostics(diagnostics, this.sources));
    return EXIT_INPUT;
  }
  warn(diagnostics: Diagnostic[]): void {
    this.io.stderr(formatDiagnostics(diagnostics, this.sources));
  }
}

export interface LoadedApp {
  /** The directory as resolved against cwd. */
  dir: string;
  /** habitat.yaml as shown in messages. */
  file: string;
  /** Real path of habitat.yaml, where the edit is written. */
  realFile: string;
  text: string;
  doc: Document;
  app: Record<string, unknown>;
}

/** Offset of the deepest existing node on `path` (its key when it has one), for pointing at it. */
export function offsetOf(doc: Document, path: readonly (string | number)[]): number {
  let node = doc.contents as Node | null;
  let at = node?.range?.[0] ?? 0;
  for (const seg of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
    if (!pair) break;
    at = (pair.key as Node).range?.[0] ?? at;
    node = pair.value as Node | null;
  }
  return at;
}

export function problemToDiagnostic(p: SealProblem, app: LoadedApp): Diagnostic {
  return error(p.code, p.message, p.path ? { file: app.file, offset: offsetOf(app.doc, p.path) } : undefined, p.hint);
}

export function loadApp(io: SealIO, dirArg: string, reporter: Reporter): LoadedApp | Diagnostic[] {
  const dir = resolve(io.cwd, dirArg);
  const file = displayUnder(dirArg, HABITAT_YAML);
  const r = nodeFs(dir).read(HABITAT_YAML, MAX_FILE_BYTES);
  if (r.kind !== 'file') return [error('habitat-yaml-unreadable', readProblem(r, file, MAX_FILE_BYTES), undefined, r.kind === 'missing' ? 'run it in the app directory, or pass the directory as the first argument' : undefined)];
  const text = Buffer.from(r.data).toString('utf8');
  reporter.addSource(file, text);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, version: '1.2' });
  if (doc.errors.length) {
    return doc.errors.map((e) => error(`yaml-${e.code.toLowerCase().replace(/_/g, '-')}`, e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''), { file, offset: e.pos[0] }));
  }
  const app = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (typeof app !== 'object' || app === null || Array.isArray(app)) return [error('app-not-mapping', 'habitat.yaml must be a mapping (apiVersion, kind, metadata, services, ...)', { file, offset: 0 })];
  return { dir, file, realFile: realpathSync(join(dir, HABITAT_YAML)), text, doc, app: app as Record<string, unknown> };
}

export function resolveTarget(loaded: LoadedApp, flags: SealingFlags): SealingTarget | Diagnostic[] {
  const { target, problems } = resolveSealingTarget(loaded.app, flags, basename(loaded.dir === '/' ? '/' : realpathSync(loaded.dir)));
  return target ?? problems.map((p) => problemToDiagnostic(p, loaded));
}

/**
 * `--cert FILE` is the user's explicit choice, relative to where they run the
 * command. `sealing.certificate` comes from the repository, so it must stay
 * inside the app directory like every other file reference.
 */
export function loadCertificate(loaded: LoadedApp, target: SealingTarget, certFlag: string | undefined, io: SealIO, now: Date): KeyObject | Diagnostic[] {
  let data: Uint8Array;
  let shown: string;
  let at: { file: string; offset: number } | undefined;
  if (certFlag !== undefined) {
    shown = certFlag;
    try {
      const abs = resolve(io.cwd, certFlag);
      const st = statSync(abs);
      if (st.isDirectory()) return [error('certificate-unreadable', `--cert ${certFlag} is a directory`)];
      if (st.size > MAX_CERT_BYTES) return [error('certificate-unreadable', `--cert ${certFlag} is too large (${st.size} bytes)`)];
      data = readFileSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return [error('certificate-unreadable', code === 'ENOENT' ? `--cert ${certFlag} does not exist` : `--cert ${certFlag} cannot be read (${code ?? 'read failed'})`)];
    }
  } else if (target.certificate !== undefined) {
    const rel = target.certificate;
    at = { file: loaded.file, offset: offsetOf(loaded.doc, ['sealing', 'certificate']) };
    const bad = confinePath(rel);
    if (bad) return [error('certificate-path', `sealing.certificate must be a relative path inside the app directory (${bad === 'parent' ? 'no ".." segments' : bad === 'absolute' ? 'not absolute' : bad})`, at)];
    shown = `sealing.certificate ${rel}`;
    const r = nodeFs(loaded.dir).read(rel, MAX_CERT_BYTES);
    if (r.kind !== 'file') return [error('certificate-unreadable', readProblem(r, `sealing.certificate ${rel}`, MAX_CERT_BYTES), at, r.kind === 'missing' ? 'fetch it with "kubeseal --fetch-cert > ' + rel + '"' : undefined)];
    data = r.data;
  } else {
    return [error('certificate-missing', 'no certificate to seal with', { file: loaded.file, offset: 0 }, 'set sealing.certificate in habitat.yaml (e.g. "kubeseal --fetch-cert > .sealed-secrets.pem") or pass --cert FILE')];
  }
  const cert = parseSealingCertificate(data, now);
  if (!cert.ok) return [error('certificate-invalid', `${shown}: ${cert.message}`, at)];
  return cert.publicKey;
}

/**
 * Replaces the file atomically (a crash never leaves half a habitat.yaml),
 * writing through a symlinked habitat.yaml to its target and keeping its mode.
 */
export function writeInPlace(realFile: string, text: string): void {
  const tmp = join(dirname(realFile), `.${basename(realFile)}.habitat-cmp-${process.pid}.tmp`);
  const mode = statSync(realFile).mode & 0o7777;
  try {
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, realFile);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw e;
  }
}

/** writeInPlace as a diagnostic instead of an exception (read-only checkout, full disk). */
export function tryWriteInPlace(loaded: LoadedApp, text: string): Diagnostic[] {
  try {
    writeInPlace(loaded.realFile, text);
    return [];
  } catch (e) {
    return [error('habitat-yaml-unwritable', `${loaded.file} cannot be written (${(e as NodeJS.ErrnoException).code ?? 'write failed'}); nothing was changed`, undefined, 'use --raw to print the value instead')];
  }
}

export async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > limit) return 'too-large';
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function isDiagnostics<T>(v: T | Diagnostic[]): v is Diagnostic[] {
  return Array.isArray(v);
}
