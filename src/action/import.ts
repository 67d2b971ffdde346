import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { error, hasErrors, type Diagnostic } from '../diag/diagnostic';
import { decodeText, MAX_FILE_BYTES, type Source } from '../load/decodeText';
import { memFs } from '../load/repoFs';
import { importManifests, type ImportedAppFiles, type ImportRequest, type Sealer } from '../import/importManifests';
import { parseSealingCertificate } from '../seal/certificate';
import { sealValue } from '../seal/hybridEncrypt';
import { HABITAT_FILE } from './habitatDocument';
import { renderAction } from './render';

export interface ImportActionRequest extends ImportRequest {
  /** Manifest files as typed; "-" is stdin. */
  files: string[];
  /** Output directory as typed; without it habitat.yaml goes to stdout. */
  out?: string;
  /** The Sealed Secrets controller's certificate, relative to cwd. */
  cert?: string;
  /** Overwrite files that exist under `out`. */
  force: boolean;
}

export interface ImportIO {
  cwd: string;
  stdin: NodeJS.ReadableStream;
}

export interface ImportActionResult {
  /** 0 ok, 1 input errors, 2 usage errors. */
  exit: 0 | 1 | 2;
  diagnostics: Diagnostic[];
  sources: Map<string, Source>;
  /** habitat.yaml when there is no --out; printed only on success. */
  stdout?: string;
  /** What was written (or would be), one line each, for stderr. */
  summary: string[];
  /** A usage problem, for the command to print with its synopsis. */
  usage?: string;
}

const MAX_CERT_BYTES = 1024 * 1024;
const fail = (diagnostics: Diagnostic[], sources = new Map<string, Source>()): ImportActionResult => ({ exit: 1, diagnostics, sources, summary: [] });

async function readStdin(stream: NodeJS.ReadableStream): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_FILE_BYTES) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function readInput(file: string, cwd: string): Uint8Array | Diagnostic {
  try {
    const abs = resolve(cwd, file);
    const st = statSync(abs);
    if (st.isDirectory()) return error('import-file-unreadable', `${file} is a directory; pass the manifest files`);
    if (st.size > MAX_FILE_BYTES) return error('import-file-unreadable', `${file} is ${st.size} bytes; the limit is ${MAX_FILE_BYTES}`);
    return readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return error('import-file-unreadable', code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? 'read failed'})`);
  }
}

function loadSealer(cert: string, cwd: string): Sealer | Diagnostic {
  const data = readInput(cert, cwd);
  if (!(data instanceof Uint8Array)) return error('certificate-unreadable', `--cert ${data.message}`);
  if (data.length > MAX_CERT_BYTES) return error('certificate-unreadable', `--cert ${cert} is too large`);
  const parsed = parseSealingCertificate(data, new Date());
  if (!parsed.ok) return error('certificate-invalid', `--cert ${cert}: ${parsed.message}`);
  return (plaintext, label) => sealValue(parsed.publicKey, Buffer.from(plaintext, 'utf8'), label);
}

const shown = (out: string | undefined, dir: string, path: string) => [out?.replace(/\/+$/, ''), dir, path].filter((s) => s !== undefined && s !== '').join('/');

/**
 * Renders each imported app in memory, exactly as `render` would from the
 * written files: what import writes must pass every check. Problems are shown
 * against the generated habitat.yaml.
 */
function selfCheck(apps: ImportedAppFiles[], out: string | undefined, cwd: string): { diagnostics: Diagnostic[]; sources: Map<string, Source> } {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, Source>();
  for (const { app, files } of apps) {
    const display = shown(out, app.dir, '');
    // Without metadata.name, render names the app after its directory.
    const rootName = app.name ?? (out !== undefined ? basename(resolve(cwd, out, app.dir)) : 'app');
    const fs = memFs(Object.fromEntries(files.map((f) => [f.path, f.text])), display, rootName);
    const r = renderAction(fs, {});
    diagnostics.push(...r.diagnostics);
    for (const [k, v] of r.sources) if (k.endsWith(HABITAT_FILE)) sources.set(k, v);
  }
  return { diagnostics, sources };
}

/** `import`: read manifests, plan and seal (src/import), check by rendering, then write or print. */
export async function importAction(req: ImportActionRequest, io: ImportIO): Promise<ImportActionResult> {
  const inputs: { file: string; text: string }[] = [];
  const problems: Diagnostic[] = [];
  for (const file of req.files) {
    let data: Uint8Array | Diagnostic | undefined;
    if (file === '-') {
      data = await readStdin(io.stdin);
      if (data === undefined) data = error('import-file-unreadable', `stdin holds more than ${MAX_FILE_BYTES} bytes`);
    } else data = readInput(file, io.cwd);
    if (!(data instanceof Uint8Array)) {
      problems.push(data);
      continue;
    }
    const shownAs = file === '-' ? '<stdin>' : file;
    const dec = decodeText(data, shownAs);
    if (dec.diagnostic) problems.push(dec.diagnostic);
    else inputs.push({ file: shownAs, text: dec.text });
  }
  let seal: Sealer | undefined;
  if (req.cert !== undefined) {
    const s = loadSealer(req.cert, io.cwd);
    if (typeof s === 'function') seal = s;
    else problems.push(s);
  }
  if (problems.length) return fail(problems);

  const result = importManifests(inputs, req, seal);
  if (hasErrors(result.diagnostics)) return fail(result.diagnostics, result.sources);
  const names = result.apps.map((a) => a.app.name ?? a.app.dir);
  if (result.apps.length > 1 && req.out === undefined) {
    return { exit: 2, diagnostics: result.diagnostics, sources: result.sources, summary: [], usage: `the input makes ${result.apps.length} apps (${names.join(', ')}); pass --out DIR to write one directory per app` };
  }
  if (result.apps.length > 1 && req.name !== undefined) {
    return { exit: 2, diagnostics: result.diagnostics, sources: result.sources, summary: [], usage: `--name names one app, and the input makes ${result.apps.length} (${names.join(', ')})` };
  }

  const check = selfCheck(result.apps, req.out, io.cwd);
  const diagnostics = [...result.diagnostics, ...check.diagnostics];
  const sources = new Map([...result.sources, ...check.sources]);
  if (hasErrors(check.diagnostics)) {
    diagnostics.push(error('import-result-invalid', 'the imported app does not pass habitat-cmp\'s checks (above); nothing was written', undefined, 'fix the operator manifests, or import with --out and edit the result'));
    return fail(diagnostics, sources);
  }

  const summary: string[] = [];
  if (req.out === undefined) {
    const { app, files } = result.apps[0]!;
    for (const f of files.slice(1)) {
      summary.push(`configFile ${f.path} (${f.secret !== undefined ? `user.toml of Secret ${f.secret}` : 'config'}) is not printed: it holds Secret content; write it with --out DIR`);
    }
    summary.push(`imported ${app.workloads.length} Habitat${app.workloads.length === 1 ? '' : 's'} (${app.workloads.map((w) => w.name).join(', ')}) into ${app.name !== undefined ? `app ${app.name}` : 'one app (named by Argo CD, or --name)'}`);
    return { exit: 0, diagnostics, sources, stdout: result.apps[0]!.files[0]!.text, summary };
  }

  const root = resolve(io.cwd, req.out);
  const targets = result.apps.flatMap(({ app, files }) => files.map((f) => ({ abs: resolve(root, app.dir, f.path), shown: shown(req.out, app.dir, f.path), file: f })));
  // Names from the manifests were checked to be DNS names; this holds even if a check is missed.
  const outside = targets.find((t) => relative(root, t.abs).split(sep)[0] === '..' || isAbsolute(relative(root, t.abs)));
  if (outside) return fail([...diagnostics, error('import-output-outside', `${outside.shown} would be written outside ${req.out}; nothing was written`)], sources);
  const existing = targets.filter((t) => existsSync(t.abs));
  if (existing.length && !req.force) {
    return fail([...diagnostics, error('import-output-exists', `${existing.map((t) => t.shown).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`, undefined, 'choose another --out directory, or pass --force to overwrite')], sources);
  }
  try {
    for (const t of targets) {
      mkdirSync(join(t.abs, '..'), { recursive: true });
      // A configFile with Secret content is for its owner only until it is sealed or committed.
      writeFileSync(t.abs, t.file.text, t.file.secret !== undefined ? { mode: 0o600 } : {});
      if (t.file.secret !== undefined) chmodSync(t.abs, 0o600);
      summary.push(`wrote ${t.shown}`);
    }
  } catch (e) {
    return fail([...diagnostics, error('import-output-unwritable', `cannot write under ${req.out} (${(e as NodeJS.ErrnoException).code ?? 'write failed'})`)], sources);
  }
  return { exit: 0, diagnostics, sources, summary };
}
