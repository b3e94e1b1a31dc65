/**
 * `sidecar-first observe [options] PATH...`: says what happened to each sidecar
 * of running pods, from what kubectl fetches (docs/observe.md).
 * @internal
 */
import { ANALYSIS_OPTIONS, kubernetesVersionOption, loadAnalysisSettings } from './analysis-settings';
import { LocatedObservation, observationJson, observationMermaid, observationTable, ObservationFormatter } from './observe-format';
import { printable } from './report-format';
import { CliIo, ParsedArgs, Subcommand, UsageError } from './subcommand';
import { InputError, readInputs } from '../analyzer/manifest-reader';
import { Outcome } from '../analyzer/observe/observation';
import { HistoryCollector, HistoryError } from '../analyzer/observe/pod-history';
import { observePod } from '../analyzer/observe/pod-observer';

const USAGE = `Usage: sidecar-first observe [options] PATH...

Says what happened to each sidecar of running pods: whether the app started
after the sidecar was ready, from what the API server keeps. Beside each
verdict, what "sidecar-first check" says the pod's spec promises.

PATH is a file, a directory or - for standard input, holding what kubectl prints:
  kubectl get pods -o json                 statuses only
  kubectl get pods,events -o json          statuses and events (events expire after an hour)
  kubectl get pods --watch -o json         every change of the pods, in order
Several statuses of the same pod are read as a watch, in the order given.

What happened:
  held             every app container started after the sidecar was ready
  raced            an app container ran while the sidecar was not ready yet
  crashed-waiting  an app container exited and restarted before the sidecar was ready
  gave-up          the sidecar's postStart hook failed and the app started anyway
  restarting       the sidecar was killed and restarted before it was ready; the app waits
  not-started      the pod or its app has not started yet
  unknown          the data cannot tell: "missing" says which command collects what would

Options:
  -o, --format table|json|mermaid   output (default: table; mermaid: a Gantt timeline)
  --require-held                exit 1 unless every sidecar was held
  --sidecar NAME                also treat container NAME as a sidecar (repeatable)
  --sidecar-image PATTERN       also treat containers whose image matches as sidecars,
                                e.g. '*/my-proxy:*' (repeatable)
  --kubernetes-version V        oldest Kubernetes version of API server and nodes (for check's verdict)
  --config FILE                 settings file (default: the nearest .sidecar-first.yaml
                                up from the working directory): sidecars, sidecarImages,
                                kubernetesVersion and ignore, as check reads them
  -h, --help                    this text

Exit status: 0 fine; 1 --require-held and a sidecar was not held; 2 unreadable
or invalid input (reported as file:line, after the readable pods) or a bad
settings file (file:line:col).`;

const FORMATS: { readonly [format: string]: ObservationFormatter } = {
  table: observationTable,
  json: observationJson,
  mermaid: observationMermaid,
};

/** `sidecar-first observe`. @internal */
export const OBSERVE: Subcommand = {
  name: 'observe',
  summary: 'says what happened in running pods: was each app held until its sidecar was ready (sidecar-first observe --help)',
  usage: USAGE,
  options: {
    'format': { type: 'string', short: 'o' },
    'require-held': { type: 'boolean' },
    ...ANALYSIS_OPTIONS,
  },
  run: observe,
};

async function observe({ values, positionals }: ParsedArgs, io: CliIo): Promise<number> {
  const formatName = (values.format ?? 'table') as string;
  if (!Object.prototype.hasOwnProperty.call(FORMATS, formatName)) {
    throw new UsageError(`--format is "${formatName}"; use table, json or mermaid`);
  }
  const version = kubernetesVersionOption(values);
  if (positionals.length === 0) {
    throw new UsageError('observe needs a PATH (a file of kubectl get pods,events -o json, a directory or - for standard input)');
  }
  const analysis = loadAnalysisSettings(values, io, version);
  if (analysis === undefined) {
    return 2;
  }
  const collector = new HistoryCollector();
  const problems: InputError[] = [];
  for await (const event of readInputs(positionals, io.stdin)) {
    if ('error' in event) {
      problems.push(event.error);
      continue;
    }
    const doc = event.document;
    try {
      collector.add(doc.value, { file: doc.file, line: doc.line });
    } catch (e) {
      if (!(e instanceof HistoryError)) {
        throw e;
      }
      problems.push({ file: doc.file, line: doc.line, message: e.message });
    }
  }
  const pods: LocatedObservation[] = collector.histories().map(h => {
    const latest = h.frames[h.frames.length - 1];
    return { file: latest.file, line: latest.line, ...observePod(h, analysis.options), statuses: h.frames };
  });
  io.stdout(FORMATS[formatName](pods));
  for (const warning of analysis.warnings) {
    io.stderr(`sidecar-first: warning: ${printable(warning)}\n`);
  }
  for (const problem of problems) {
    io.stderr(`${printable(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`)}\n`);
  }
  if (problems.some(p => !p.skipped)) {
    return 2;
  }
  const notHeld = pods.some(p => p.sidecars.some(s => s.outcome !== Outcome.HELD));
  return values['require-held'] && notHeld ? 1 : 0;
}
