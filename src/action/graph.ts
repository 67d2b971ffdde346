import { hasErrors, type Diagnostic } from '../diag/diagnostic';
import type { Source } from '../load/decodeText';
import type { Inputs } from '../load/inputs';
import type { RepoFs } from '../load/repoFs';
import { appGraph } from '../graph/appGraph';
import { toDot } from '../graph/toDot';
import { toMermaid } from '../graph/toMermaid';
import { renderAction } from './render';

export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GraphResult {
  /** Absent when there are errors. */
  text?: string;
  diagnostics: Diagnostic[];
  sources: Map<string, Source>;
}

/**
 * The app as a graph. Runs the whole render pipeline first, so `graph` refuses
 * exactly what `render` refuses and draws the model the manifests come from.
 */
export function graphAction(fs: RepoFs, inputs: Inputs, format: GraphFormat): GraphResult {
  const r = renderAction(fs, inputs);
  if (hasErrors(r.diagnostics) || !r.model) return { diagnostics: r.diagnostics, sources: r.sources };
  const graph = appGraph(r.model);
  return { text: format === 'dot' ? toDot(graph) : toMermaid(graph), diagnostics: r.diagnostics, sources: r.sources };
}
