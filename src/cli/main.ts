/**
 * `sidecar-first check [options] PATH...`: says, for every workload in the
 * given manifests, whether its app really waits for its sidecars.
 * @internal
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { parseArgs as parseOptions } from 'util';
import { policyCommand, POLICY_USAGE } from './policy-command';
import { atPath, jsonWriter, LocatedReport, mermaidWriter, printable, ReportWriter, StartStep, tableWriter } from './report-format';
import { DocumentLimits } from '../analyzer/json-stream';
import { DEFAULT_LIMITS, InputError, readInputs } from '../analyzer/manifest-reader';
import { analyzeDocument } from '../analyzer/sidecar-analyzer';
import { isLibraryError } from '../private/errors';
import { ManifestPodSpec } from '../private/rules/kubelet-rules';
import { KubernetesVersion, requireKubernetesVersion } from '../private/rules/kubernetes-version';

/* eslint-disable @typescript-eslint/no-explicit-any */

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
postStart hook polls, and the containers named with --sidecar.

Options:
  -o, --format table|json|mermaid   output (default: table)
  --require-ready               exit 1 if any app does not wait for a sidecar to be ready
  --kubernetes-version V        oldest Kubernetes version of API server and nodes, e.g. 1.28
                                or 1.33.6 (default: judged for the newest; findings SF200
                                say what differs on older versions)
  --max-document-mib N          largest document, or item of a List, to read (default: 256,
                                at most 512); a larger one is an error (exit 2) and the
                                rest of its input is not read
  --sidecar NAME                also treat container NAME as a sidecar (repeatable; the pod
                                annotation sidecar-first.dev/sidecars: a,b does the same)
  --version                     print the version
  -h, --help                    this text

Findings have stable IDs (SF101...): see the README, section Findings.

sidecar-first policy [options] prints the same rules as an admission policy
for the API server to enforce (sidecar-first policy --help).

Exit status: 0 fine; 1 --require-ready and an app does not wait; 2 unreadable
or invalid input (reported as file:line, after the readable documents).`;

/** What the CLI writes to; a test can capture it. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => AsyncIterable<string | Buffer>;
}

const PROCESS_IO: CliIo = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  stdin: () => process.stdin,
};

interface Options {
  format: string;
  requireReady: boolean;
  kubernetesVersion?: KubernetesVersion;
  sidecars: string[];
  limits: DocumentLimits;
  paths: string[];
  version: boolean;
  help: boolean;
}

const WRITERS: { readonly [format: string]: (out: (text: string) => void) => ReportWriter } = {
  table: tableWriter,
  json: jsonWriter,
  mermaid: mermaidWriter,
};

/**
 * Runs the CLI; resolves to the exit status.
 */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  if (argv[0] === 'policy') {
    return runPolicyCommand(argv.slice(1), io);
  }
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (e: any) {
    // The library's own errors already say where: "sidecar-first: --kubernetes-version is ...".
    io.stderr(`${isLibraryError(e) ? '' : 'sidecar-first: '}${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.version) {
    io.stdout(`sidecar-first ${packageVersion()}\n`);
    return 0;
  }
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const writer = WRITERS[options.format](io.stdout);
  const problems: InputError[] = [];
  let notWaiting = false;
  for await (const event of readInputs(options.paths, io.stdin, options.limits)) {
    if ('error' in event) {
      problems.push(event.error);
      continue;
    }
    const doc = event.document;
    for (const { report, spec } of analyzeDocument(doc.value, options.sidecars, options.kubernetesVersion)) {
      const located: LocatedReport = { file: doc.file, document: doc.document, line: doc.line, ...report };
      writer.write(located, () => startSequence(spec, located));
      notWaiting ||= report.sidecars.some(s => !s.appWaitsForReady);
      if (report.invalid) {
        problems.push({ file: doc.file, line: doc.line, message: `${report.kind} "${report.name}"${atPath(report.podSpecPath)}: ${report.invalid}` });
      }
    }
  }
  writer.end();
  for (const problem of problems) {
    io.stderr(`${printable(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`)}\n`);
  }
  if (problems.some(p => !p.skipped)) {
    return 2;
  }
  return options.requireReady && notWaiting ? 1 : 0;
}

/** `policy`: its options parsed by util.parseArgs, then policy-command.ts. */
function runPolicyCommand(args: readonly string[], io: CliIo): number {
  let values: any;
  try {
    values = parseOptions({
      args: [...args],
      options: {
        'action': { type: 'string', multiple: true, default: [] },
        'namespace-label': { type: 'string', multiple: true, default: [] },
        'pods-only': { type: 'boolean', default: false },
        'name': { type: 'string' },
        'params-namespace': { type: 'string' },
        'sidecar-name': { type: 'string', multiple: true, default: [] },
        'sidecar-image': { type: 'string', multiple: true, default: [] },
        'kubernetes-version': { type: 'string' },
        'help': { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e: any) {
    io.stderr(`sidecar-first policy: ${e.message}\n\n${POLICY_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${POLICY_USAGE}\n`);
    return 0;
  }
  return policyCommand({
    actions: values.action,
    namespaceLabels: values['namespace-label'],
    podsOnly: values['pods-only'],
    name: values.name,
    paramsNamespace: values['params-namespace'],
    sidecarNames: values['sidecar-name'],
    sidecarImages: values['sidecar-image'],
    kubernetesVersion: values['kubernetes-version'],
  }, io);
}

function packageVersion(): string {
  // lib/cli/main.js and src/cli/main.ts both sit two levels below the package root.
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

function parseArgs(argv: readonly string[]): Options {
  const [command, ...rest] = argv;
  const options: Options = { format: 'table', requireReady: false, sidecars: [], limits: DEFAULT_LIMITS, paths: [], version: false, help: false };
  if (command === '--version') {
    return { ...options, version: true };
  }
  if (command === '-h' || command === '--help') {
    return { ...options, help: true };
  }
  if (command === undefined) {
    throw new Error('no command given');
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
    if (arg === '--format' || arg === '-o') {
      options.format = value();
      if (!Object.prototype.hasOwnProperty.call(WRITERS, options.format)) {
        throw new Error(`--format is "${options.format}"; use table, json or mermaid`);
      }
    } else if (arg === '--require-ready') {
      options.requireReady = true;
    } else if (arg === '--kubernetes-version') {
      options.kubernetesVersion = requireKubernetesVersion('sidecar-first', arg, value());
    } else if (arg === '--max-document-mib') {
      const mib = value();
      // 512 MiB: the longest string V8 holds.
      if (!/^[1-9][0-9]{0,2}$/.test(mib) || Number(mib) > 512) {
        throw new Error(`--max-document-mib is "${mib}"; give a whole number of MiB from 1 to 512`);
      }
      options.limits = { ...options.limits, maxSize: Number(mib) * 2 ** 20 };
    } else if (arg === '--sidecar') {
      options.sidecars.push(value());
    } else if (arg === '--version') {
      options.version = true;
    } else if (arg === '-h' || arg === '--help') {
      return { ...options, help: true };
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new Error(`unknown option "${arg}"`);
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0 && !options.version) {
    throw new Error('check needs a PATH (a file, a directory or - for standard input)');
  }
  return options;
}

/** The containers of a pod in the order the kubelet starts them, with their roles. */
function startSequence(spec: ManifestPodSpec, report: LocatedReport): StartStep[] {
  const sidecars = new Set(report.sidecars.map(s => s.name));
  return [
    ...(spec.initContainers ?? []).map(c => ({ name: c.name, role: sidecars.has(c.name) ? 'sidecar' as const : 'init' as const })),
    ...spec.containers.map(c => ({ name: c.name, role: sidecars.has(c.name) ? 'sidecar' as const : 'app' as const })),
  ];
}
