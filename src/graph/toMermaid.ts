import type { AppGraph } from './appGraph';
import { bindLabel, joinedGroupLines, joinedTitle, ringTitle, serviceLines, titleText, workloadLines } from './graphLabels';

/**
 * Mermaid's entity syntax (`#35;` is "#") for the characters that would end a
 * quoted label (`"`), start an entity (`#`) or an HTML tag or entity (`<`, `&`;
 * labels are HTML when rendered). habitat.yaml's names cannot hold them today,
 * but a label must never change the graph's structure whatever it says.
 */
function esc(text: string): string {
  return text.replace(/[#"<&]/g, (c) => `#${c.charCodeAt(0)};`);
}

const label = (lines: string[]) => `"${lines.map(esc).join('<br/>')}"`;

/**
 * A Mermaid flowchart (hosted Git forges render these in Markdown): strict binds
 * are solid arrows, relaxed binds dotted; a joined app's ring is a box inside
 * this app's ring, its groups hexagons with a dashed border; a Service is joined
 * to its workload by a plain line.
 */
export function toMermaid(g: AppGraph): string {
  const out: string[] = ['---', `title: ${JSON.stringify(titleText(g))}`, '---', 'flowchart LR'];
  out.push(`  subgraph ring[${label([ringTitle(g)])}]`);
  for (const w of g.workloads) out.push(`    ${w.id}[${label(workloadLines(w))}]`);
  for (const j of g.joined) {
    out.push(`    subgraph ${j.id}[${label([joinedTitle(j)])}]`);
    for (const grp of j.groups) out.push(`      ${grp.id}{{${label(joinedGroupLines(grp))}}}`);
    out.push('    end');
  }
  out.push('  end');
  for (const s of g.services) out.push(`  ${s.id}([${label(serviceLines(s))}])`);
  for (const b of g.binds) out.push(`  ${b.from} ${b.mode === 'relaxed' ? '-.->' : '-->'}|${label([bindLabel(b)])}| ${b.to}`);
  for (const s of g.services) out.push(`  ${s.id} --- ${s.workload}`);
  const outside = g.joined.flatMap((j) => j.groups).map((x) => x.id);
  if (outside.length) {
    out.push('  classDef outside stroke-dasharray: 5 5');
    out.push(`  class ${outside.join(',')} outside`);
  }
  return out.join('\n') + '\n';
}
