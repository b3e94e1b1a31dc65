/**
 * `--format github`: GitHub Actions workflow commands, one annotation per
 * finding that is not ignored (`::error file=...,line=...,title=...::message`),
 * then a summary line. Values are escaped as the runner unescapes them
 * (data: `%`, CR, LF; properties: also `:` and `,`), so no name can end a
 * property, end the command or start a line, and so forge another command.
 * @internal
 */
import { fileLocation } from './file-location';
import { FormatContext, LocatedReport, plural, ReportWriter, reportedFindings, Tally, workloadLabel } from './report-format';
import { Finding, Severity } from '../analyzer/verdict';

const COMMANDS: { readonly [severity: string]: string } = { [Severity.ERROR]: 'error', [Severity.WARNING]: 'warning', [Severity.INFO]: 'notice' };

/** @internal */
export function githubWriter(out: (text: string) => void, context: FormatContext): ReportWriter {
  const tally = new Tally();
  return {
    write(r) {
      tally.add(r);
      for (const { finding, sidecar } of reportedFindings(r)) {
        if (!finding.ignored) {
          out(`${command(r, finding, sidecar, context.cwd)}\n`);
        }
      }
    },
    end() {
      const { workloads, sidecars, waiting, findings, ignored } = tally;
      out(`sidecar-first: ${plural(workloads, 'workload')}, ${plural(sidecars, 'sidecar')}: ${waiting} held until ready, ${sidecars - waiting} not; `
        + `${plural(findings, 'finding')}, ${ignored} ignored\n`);
    },
  };
}

function command(r: LocatedReport, f: Finding, sidecar: string | undefined, cwd: string): string {
  const file = fileLocation(r.file, cwd);
  const workload = workloadLabel(r);
  const properties = [
    ...(file.relative !== undefined || file.absolute !== undefined ? [`file=${escapeProperty(file.relative ?? file.absolute!)}`, `line=${Math.max(1, r.line)}`] : []),
    `title=${escapeProperty(`${f.id} ${workload}${sidecar !== undefined ? ` sidecar ${sidecar}` : ''}`)}`,
  ];
  return `::${COMMANDS[f.severity]} ${properties.join(',')}::${escapeData(`${f.id} ${f.severity}: ${f.message}`)}`;
}

/**
 * A command's message, as the runner's `toCommandValue` escapes it.
 * @internal
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * A command's property value: also `:` (ends the properties) and `,` (ends the property).
 * @internal
 */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
