/**
 * `sidecar-first observe [options] PATH...`: says what happened to each sidecar
 * of running pods, from what kubectl fetches (docs/observe.md).
 * @internal
 */
import { parseArgs } from 'util';
import type { CliIo } from './main';
import { LocatedObservation, observationJson, observationMermaid, observationTable, ObservationFormatter } from './observe-format';
import { printable } from './report-format';
import { InputError, readInputs } from '../analyzer/manifest-reader';
import { Outcome } from '../analyzer/observe/observation';
import { HistoryCollector, HistoryError } from '../analyzer/observe/pod-history';
import { observePod } from '../analyzer/observe/pod-observer';
import { isLibraryError } from '../private/errors';
import { KubernetesVersion, requireKubernetesVersion } from '../private/rules/kubernetes-version';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const OBSERVE_USAGE = `Usage: sidecar-first observe [options] PATH...

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
  --kubernetes-version V        oldest Kubernetes version of API server and nodes (for check's verdict)
  -h, --help                    this text

Exit status: 0 fine; 1 --require-held and a sidecar was not held; 2 unreadable
or invalid input (reported as file:line, after the readable pods).`;

const FORMATS: { readonly [format: string]: ObservationFormatter } = {
  table: observationTable,
  json: observationJson,
  mermaid: observationMermaid,
};

interface ObserveOptions {
  readonly format: ObservationFormatter;
  readonly requireHeld: boolean;
  readonly sidecars: string[];
  readonly kubernetesVersion?: KubernetesVersion;
  readonly paths: string[];
  readonly help: boolean;
}

function options(argv: readonly string[]): ObserveOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'format': { type: 'string', short: 'o', default: 'table' },
      'require-held': { type: 'boolean', default: false },
      'sidecar': { type: 'string', multiple: true, default: [] },
      'kubernetes-version': { type: 'string' },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  });
  const format = values.format!;
  if (!Object.prototype.hasOwnProperty.call(FORMATS, format)) {
    throw new Error(`--format is "${format}"; use table, json or mermaid`);
  }
  const version = values['kubernetes-version'];
  const parsed = {
    format: FORMATS[format],
    requireHeld: values['require-held']!,
    sidecars: values.sidecar!,
    ...(version !== undefined ? { kubernetesVersion: requireKubernetesVersion('sidecar-first', '--kubernetes-version', version) } : {}),
    paths: positionals,
    help: values.help!,
  };
  if (!parsed.help && positionals.length === 0) {
    throw new Error('observe needs a PATH (a file of kubectl get pods,events -o json, a directory or - for standard input)');
  }
  return parsed;
}

/**
 * Runs `observe` (argv without the command); resolves to the exit status.
 */
export async function observeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let opts: ObserveOptions;
  try {
    opts = options(argv);
  } catch (e: any) {
    // util.parseArgs's own messages name the option; the library's errors say where already.
    io.stderr(`${isLibraryError(e) ? '' : 'sidecar-first observe: '}${e.message}\n\n${OBSERVE_USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    io.stdout(`${OBSERVE_USAGE}\n`);
    return 0;
  }
  const collector = new HistoryCollector();
  const problems: InputError[] = [];
  for await (const event of readInputs(opts.paths, io.stdin)) {
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
    return { file: latest.file, line: latest.line, ...observePod(h, opts.sidecars, opts.kubernetesVersion), statuses: h.frames };
  });
  io.stdout(opts.format(pods));
  for (const problem of problems) {
    io.stderr(`${printable(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`)}\n`);
  }
  if (problems.some(p => !p.skipped)) {
    return 2;
  }
  const notHeld = pods.some(p => p.sidecars.some(s => s.outcome !== Outcome.HELD));
  return opts.requireHeld && notHeld ? 1 : 0;
}
