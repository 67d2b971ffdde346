// Parses Mermaid texts with mermaid's own parser (the `mermaid` package, the
// same code hosted forges run in the browser) and prints what it understood.
// Mermaid only runs where a DOM exists (its sanitizer, DOMPurify, needs one even
// to parse), so a jsdom window stands in; that is why this runs in its own
// process rather than inside the test runner.
//   stdin: JSON array of texts; stdout: JSON array of results.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('');
globalThis.window = dom.window;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const texts = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const text of texts) {
  try {
    await mermaid.parse(text);
    const { db, type } = await mermaid.mermaidAPI.getDiagramFromText(text);
    out.push({
      ok: true,
      type,
      title: db.getDiagramTitle?.() ?? '',
      vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text, type: v.type ?? null, classes: v.classes ?? [] })),
      edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, type: e.type, stroke: e.stroke, text: e.text })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes })),
    });
  } catch (e) {
    out.push({ ok: false, error: String(e?.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(out));
dom.window.close();
