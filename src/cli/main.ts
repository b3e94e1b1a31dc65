/**
 * `sidecar-first check [options] PATH...`: says, for every workload in the
 * given manifests, whether its app really waits for its sidecars.
 * @internal
 */
import { readInputs } from './manifest-reader';
import { formatJson, formatMermaid, formatTable, LocatedReport } from './report-format';
import { SidecarAnalyzer } from '../analyzer/sidecar-analyzer';
import { expandList, podSpecOf } from '../private/rules/pod-template';

/* eslint-disable @typescript-eslint/no-explicit-any */

const USAGE = `Usage: sidecar-first check [options] PATH...

Says, for every workload in the manifests, whether its app waits for each
sidecar to be ready, and what happens if the sidecar never gets ready.

PATH is a file, a directory (searched for .yaml, .yml and .json files) or -
for standard input. Multi-document YAML and kind: List are read; Pod,
Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob and
ReplicationController are analyzed, other kinds skipped.

Options:
  --format table|json|mermaid   output (default: table)
  --require-ready               exit 1 if any app does not wait for a sidecar to be ready
  --kubernetes-version V        oldest Kubernetes version of API server and nodes, e.g. 1.28
  --sidecar NAME                also treat container NAME as a sidecar (repeatable; the pod
                                annotation sidecar-first.dev/sidecars: a,b does the same)
  -h, --help                    this text

Exit status: 0 fine; 1 --require-ready and an app does not wait; 2 unreadable
or invalid input (reported as file:line, after the readable documents).`;

/** What the CLI writes to; a test can capture it. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => Promise<string>;
}

const PROCESS_IO: CliIo = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  },
};

interface Options {
  format: string;
  requireReady: boolean;
  kubernetesVersion?: string;
  sidecars: string[];
  paths: string[];
}

/**
 * Runs the CLI; resolves to the exit status.
 */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (e: any) {
    io.stderr(`sidecar-first: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.paths.length === 0) {
    io.stdout(`${USAGE}\n`);
    return argv.includes('-h') || argv.includes('--help') ? 0 : 2;
  }
  const { documents, errors } = await readInputs(options.paths, io.stdin);
  const reports: LocatedReport[] = [];
  const specs = new Map<LocatedReport, any>();
  for (const doc of documents) {
    for (const item of expandList(doc.value)) {
      let analyzed;
      try {
        analyzed = SidecarAnalyzer.analyzeManifests([item], { kubernetesVersion: options.kubernetesVersion, sidecars: options.sidecars });
      } catch (e: any) {
        io.stderr(`sidecar-first: ${e.message}\n`);
        return 2;
      }
      for (const report of analyzed) {
        const located = { ...report, document: doc.document, file: doc.file, line: doc.line };
        reports.push(located);
        specs.set(located, podSpecOf(item));
        if (report.invalid) {
          errors.push({ file: doc.file, line: doc.line, message: `${report.kind} "${report.name}": ${report.invalid}` });
        }
      }
    }
  }
  switch (options.format) {
    case 'json':
      io.stdout(`${formatJson(reports)}\n`);
      break;
    case 'mermaid':
      io.stdout(`${formatMermaid(reports.filter(r => !r.invalid), r => startSequence(specs.get(r), r))}\n`);
      break;
    default:
      io.stdout(`${formatTable(reports)}\n`);
  }
  for (const error of errors) {
    io.stderr(`${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}\n`);
  }
  if (errors.length > 0) {
    return 2;
  }
  return options.requireReady && reports.some(r => r.sidecars.some(s => !s.appWaitsForReady)) ? 1 : 0;
}

function parseArgs(argv: readonly string[]): Options {
  const [command, ...rest] = argv;
  const options: Options = { format: 'table', requireReady: false, sidecars: [], paths: [] };
  if (command === '-h' || command === '--help' || command === undefined) {
    return options;
  }
  if (command !== 'check') {
    throw new Error(`unknown command "${command}"`);
  }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) {
        throw new Error(`${arg} needs a value`);
      }
      return rest[++i];
    };
    if (arg === '--format') {
      options.format = value();
      if (!['table', 'json', 'mermaid'].includes(options.format)) {
        throw new Error(`--format is "${options.format}"; use table, json or mermaid`);
      }
    } else if (arg === '--require-ready') {
      options.requireReady = true;
    } else if (arg === '--kubernetes-version') {
      options.kubernetesVersion = value();
    } else if (arg === '--sidecar') {
      options.sidecars.push(value());
    } else if (arg === '-h' || arg === '--help') {
      return { ...options, paths: [] };
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new Error(`unknown option "${arg}"`);
    } else {
      options.paths.push(arg);
    }
  }
  return options;
}

/** The containers of a pod in the order the kubelet starts them, with their roles. */
function startSequence(spec: any, report: LocatedReport): Array<{ name: string; role: string }> {
  const sidecars = new Set(report.sidecars.map(s => s.name));
  const role = (name: string, other: string) => (sidecars.has(name) ? 'sidecar' : other);
  return [
    ...(spec.initContainers ?? []).map((c: any) => ({ name: c.name, role: role(c.name, 'init') })),
    ...spec.containers.map((c: any) => ({ name: c.name, role: role(c.name, 'app') })),
  ];
}
