/**
 * `--format junit`: JUnit XML as CI servers read it (the Jenkins/Surefire
 * schema, junit-10.xsd): one testsuite per file, one testcase per workload
 * and one per sidecar, a failure per error finding (and per warning under
 * `--fail-on warning`, which fails the run on them); ignored findings make a
 * testcase skipped when nothing else fails it, and are counted in the
 * testsuite's properties. Every name and message is escaped for XML 1.0,
 * controls included.
 * @internal
 */
import { FormatContext, ignoredNote, LocatedReport, printable, reportedFindings, ReportWriter, workloadLabel } from './report-format';
import { failingSeverities } from '../analyzer/settings';
import { Finding } from '../analyzer/verdict';

interface Case {
  readonly name: string;
  readonly findings: Finding[];
}

/**
 * Writes each file's testsuite once its last report is in (a file's reports come together).
 * @internal
 */
export function junitWriter(out: (text: string) => void, context: FormatContext): ReportWriter {
  // Errors fail the testcase whatever --fail-on says (a report, not the exit status); warnings under --fail-on warning.
  const severities = failingSeverities(context.warningsFail ? 'warning' : 'error');
  const failing = (c: Case): Finding[] => c.findings.filter(f => !f.ignored && severities.includes(f.severity));
  let file: string | undefined;
  let cases: Case[] = [];
  out('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sidecar-first">\n');
  const flush = () => {
    if (file === undefined) {
      return;
    }
    const failures = cases.filter(c => failing(c).length > 0).length;
    const skipped = cases.filter(c => failing(c).length === 0 && c.findings.some(f => f.ignored && severities.includes(f.severity))).length;
    const ignored = cases.reduce((n, c) => n + c.findings.filter(f => f.ignored).length, 0);
    const lines = [
      `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" file="${xml(file)}">`,
      `    <properties>\n      <property name="ignored findings" value="${ignored}"/>\n    </properties>`,
      ...cases.map(c => testcase(file!, c, failing(c), c.findings.filter(f => f.ignored && severities.includes(f.severity)))),
      '  </testsuite>',
    ];
    out(`${lines.join('\n')}\n`);
    cases = [];
  };
  return {
    write(r) {
      if (r.file !== file) {
        flush();
        file = r.file;
      }
      cases.push(...casesOf(r));
    },
    end() {
      flush();
      out('</testsuites>\n');
    },
  };
}

/** The workload's testcase (its own findings), then one per sidecar. */
function casesOf(r: LocatedReport): Case[] {
  const workload = `${workloadLabel(r)} (line ${r.line})`;
  const own = reportedFindings(r).filter(f => f.sidecar === undefined).map(f => f.finding);
  return [
    { name: workload, findings: own },
    ...r.sidecars.map(s => ({ name: `${workload} sidecar ${s.name}`, findings: s.findings })),
  ];
}

function testcase(file: string, c: Case, failures: Finding[], ignoredFailing: Finding[]): string {
  const others = c.findings.filter(f => !failures.includes(f));
  const children = [
    ...failures.map(f => `      <failure type="${f.id}" message="${xml(`${f.id}: ${f.message}`)}">${xml(`${f.id} ${f.severity} (rule ${f.rule}): ${f.message}`)}</failure>`),
    ...(failures.length === 0 && ignoredFailing.length > 0 ? [`      <skipped message="${xml(ignoredFailing.map(f => `${f.id} ${ignoredNote(f)}`).join('; '))}"/>`] : []),
    ...(others.length > 0 ? [`      <system-out>${others.map(f => xml(`${f.id} ${f.severity}${f.ignored ? ` (${ignoredNote(f)})` : ''}: ${f.message}`)).join('\n')}</system-out>`] : []),
  ];
  const open = `    <testcase classname="${xml(file)}" name="${xml(c.name)}"`;
  return children.length === 0 ? `${open}/>` : `${open}>\n${children.join('\n')}\n    </testcase>`;
}

/**
 * Text for an XML 1.0 attribute or element: controls and format characters
 * as printable escapes (XML 1.0 cannot hold most controls at all; in an
 * attribute a line feed would be read as a space), the noncharacters U+FFFE
 * and U+FFFF likewise, then the five markup characters as entities.
 */
function xml(text: string): string {
  return printable(text)
    .replace(/[\uFFFE\uFFFF]/g, c => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
