// Parses a Mermaid diagram from standard input with the real `mermaid` package
// (ESM only, and it needs a DOM: jsdom) and prints what the renderer would
// see: directives' config, nodes, edges and subgraphs (a flowchart) or title and
// tasks (a Gantt chart), as JSON.
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');

let text = '';
for await (const chunk of process.stdin) {
  text += chunk;
}
try {
  const { config } = await mermaid.parse(text);
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  // Labels keep entity codes encoded until rendering; decode them as the renderer does.
  const label = s => s.replace(/ﬂ°°(\d+)¶ß/g, (_, n) => String.fromCodePoint(Number(n))).replace(/ﬂ°(\w+)¶ß/g, (_, n) => `&${n};`);
  process.stdout.write(JSON.stringify(typeof db.getTasks === 'function' ? {
    // A Gantt chart (observe): its title and tasks.
    config,
    title: db.getDiagramTitle(),
    tasks: db.getTasks().map(t => ({ section: t.section, task: t.task.trim(), start: t.startTime.toISOString(), end: t.endTime.toISOString(), milestone: Boolean(t.milestone) })),
  } : {
    config,
    nodes: [...db.getVertices().values()].map(v => ({ id: v.id, text: label(v.text) })),
    edges: db.getEdges().map(e => ({ from: e.start, to: e.end, text: label(e.text) })),
    subgraphs: db.getSubGraphs().map(s => ({ id: s.id, title: label(s.title), nodes: s.nodes })),
  }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e.message }));
}
