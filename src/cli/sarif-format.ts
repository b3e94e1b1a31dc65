/**
 * `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it: one rule
 * per finding ID (with its summary, fix and a link to its explanation), one
 * result per finding at the document's file and line, with the workload and
 * container as a logical location; ignored findings carry a suppression.
 * @internal
 */
import { fileLocation } from './file-location';
import { FormatContext, LocatedReport, reportedFindings, ReportWriter, workloadLabel } from './report-format';
import { Finding, IgnoredBy, Severity } from '../analyzer/verdict';
import { FINDINGS, FindingKind, fixOf } from '../private/rules/findings';

/* eslint-disable @typescript-eslint/no-explicit-any */

const LEVELS: { readonly [severity: string]: string } = { [Severity.ERROR]: 'error', [Severity.WARNING]: 'warning', [Severity.INFO]: 'note' };
/** The uriBaseId of every file inside the working directory. */
const SRCROOT = '%SRCROOT%';
const RULE_IDS = Object.keys(FINDINGS);

/**
 * Streams the results: the log's head (tool and rules) first, each result as
 * its report comes, the rest at the end.
 * @internal
 */
export function sarifWriter(out: (text: string) => void, context: FormatContext): ReportWriter {
  let count = 0;
  const head = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
  };
  const tool = {
    driver: {
      name: 'sidecar-first',
      version: context.toolVersion,
      informationUri: context.repositoryUrl,
      rules: RULE_IDS.map(id => rule(id, (FINDINGS as { [id: string]: FindingKind })[id], context.findingsUrl)),
    },
  };
  const base = `file://${encodePath(context.cwd.endsWith('/') ? context.cwd : `${context.cwd}/`)}`;
  out(`${JSON.stringify(head, undefined, 2).slice(0, -2)},\n  "runs": [\n    {\n      "tool": ${indent(JSON.stringify(tool, undefined, 2), 6)},\n`
    + `      "originalUriBaseIds": ${indent(JSON.stringify({ [SRCROOT]: { uri: base } }, undefined, 2), 6)},\n      "results": [`);
  return {
    write(r) {
      for (const { finding, sidecar } of reportedFindings(r)) {
        out(`${count++ === 0 ? '\n' : ',\n'}${indent(JSON.stringify(result(r, finding, sidecar, context.cwd), undefined, 2), 8, true)}`);
      }
    },
    end() {
      out(`${count === 0 ? '' : '\n        '}]\n    }\n  ]\n}\n`);
    },
  };
}

function rule(id: string, kind: FindingKind, findingsUrl: string): any {
  return {
    id,
    name: id,
    shortDescription: { text: kind.summary },
    fullDescription: { text: `${kind.summary} (docs/kubelet-semantics.md, rule ${kind.rule}).` },
    helpUri: findingsUrl,
    help: {
      text: `${kind.summary}. ${fixOf(id)} See ${findingsUrl}`,
      markdown: `**${id}** (${kind.severity}): ${kind.summary}.\n\n${fixOf(id)}\n\n[${id} in the list of findings](${findingsUrl})`,
    },
    defaultConfiguration: { level: LEVELS[kind.severity] },
    properties: { tags: ['kubernetes', 'sidecar', kind.rule] },
  };
}

function result(r: LocatedReport, finding: Finding, sidecar: string | undefined, cwd: string): any {
  const file = fileLocation(r.file, cwd);
  const artifactLocation = file.relative !== undefined
    ? { uri: encodePath(file.relative), uriBaseId: SRCROOT }
    : { uri: file.absolute !== undefined ? `file://${encodePath(file.absolute)}` : encodePath(file.given) };
  const workload = [r.kind || '(no kind)', r.namespace ?? '', r.name || '(no name)'];
  return {
    ruleId: finding.id,
    ruleIndex: RULE_IDS.indexOf(finding.id),
    level: LEVELS[finding.severity],
    message: { text: `${workloadLabel(r)}${sidecar !== undefined ? `, sidecar "${sidecar}"` : ''}: ${finding.message}` },
    locations: [{
      physicalLocation: { artifactLocation, region: { startLine: Math.max(1, r.line) } },
      logicalLocations: [{
        name: sidecar ?? r.name,
        fullyQualifiedName: [...workload, ...(sidecar !== undefined ? [sidecar] : [])].join('/'),
        kind: sidecar !== undefined ? 'object' : 'resource',
      }],
    }],
    ...(finding.ignored ? {
      suppressions: [{
        kind: finding.ignored.by === IgnoredBy.ANNOTATION ? 'inSource' : 'external',
        ...(finding.ignored.reason ? { justification: finding.ignored.reason } : {}),
      }],
    } : {}),
    properties: { podSpecPath: r.podSpecPath, document: r.document },
  };
}

/** A path as a URI path: each segment percent-encoded (spaces, `#`, `%`, `<` and every non-ASCII character). */
function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function indent(json: string, spaces: number, first = false): string {
  const pad = ' '.repeat(spaces);
  return json.replace(/\n/g, `\n${pad}`).replace(/^/, first ? pad : '');
}
