import { error, type Diagnostic } from '../diag/diagnostic';
import type { RawApp } from '../model/raw';
import { parseToml, type TomlTable } from '../parse/parseToml';
import type { Locator } from '../validate/locator';
import { decodeText, MAX_FILE_BYTES, type Source } from './decodeText';
import { confinePath, displayPath, readProblem, type RepoFs } from './repoFs';

const PROBLEM: Record<string, string> = {
  empty: 'is empty',
  absolute: 'is an absolute path; paths are relative to habitat.yaml',
  parent: 'leaves the app directory ("..")',
  backslash: 'contains "\\"; use "/" as the separator',
  nul: 'contains a NUL byte',
};

/** Reads and parses every workload's configFile, confined to the app directory. */
export function loadConfigFiles(fs: RepoFs, app: RawApp, loc: Locator): { configs: Map<string, TomlTable>; sources: Source[]; diagnostics: Diagnostic[] } {
  const configs = new Map<string, TomlTable>();
  const sources: Source[] = [];
  const diagnostics: Diagnostic[] = [];
  const cache = new Map<string, TomlTable | undefined>();
  for (const w of Object.keys(app.services).sort()) {
    const rel = app.services[w]!.configFile;
    if (rel === undefined) continue;
    const where = loc.at(['services', w, 'configFile']);
    const bad = confinePath(rel);
    if (bad) {
      diagnostics.push(error('config-file-path', `configFile "${rel}" ${PROBLEM[bad]}`, where, 'keep config files inside the app directory, next to habitat.yaml'));
      continue;
    }
    if (cache.has(rel)) {
      const v = cache.get(rel);
      if (v) configs.set(w, v);
      continue;
    }
    const r = fs.read(rel, MAX_FILE_BYTES);
    const shown = displayPath(fs, rel);
    let value: TomlTable | undefined;
    if (r.kind !== 'file') {
      const hint = r.kind === 'directory' ? 'name a TOML file' : r.kind === 'outside' ? 'copy the file into the app directory instead of linking to it' : undefined;
      diagnostics.push(error(`config-file-${r.kind}`, readProblem(r, `configFile "${rel}"`, MAX_FILE_BYTES), where, hint));
    } else {
      const dec = decodeText(r.data, shown);
      sources.push({ file: shown, text: dec.text });
      if (dec.diagnostic) diagnostics.push(dec.diagnostic);
      else {
        const parsed = parseToml(dec.text, shown);
        diagnostics.push(...parsed.diagnostics);
        value = parsed.value;
      }
    }
    cache.set(rel, value);
    if (value) configs.set(w, value);
  }
  return { configs, sources, diagnostics };
}
