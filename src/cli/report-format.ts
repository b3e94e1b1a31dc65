import { WorkloadReport } from '../analyzer/sidecar-analyzer';

/**
 * A workload report with where it came from.
 * @internal
 */
export interface LocatedReport extends WorkloadReport {
  readonly file: string;
  readonly line: number;
}

/**
 * `--format json`: `{"workloads":[...]}`, namespace null when unset.
 * @internal
 */
export function formatJson(reports: readonly LocatedReport[]): string {
  return JSON.stringify({
    workloads: reports.map(r => ({
      file: r.file,
      document: r.document,
      line: r.line,
      kind: r.kind,
      name: r.name,
      namespace: r.namespace ?? null,
      sidecars: r.sidecars,
      findings: r.findings,
      ...(r.invalid ? { invalid: r.invalid } : {}),
    })),
  }, undefined, 2);
}

/**
 * The default output: a table per workload, as a reviewer would write it.
 * @internal
 */
export function formatTable(reports: readonly LocatedReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.file}:${r.line}  ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);
    if (r.invalid) {
      out.push(`  cannot analyze: ${r.invalid}`, '');
      continue;
    }
    if (r.sidecars.length === 0) {
      out.push('  no sidecars');
    } else {
      const rows = [
        ['SIDECAR', 'PLACEMENT', 'GATE', 'STARTS BEFORE APP', 'APP WAITS FOR READY', 'IF CHECK NEVER PASSES'],
        ...r.sidecars.map(s => [s.name, s.placement, s.gate, s.startsBeforeApp, s.appWaitsForReady ? 'yes' : 'NO', s.ifCheckNeverPasses]),
      ];
      const widths = rows[0].map((_, i) => Math.max(...rows.map(row => row[i].length)));
      rows.forEach((row, i) => {
        out.push(`  ${row.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd()}`);
        for (const finding of i > 0 ? r.sidecars[i - 1].findings : []) {
          out.push(`    - ${finding}`);
        }
      });
    }
    for (const finding of r.findings) {
      out.push(`  ! ${finding}`);
    }
    out.push('');
  }
  out.push(summary(reports));
  return out.join('\n');
}

/**
 * One line that says how many apps really wait.
 * @internal
 */
export function summary(reports: readonly LocatedReport[]): string {
  const sidecars = reports.flatMap(r => r.sidecars);
  const waiting = sidecars.filter(s => s.appWaitsForReady).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(reports.length, 'workload')}, ${plural(sidecars.length, 'sidecar')}: ${waiting} held until ready, ${sidecars.length - waiting} not`;
}

/**
 * `--format mermaid`: each workload's start-up sequence as a flowchart.
 * @internal
 */
export function formatMermaid(reports: readonly LocatedReport[], starts: (r: LocatedReport) => Array<{ name: string; role: string }>): string {
  const out = ['flowchart LR'];
  reports.forEach((r, w) => {
    out.push(`  subgraph w${w}["${escape(`${r.kind} ${r.name}`)}"]`, '    direction LR');
    const steps = starts(r);
    steps.forEach((step, i) => out.push(`    w${w}s${i}["${escape(`${step.role}: ${step.name}`)}"]`));
    for (let i = 0; i + 1 < steps.length; i++) {
      const sidecar = r.sidecars.find(s => s.name === steps[i].name);
      const label = sidecar ? (sidecar.appWaitsForReady ? `${sidecar.gate} passes` : 'in parallel') : 'exits 0';
      out.push(`    w${w}s${i} -->|"${escape(label)}"| w${w}s${i + 1}`);
    }
    out.push('  end');
  });
  return out.join('\n');
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
