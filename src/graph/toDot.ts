import type { AppGraph } from './appGraph';
import { bindLabel, joinedGroupLines, joinedTitle, ringTitle, serviceLines, titleText, workloadLines } from './graphLabels';

/** A DOT double-quoted string; `\` would start an escape sequence in a label. */
const q = (text: string) => `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;
const lines = (ls: string[]) => q(ls.join('\n'));

/**
 * Graphviz DOT with the same content and conventions as the Mermaid output:
 * clusters for the ring and, inside it, each joined app's ring; solid edges for
 * strict binds, dashed for relaxed; dashed hexagons for the joined apps' groups.
 */
export function toDot(g: AppGraph): string {
  const out: string[] = [`digraph ${q(g.app)} {`];
  out.push(`  graph [rankdir=LR, label=${q(titleText(g))}, labelloc=t];`);
  // Wider than Graphviz's default margin: sizes estimated without fonts (the
  // WebAssembly build, servers) come out narrower than many renderers draw the text.
  out.push('  node [shape=box, style=rounded, margin="0.2,0.08"];');
  out.push(`  subgraph "cluster_ring" {`);
  out.push(`    graph [label=${q(ringTitle(g))}, style=rounded];`);
  for (const w of g.workloads) out.push(`    ${q(w.id)} [label=${lines(workloadLines(w))}];`);
  for (const j of g.joined) {
    out.push(`    subgraph ${q(`cluster_${j.id}`)} {`);
    out.push(`      graph [label=${q(joinedTitle(j))}, style=dashed];`);
    for (const grp of j.groups) out.push(`      ${q(grp.id)} [shape=hexagon, style=dashed, label=${lines(joinedGroupLines(grp))}];`);
    out.push('    }');
  }
  out.push('  }');
  for (const s of g.services) out.push(`  ${q(s.id)} [shape=oval, style=solid, label=${lines(serviceLines(s))}];`);
  for (const b of g.binds) out.push(`  ${q(b.from)} -> ${q(b.to)} [label=${q(bindLabel(b))}, style=${b.mode === 'relaxed' ? 'dashed' : 'solid'}];`);
  for (const s of g.services) out.push(`  ${q(s.id)} -> ${q(s.workload)} [dir=none];`);
  out.push('}');
  return out.join('\n') + '\n';
}
