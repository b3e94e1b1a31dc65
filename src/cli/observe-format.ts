/**
 * The outputs of `sidecar-first observe`: a table, JSON and a Mermaid timeline.
 * @internal
 */
import { printable } from './report-format';
import { Outcome, PodObservation } from '../analyzer/observe/observation';
import { Frame } from '../analyzer/observe/pod-history';

/** A pod's observation with where its latest status was read, and its statuses (for the timeline). */
export interface LocatedObservation extends PodObservation {
  readonly file: string;
  readonly line: number;
  readonly statuses: readonly Frame[];
}

export type ObservationFormatter = (pods: readonly LocatedObservation[]) => string;

/** `--format json`: `{"pods":[...]}`, fields unset left out. */
export function observationJson(pods: readonly LocatedObservation[]): string {
  return `${JSON.stringify({ pods: pods.map(({ statuses, ...p }) => p) }, undefined, 2)}\n`;
}

/** The default output: per pod, a row per sidecar with its outcome and what check says, then the evidence. */
export function observationTable(pods: readonly LocatedObservation[]): string {
  const out: string[] = [];
  for (const p of pods) {
    out.push(printable(`${p.file}:${p.line}  Pod ${p.namespace ? `${p.namespace}/` : ''}${p.name}  (${plural(p.frames, 'status', 'statuses')}, ${plural(p.events, 'event')})`));
    if (!p.started) {
      out.push('  not started: the pod has no container statuses yet');
    }
    if (p.sidecars.length === 0) {
      out.push('  no sidecars', '');
      continue;
    }
    const rows = [
      ['SIDECAR', 'WHAT HAPPENED', 'DECIDED BY', 'CHECK: APP WAITS FOR READY', 'GATE'],
      ...p.sidecars.map(s => [printable(s.name), s.outcome, s.decidedBy ?? '-', s.check.appWaitsForReady ? 'yes' : 'NO', s.check.gate]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
    rows.forEach((row, i) => {
      out.push(`  ${row.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd()}`);
      const s = p.sidecars[i - 1];
      if (s) {
        for (const e of s.evidence) {
          out.push(`    - ${printable(`${e.fact}${e.time && !e.fact.includes(e.time) ? ` (${e.time})` : ''}`)}`);
        }
        if (s.missing) {
          out.push(`    ? missing: ${printable(s.missing)}`);
        }
      }
    });
    out.push('');
  }
  const all = pods.flatMap(p => p.sidecars);
  const counts = Object.values(Outcome).map(o => [o, all.filter(s => s.outcome === o).length] as const).filter(([, n]) => n > 0);
  out.push(`${plural(pods.length, 'pod')}, ${plural(all.length, 'sidecar')}${counts.length ? `: ${counts.map(([o, n]) => `${n} ${o}`).join(', ')}` : ''}\n`);
  return out.join('\n');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * `--format mermaid`: a Gantt chart (times in UTC), a section per pod, one bar per container instance
 * and a milestone per event, the outcome in the section titles. Names keep
 * only letters, digits and ` _./-` (others become `_`), so no name can add a
 * statement or a directive; the JSON output has them exact.
 */
export function observationMermaid(pods: readonly LocatedObservation[]): string {
  const lines = ['gantt', '  title sidecar-first observe', '  dateFormat YYYY-MM-DD HH:mm:ss', '  axisFormat %H:%M:%S'];
  pods.forEach((p, pi) => {
    const verdicts = p.sidecars.map(s => `${s.name} ${s.outcome}`).join(', ');
    lines.push(`  section ${safe(`${p.namespace ? `${p.namespace}/` : ''}${p.name} - ${verdicts || 'no sidecars'}`)}`);
    const frames = p.statuses;
    const eventTimes = p.sidecars.flatMap(s => s.evidence.map(e => (e.time ? Date.parse(e.time) / 1000 : 0)));
    const end = Math.max(...frames.map(f => f.latest ?? 0), ...eventTimes);
    let n = 0;
    const bar = (label: string, from: number, to: number, tag = '') =>
      lines.push(`    ${safe(label)} :${tag}p${pi}t${n++}, ${iso(from)}, ${iso(Math.max(to, from + 1))}`);
    const last = frames[frames.length - 1];
    for (const [name, c] of last?.containers ?? []) {
      const role = p.sidecars.some(s => s.name === name) ? 'sidecar' : 'container';
      if (c.lastTerminated?.startedAt && c.lastTerminated.finishedAt) {
        bar(`${role} ${name} previous instance`, c.lastTerminated.startedAt.seconds, c.lastTerminated.finishedAt.seconds, 'crit, ');
      }
      const run = c.running?.startedAt ?? c.terminated?.startedAt;
      if (run) {
        bar(`${role} ${name}${c.terminated ? ' ended' : ' running'}`, run.seconds, c.terminated?.finishedAt?.seconds ?? end);
      }
    }
    for (const [type, cond] of last?.conditions ?? []) {
      if (cond.time && cond.status === 'True') {
        lines.push(`    ${safe(`pod ${type}`)} :milestone, p${pi}t${n++}, ${iso(cond.time.seconds)}, 0s`);
      }
    }
    for (const s of p.sidecars) {
      for (const e of s.evidence.filter(x => x.time && x.source === 'events')) {
        lines.push(`    ${safe(`${s.name} ${e.fact.replace(/^event /, '').slice(0, 60)}`)} :milestone, p${pi}t${n++}, ${iso(Date.parse(e.time!) / 1000)}, 0s`);
      }
    }
  });
  return `${lines.join('\n')}\n`;
}

/** A time in UTC as the chart's dateFormat reads it (Mermaid has no zone designator that it parses for end dates). */
function iso(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace('T', ' ').replace('.000Z', '');
}

/** A Gantt label: nothing but letters, digits and ` _./-` (no `:`, `#`, `;`, `%`, newline). */
function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9 _./-]/g, '_');
}
