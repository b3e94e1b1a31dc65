import { WorkloadReport } from '../analyzer/sidecar-analyzer';
import { ContainerRole, Finding, Gate, StartStep, StartsBeforeApp } from '../analyzer/verdict';
import { finding as newFinding } from '../private/rules/findings';

/**
 * A workload report with where it came from.
 * @internal
 */
export interface LocatedReport extends WorkloadReport {
  readonly file: string;
  readonly line: number;
}

/**
 * Writes reports one at a time as they come (memory does not grow with the
 * stream), then what closes the output: each format a function of the
 * reports alone.
 * @internal
 */
export interface ReportWriter {
  write(report: LocatedReport): void;
  end(): void;
}

/**
 * What a format may say besides the reports.
 * @internal
 */
export interface FormatContext {
  /** What file locations are relative to (SARIF, GitHub). */
  readonly cwd: string;
  readonly toolVersion: string;
  /** Where the findings are explained. */
  readonly findingsUrl: string;
  readonly repositoryUrl: string;
  /** `--fail-on warning`: a warning fails the run, so the formats that mark failures (JUnit) mark it too. */
  readonly warningsFail: boolean;
}

/** @internal */
export type FormatWriter = (out: (text: string) => void, context: FormatContext) => ReportWriter;

/**
 * Every finding of a report, the sidecar's with its name.
 * @internal
 */
export function allFindings(r: WorkloadReport): Array<{ finding: Finding; sidecar?: string }> {
  return [
    ...r.sidecars.flatMap(s => s.findings.map(finding => ({ finding, sidecar: s.name }))),
    ...r.findings.map(finding => ({ finding })),
  ];
}

/**
 * allFindings, and SF300 saying why for a workload that cannot be analyzed: what
 * the formats that list findings one by one (SARIF, JUnit, GitHub) report.
 * @internal
 */
export function reportedFindings(r: LocatedReport): Array<{ finding: Finding; sidecar?: string }> {
  return [...allFindings(r), ...(r.invalid ? [{ finding: newFinding('SF300', `cannot be analyzed: ${r.invalid}`) }] : [])];
}

/**
 * `Deployment shop/web`, with the pod spec's path when it is not the usual one.
 * @internal
 */
export function workloadLabel(r: WorkloadReport): string {
  return `${r.kind || '(no kind)'} ${r.namespace ? `${r.namespace}/` : ''}${r.name || '(no name)'}${atPath(r.podSpecPath)}`;
}

/**
 * `1 workload`, `2 workloads`.
 * @internal
 */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The counts every format's summary gives.
 * @internal
 */
export class Tally {
  public workloads = 0;
  public sidecars = 0;
  public waiting = 0;
  public findings = 0;
  public ignored = 0;

  public add(r: WorkloadReport): void {
    this.workloads++;
    this.sidecars += r.sidecars.length;
    this.waiting += r.sidecars.filter(s => s.appWaitsForReady).length;
    const findings = allFindings(r);
    this.findings += findings.length;
    this.ignored += findings.filter(f => f.finding.ignored).length;
  }
}

/**
 * `--format json`: `{"workloads":[...],"summary":{...}}`, the workloads as
 * `JSON.stringify(..., 2)` would print them; fields that are unset are left out.
 * @internal
 */
export function jsonWriter(out: (text: string) => void): ReportWriter {
  let count = 0;
  const tally = new Tally();
  return {
    write(r) {
      tally.add(r);
      const item = {
        file: r.file,
        document: r.document,
        line: r.line,
        kind: r.kind,
        name: r.name,
        ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
        podSpecPath: r.podSpecPath,
        sidecars: r.sidecars,
        findings: r.findings,
        ...(r.invalid ? { invalid: r.invalid } : {}),
      };
      out(`${count++ === 0 ? '{\n  "workloads": [\n' : ',\n'}    ${JSON.stringify(item, undefined, 2).replaceAll('\n', '\n    ')}`);
    },
    end() {
      const { workloads, sidecars, waiting, findings, ignored } = tally;
      const summary = { workloads, sidecars, heldUntilReady: waiting, notHeld: sidecars - waiting, findings, ignored };
      out(`${count === 0 ? '{\n  "workloads": [],\n' : '\n  ],\n'}  "summary": ${JSON.stringify(summary, undefined, 2).replace(/\n/g, '\n  ')}\n}\n`);
    },
  };
}

/**
 * The default output: a table per workload, as a reviewer would write it,
 * and a summary line.
 * @internal
 */
export function tableWriter(out: (text: string) => void): ReportWriter {
  const tally = new Tally();
  return {
    write(r) {
      tally.add(r);
      out(`${formatTable(r)}\n`);
    },
    end() {
      const { workloads, sidecars, waiting, ignored } = tally;
      out(`${plural(workloads, 'workload')}, ${plural(sidecars, 'sidecar')}: ${waiting} held until ready, ${sidecars - waiting} not${ignored ? `; ${plural(ignored, 'finding')} ignored` : ''}\n`);
    },
  };
}

function formatTable(r: LocatedReport): string {
  const out: string[] = [];
  out.push(printable(`${r.file}:${r.line}  ${workloadLabel(r)}`));
  if (r.invalid) {
    out.push(`  cannot analyze: ${printable(r.invalid)}`, '');
    return out.join('\n');
  }
  if (r.sidecars.length === 0) {
    out.push('  no sidecars');
  } else {
    const rows = [
      ['SIDECAR', 'PLACEMENT', 'GATE', 'STARTS BEFORE APP', 'APP WAITS FOR READY', 'IF CHECK NEVER PASSES'],
      ...r.sidecars.map(s => [printable(s.name), s.placement, s.gate, s.startsBeforeApp, s.appWaitsForReady ? 'yes' : 'NO', s.ifCheckNeverPasses]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map(row => row[i].length)));
    rows.forEach((row, i) => {
      out.push(`  ${row.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd()}`);
      for (const f of i > 0 ? r.sidecars[i - 1].findings : []) {
        out.push(`    - ${formatFinding(f)}`);
      }
    });
  }
  for (const f of r.findings) {
    out.push(`  ! ${formatFinding(f)}`);
  }
  out.push('');
  return out.join('\n');
}

/** `SF113 warning: message`, `SF102 error (ignored: reason): message` (the message names containers: printable). */
function formatFinding(f: Finding): string {
  return `${f.id} ${f.severity}${f.ignored ? ` (${printable(ignoredNote(f))})` : ''}: ${printable(f.message)}`;
}

/**
 * `ignored by annotation: reason` (as written: escape it for the output).
 * @internal
 */
export function ignoredNote(f: Finding): string {
  return f.ignored ? `ignored by ${f.ignored.by}${f.ignored.reason ? `: ${f.ignored.reason}` : ''}` : '';
}

/** C0 and C1 controls, DEL, line and paragraph separators, format characters (bidi overrides, zero-width) and lone surrogates. */
const UNPRINTABLE = /[\\\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const SHORT_ESCAPES: { readonly [c: string]: string } = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from a manifest or a file name as the terminal should show it: on one
 * line, every control or format character escaped (`\x1b`, `\n`, `\u{202e}`)
 * and `\` doubled, so that no name can move the cursor, clear the screen, set
 * the window title or print a line of its own.
 * @internal
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, c => SHORT_ESCAPES[c] ?? (c.codePointAt(0)! < 0x100 ? `\\x${c.codePointAt(0)!.toString(16).padStart(2, '0')}` : `\\u{${c.codePointAt(0)!.toString(16)}}`));
}

/** Where a pod spec was found, when it is not where every built-in kind keeps it. */
const USUAL_PATHS = new Set(['spec', 'spec.template.spec', 'template.spec', 'spec.jobTemplate.spec.template.spec', 'spec.jobTargetRef.template.spec']);

/**
 * ` at spec.replicatedJobs[0].template.spec.template.spec`, for a pod spec
 * found deeper than the built-in kinds keep theirs; empty otherwise.
 * @internal
 */
export function atPath(podSpecPath: string): string {
  return USUAL_PATHS.has(podSpecPath) ? '' : ` at ${podSpecPath}`;
}

/**
 * `--format mermaid`: each workload's start-up sequence as a flowchart.
 * Every name is escaped, so no manifest can add a statement or a directive.
 * @internal
 */
export function mermaidWriter(out: (text: string) => void): ReportWriter {
  let w = 0;
  out('flowchart LR\n');
  return {
    write(r) {
      if (r.invalid) {
        return;
      }
      const lines = [`  subgraph w${w}["${escapeLabel(`${r.kind || '(no kind)'} ${r.name || '(no name)'}${atPath(r.podSpecPath)}`)}"]`, '    direction LR'];
      const steps = r.startSequence;
      const sidecars = new Map(r.sidecars.map(s => [s.name, s]));
      steps.forEach((step, i) => lines.push(`    w${w}s${i}["${escapeLabel(`${step.role}: ${step.name}`)}"]`));
      for (let i = 0; i + 1 < steps.length; i++) {
        lines.push(`    w${w}s${i} -->|"${escapeLabel(edgeLabel(steps[i], sidecars.get(steps[i].name)))}"| w${w}s${i + 1}`);
      }
      lines.push('  end');
      out(`${lines.join('\n')}\n`);
      w++;
    },
    end() {},
  };
}

/** What lets the next container start (R1-R4): an init container's exit, a sidecar's gate, or nothing (app containers start together). */
function edgeLabel(step: StartStep, sidecar: WorkloadReport['sidecars'][number] | undefined): string {
  if (sidecar) {
    if (sidecar.startsBeforeApp !== StartsBeforeApp.YES) {
      return 'in parallel';
    }
    return sidecar.gate === Gate.NONE ? 'exits 0' : `${sidecar.gate} passes`;
  }
  return step.role === ContainerRole.INIT ? 'exits 0' : 'in parallel';
}

/**
 * A Mermaid label: every character but letters, digits and ` _.:/-` as an
 * entity code (`#34;`), so that quotes, newlines, `%%{init}%%` directives,
 * markdown and HTML in a name stay text.
 */
function escapeLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9 _.:/-]/gu, c => `#${c.codePointAt(0)};`);
}
