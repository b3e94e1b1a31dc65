/**
 * `sidecar-first check [options] PATH...`: says, for every workload in the
 * given manifests, whether its app really waits for its sidecars.
 * @internal
 */
import { ANALYSIS_OPTIONS, kubernetesVersionOption, loadAnalysisSettings } from './analysis-settings';
import { FORMATS } from './formats';
import { findingsUrl, packageVersion, repositoryUrl } from './package-info';
import { allFindings, atPath, LocatedReport, printable } from './report-format';
import { CliIo, ParsedArgs, Subcommand, UsageError } from './subcommand';
import { counts, isFindingId } from '../analyzer/ignore';
import { DEFAULT_LIMITS, InputError, readInputs } from '../analyzer/manifest-reader';
import { FAIL_ON, FailOn, failingSeverities } from '../analyzer/settings';
import { analyzeDocument } from '../analyzer/sidecar-analyzer';
import { Severity } from '../analyzer/verdict';

const FORMAT_NAMES = Object.keys(FORMATS);

const USAGE = `Usage: sidecar-first check [options] PATH...

Says, for every workload in the manifests, whether its app waits for each
sidecar to be ready, and what happens if the sidecar never gets ready.

PATH is a file, a directory (searched for .yaml, .yml and .json files;
symbolic links followed, loops reported; FIFOs, sockets and devices in it
are skipped) or - for standard input.
Multi-document YAML, concatenated JSON and Lists (kubectl get -o json|yaml;
Lists in Lists too) are read one document, or one List item, at a time. Every
pod template is analyzed, whatever its kind (Deployment, CronJob, Argo
Rollout, Knative Service, ...) and however deep (JobSet, Kubeflow and Ray
jobs: reported with the path where it was found); other documents are skipped.

Sidecars are native sidecars, well-known helpers (istio-proxy,
linkerd-proxy, cloud-sql-proxy, ...) wherever they sit, containers whose
postStart hook polls, and the containers named with --sidecar or matched
by --sidecar-image.

Options:
  -o, --format FORMAT           ${FORMAT_NAMES.join(', ')} (default: table);
                                sarif for code scanning, junit for test reports,
                                github for GitHub Actions annotations
  --fail-on error|warning|none  exit 1 if a finding of this severity or worse is
                                not ignored (default: none, or failOn in the config)
  --require-ready               exit 1 if any app does not wait for a sidecar to be
                                ready (unless every error saying why is ignored)
  --kubernetes-version V        oldest Kubernetes version of API server and nodes, e.g. 1.28
                                or 1.33.6 (default: judged for the newest; findings SF200
                                say what differs on older versions)
  --ignore IDS                  ignore these finding IDs, e.g. SF113,SF200 (repeatable):
                                still reported and counted, they fail nothing; the
                                annotation sidecar-first.dev/ignore: "SF102: reason" on a
                                workload or its pod template ignores them there
  --sidecar NAME                also treat container NAME as a sidecar (repeatable; the pod
                                annotation sidecar-first.dev/sidecars: a,b does the same)
  --sidecar-image PATTERN       also treat containers whose image matches as sidecars,
                                * for any characters (repeatable)
  --config FILE                 settings file (default: the nearest .sidecar-first.yaml
                                from the working directory up): kubernetesVersion,
                                sidecars, sidecarImages, ignore, failOn; options add to it
                                (--kubernetes-version and --fail-on replace its values)
  --max-document-mib N          largest document, or item of a List, to read (default: 256,
                                at most 512); a larger one is an error (exit 2) and the
                                rest of its input is not read
  --version                     print the version
  -h, --help                    this text

Findings have stable IDs (SF101...): see docs/cli.md, section Findings;
docs/ci-integrations.md shows each format, the settings file, the kubectl
plugin and the pre-commit hook.

Exit status: 0 fine; 1 --fail-on or --require-ready and a finding that is not
ignored; 2 unreadable or invalid input (reported as file:line, after the
readable documents) or a bad settings file (file:line:col).`;

/** @internal */
export const CHECK: Subcommand = {
  name: 'check',
  summary: 'says whether each app waits for its sidecars to be ready (sidecar-first check --help)',
  usage: USAGE,
  options: {
    'format': { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    'require-ready': { type: 'boolean' },
    'ignore': { type: 'string', multiple: true },
    'max-document-mib': { type: 'string' },
    ...ANALYSIS_OPTIONS,
  },
  run: check,
};

async function check(args: ParsedArgs, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const values = args.values as { [name: string]: string | boolean | string[] | undefined };
  const format = (values.format as string | undefined) ?? 'table';
  if (!FORMAT_NAMES.includes(format)) {
    throw new UsageError(`--format is "${format}"; use ${FORMAT_NAMES.slice(0, -1).join(', ')} or ${FORMAT_NAMES[FORMAT_NAMES.length - 1]}`);
  }
  const failOnOption = values['fail-on'] as string | undefined;
  if (failOnOption !== undefined && !(FAIL_ON as readonly string[]).includes(failOnOption)) {
    throw new UsageError(`--fail-on is "${failOnOption}"; use error, warning or none`);
  }
  const version = kubernetesVersionOption(values);
  const mib = values['max-document-mib'] as string | undefined;
  // 512 MiB: the longest string V8 holds.
  if (mib !== undefined && (!/^[1-9][0-9]{0,2}$/.test(mib) || Number(mib) > 512)) {
    throw new UsageError(`--max-document-mib is "${mib}"; give a whole number of MiB from 1 to 512`);
  }
  const optionIgnore = ((values.ignore ?? []) as string[]).flatMap(v => v.split(',')).map(id => id.trim()).filter(Boolean);
  if (args.positionals.length === 0) {
    throw new UsageError('check needs a PATH (a file, a directory or - for standard input)');
  }

  const analysis = loadAnalysisSettings(args.values, io, version, optionIgnore);
  if (analysis === undefined) {
    return 2;
  }
  const { options, settings } = analysis;
  const warnings = [
    ...analysis.warnings,
    ...optionIgnore.filter(id => !isFindingId(id)).map(id => `--ignore names "${id}", which is not a finding ID (see docs/cli.md, section Findings)`),
  ];
  const failOn: FailOn = (failOnOption as FailOn | undefined) ?? settings.failOn ?? 'none';
  const limits = mib === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, maxSize: Number(mib) * 2 ** 20 };

  const writer = FORMATS[format](io.stdout, { cwd, toolVersion: packageVersion(), findingsUrl: findingsUrl(), repositoryUrl: repositoryUrl(), warningsFail: failOn === 'warning' });
  const failing = failingSeverities(failOn);
  const problems: InputError[] = [];
  let failed = false;
  let notWaiting = false;
  for await (const event of readInputs(args.positionals, io.stdin, limits)) {
    if ('error' in event) {
      problems.push(event.error);
      continue;
    }
    const doc = event.document;
    for (const { report, warnings: found } of analyzeDocument(doc.value, options)) {
      const located: LocatedReport = { file: doc.file, document: doc.document, line: doc.line, ...report };
      writer.write(located);
      warnings.push(...found.map(w => `${doc.file}:${doc.line}: ${report.kind} "${report.name}": ${w}`));
      failed ||= allFindings(located).some(({ finding }) => counts(finding) && failing.includes(finding.severity));
      // An app that does not wait is excused only when every error that says why is ignored.
      notWaiting ||= report.sidecars.some(s => {
        const errors = s.findings.filter(f => f.severity === Severity.ERROR);
        return !s.appWaitsForReady && (errors.length === 0 || errors.some(counts));
      });
      if (report.invalid) {
        problems.push({ file: doc.file, line: doc.line, message: `${report.kind} "${report.name}"${atPath(report.podSpecPath)}: ${report.invalid}` });
      }
    }
  }
  writer.end();
  for (const warning of warnings) {
    io.stderr(`sidecar-first: warning: ${printable(warning)}\n`);
  }
  for (const problem of problems) {
    io.stderr(`${printable(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`)}\n`);
  }
  if (problems.some(p => !p.skipped)) {
    return 2;
  }
  return failed || (values['require-ready'] === true && notWaiting) ? 1 : 0;
}
