import { error, hasErrors, type Diagnostic } from '../diag/diagnostic';
import { decodeText, MAX_FILE_BYTES, type Source } from '../load/decodeText';
import { displayPath, readProblem, type RepoFs } from '../load/repoFs';
import { numbersOutsideConfig } from '../model/numbersOutsideConfig';
import type { RawApp } from '../model/raw';
import { DEFAULT_YAML_LIMITS, parseYaml, yamlStructureProblem, type NodeSpan } from '../parse/parseYaml';
import { parseYamlFast } from '../parse/parseYamlFast';
import { validateSchema } from '../schema/validateSchema';

export const HABITAT_FILE = 'habitat.yaml';

/** habitat.yaml parsed: the value, where each node is (empty on the fast path), and whether it holds exact numbers. */
export interface ParsedDocument {
  file: string;
  value: unknown;
  spans: ReadonlyMap<string, NodeSpan>;
  exotic: boolean;
}

const NO_SPANS: ReadonlyMap<string, NodeSpan> = new Map();

/** Sealed material's ranges in habitat.yaml; excerpts in error messages blank them out. */
function sealedRanges(spans: ReadonlyMap<string, NodeSpan>): [number, number][] {
  const out: [number, number][] = [];
  for (const [ptr, span] of spans) {
    if (/^(?:\/environments\/[^/]+)?(?:\/services\/[^/]+\/secrets\/[^/]+|\/ring\/sealedKey)$/.test(ptr)) out.push([span.value[0], span.value[1]]);
  }
  return out;
}

/** habitat.yaml read through `fs`, under the file-size limit, strictly UTF-8. */
export function readHabitatFile(fs: RepoFs): { source?: Source; diagnostics: Diagnostic[] } {
  const file = displayPath(fs, HABITAT_FILE);
  const r = fs.read(HABITAT_FILE, MAX_FILE_BYTES);
  if (r.kind !== 'file') {
    const msg = r.kind === 'missing' ? `no ${HABITAT_FILE} in ${fs.display || 'the current directory'}` : readProblem(r, HABITAT_FILE, MAX_FILE_BYTES);
    const code = r.kind === 'missing' ? 'app-file-missing' : 'app-file-unreadable';
    const hint = r.kind === 'missing' ? 'run habitat-cmp in (or point it at) the directory that holds habitat.yaml' : undefined;
    return { diagnostics: [error(code, msg, { file, offset: 0 }, hint)] };
  }
  const dec = decodeText(r.data, file);
  const source: Source = { file, text: dec.text, ...(r.data[0] === 0xef && r.data[1] === 0xbb && r.data[2] === 0xbf ? { bom: true } : {}) };
  return { source, diagnostics: dec.diagnostic ? [dec.diagnostic] : [] };
}

/**
 * Runs `stage` on the fast parse (js-yaml, no positions); when it has anything
 * to report, parses again with positions and runs it again to say where. Both
 * parses are under the same limits, and anything unusual (aliases, tags, parse
 * errors) takes the precise path directly. `lap` names the parse stages for
 * HABITAT_CMP_TIMING.
 */
export function withPositions<R extends { diagnostics: Diagnostic[] }>(
  source: Source,
  stage: (doc: ParsedDocument) => R,
  lap: (stage: string, restart?: boolean) => void = () => undefined,
): R | { diagnostics: Diagnostic[] } {
  const { file, text } = source;
  const tooLarge = yamlStructureProblem(text, file);
  if (tooLarge) return { diagnostics: [tooLarge] };
  const fast = parseYamlFast(text, DEFAULT_YAML_LIMITS.maxDepth);
  lap('parse');
  if (fast) {
    const result = stage({ file, value: fast.value, spans: NO_SPANS, exotic: fast.exotic });
    if (result.diagnostics.length === 0) return result;
    lap('fast-path-discarded', true);
  }
  const parsed = parseYaml(text, file);
  source.redact = sealedRanges(parsed.spans);
  lap('parse-with-positions');
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  return stage({ file, value: parsed.value, spans: parsed.spans, exotic: parsed.exotic });
}

/** The schema, then plain numbers outside `config`: the app every later stage reads. */
export function validatedApp(doc: ParsedDocument): { app?: RawApp; diagnostics: Diagnostic[] } {
  const diagnostics = validateSchema(doc.value, doc.file, doc.spans, doc.exotic);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { app: doc.exotic ? numbersOutsideConfig(doc.value as RawApp) : (doc.value as RawApp), diagnostics };
}
