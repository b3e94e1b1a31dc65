/**
 * The analysis half of `npm run bench`: `sidecar-first check` on
 *
 * 1. a stream of 10,000 pod-bearing YAML documents: throughput, against
 *    parsing the same YAML alone;
 * 2. one pod of 20,000 containers: no step may grow faster than the pod;
 * 3. a 100 MB stream, generated as it is read, in a process of its own:
 *    peak memory must follow the largest document, not the stream.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as jsYaml from 'js-yaml';
import { parseAllDocuments, stringify } from 'yaml';
import { SidecarAnalyzer } from '../src/analyzer/sidecar-analyzer';
import { main } from '../src/cli/main';

/* eslint-disable no-console */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fixed = (x: number, digits = 1) => x.toFixed(digits);
const mib = (bytes: number) => bytes / 2 ** 20;

/** Document i of a stream: native-gated, legacy-gated and ungated sidecars, in turn. */
function manifest(i: number): string {
  const sidecar = [
    '      initContainers:\n        - name: proxy\n          image: envoy\n          restartPolicy: Always\n          startupProbe: { httpGet: { path: /ready, port: 9901 }, periodSeconds: 1 }\n',
    '',
    '      initContainers:\n        - name: shipper\n          image: fluent-bit\n          restartPolicy: Always\n          readinessProbe: { httpGet: { path: /, port: 2020 } }\n',
  ][i % 3];
  const legacy = i % 3 === 1 ? '        - name: proxy\n          image: envoy\n          lifecycle: { postStart: { exec: { command: [pilot-agent, wait] } } }\n' : '';
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: team-${i % 7}\nspec:\n  replicas: 2\n`
    + `  selector: { matchLabels: { app: app-${i} } }\n  template:\n    metadata:\n      labels: { app: app-${i} }\n    spec:\n${sidecar}`
    + `      containers:\n${legacy}        - name: app\n          image: ghcr.io/example/app:${i}\n          ports: [{ containerPort: 8080 }]\n`
    + '          resources: { requests: { cpu: 100m, memory: 128Mi } }\n';
}

function manifestStream(count: number): string {
  return Array.from({ length: count }, (_, i) => manifest(i)).join('---\n');
}

/** Runs `sidecar-first check ARGS -` on the chunks, counting output bytes without keeping them. */
async function check(args: string[], chunks: () => AsyncIterable<string>): Promise<{ code: number; outputBytes: number; stderr: string }> {
  let outputBytes = 0;
  let stderr = '';
  const code = await main(['check', ...args, '-'], { stdout: t => (outputBytes += t.length), stderr: t => (stderr += t), stdin: chunks });
  return { code, outputBytes, stderr };
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/**
 * `check` against the YAML parsers' load alone on the same text, side by
 * side in one run (alternating which goes first): js-yaml (the fastest
 * measured; `check` reads with it, with kubectl's YAML 1.1 schema) and yaml.
 * Goal: check within 1.5x of the fastest load alone.
 */
async function throughput(): Promise<void> {
  const count = 10000;
  const text = manifestStream(count);
  console.log(`## Analysis: ${count} pod-bearing documents (${fixed(mib(text.length))} MiB of YAML), as \`sidecar-first check\` reads them (load average ${os.loadavg()[0].toFixed(1)})`);
  const sides: Array<[string, () => Promise<number>]> = [
    ['js-yaml loadAll (default schema), load alone', async () => jsYaml.loadAll(text).length],
    ['yaml parseAllDocuments + toJS, load alone', async () => parseAllDocuments(text).map(d => d.toJS()).length],
    ['sidecar-first check: read + analyze + JSON out', async () => (await check(['--format', 'json'], () => once(text))).outputBytes],
  ];
  const times: number[][] = sides.map(() => []);
  const timed = async (f: () => Promise<number>) => {
    const t = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const [, f] of sides) {
    await f(); // warm-up
  }
  for (let r = 0; r < 7; r++) {
    // Rotate which side goes first.
    for (let k = 0; k < sides.length; k++) {
      const i = (k + r) % sides.length;
      times[i].push(await timed(sides[i][1]));
    }
  }
  const medians = times.map(median);
  const fastest = Math.min(...medians.slice(0, 2));
  for (const [i, [name]] of sides.entries()) {
    console.log(`${name.padEnd(50)}${fixed(medians[i]).padStart(9)} ms  ${fixed(medians[i] / fastest, 2)}x the fastest load`);
  }
  const f = medians[2];
  console.log(`check / fastest load alone: ${fixed(f / fastest, 2)} (goal <= 1.5); throughput ${Math.round(count / (f / 1000))} documents/s, ${fixed(mib(text.length) / (f / 1000))} MiB/s\n`);
}

async function bigPod(): Promise<void> {
  const rows: string[] = [];
  const timed = async (f: () => unknown) => {
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = process.hrtime.bigint();
      await f();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return median(times);
  };
  for (const n of [5000, 10000, 20000]) {
    // Half native sidecars with a startupProbe, half app containers.
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'big' },
      spec: {
        initContainers: Array.from({ length: n / 2 }, (_, i) => ({ name: `s${i}`, restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } })),
        containers: Array.from({ length: n / 2 }, (_, i) => ({ name: `a${i}`, image: 'app' })),
      },
    };
    const yaml = stringify(pod);
    const json = JSON.stringify(pod, undefined, 2);
    const cells = [
      await timed(() => SidecarAnalyzer.analyzeManifests([pod])),
      await timed(() => check(['--format', 'json'], () => once(json))),
      await timed(() => check(['--format', 'mermaid'], () => once(json))),
      await timed(() => check(['--format', 'table'], () => once(yaml))),
      await timed(() => parseAllDocuments(yaml).map(d => d.toJS())),
    ];
    rows.push(`${String(n).padEnd(8)}${cells.map(c => fixed(c).padEnd(17)).join('')}`.trimEnd());
  }
  console.log('## One pod with N containers (half native sidecars), times in ms: the analyzer alone, `sidecar-first check` on it as JSON and YAML');
  console.log(`N       ${['analyze alone', 'JSON, -o json', 'JSON, mermaid', 'YAML, table', 'YAML parse only'].map(h => h.padEnd(17)).join('')}`.trimEnd());
  rows.forEach(r => console.log(r));
  console.log('');
}

/** In a child process: check a generated stream of `targetMb` MiB, print peak RSS. */
async function streamChild(targetMb: number): Promise<void> {
  const target = targetMb * 2 ** 20;
  let produced = 0;
  let documents = 0;
  async function* generate(): AsyncGenerator<string> {
    while (produced < target) {
      // 256 documents per chunk, as a pipe would deliver them.
      const chunk = Array.from({ length: 256 }, () => `${manifest(documents++)}---\n`).join('');
      produced += chunk.length;
      yield chunk;
    }
  }
  const t = process.hrtime.bigint();
  const result = await check(['--format', 'json'], generate);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const maxRssMib = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mib: mib(produced), documents, ms, code: result.code, outputMib: mib(result.outputBytes), maxRssMib }));
}

function stream(): void {
  console.log('## A generated stream through `sidecar-first check -o json -`, each size in a fresh process');
  console.log('stream (MiB)  documents  time (s)  MiB/s  JSON out (MiB)  peak RSS (MiB)');
  for (const size of [10, 100]) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, BENCH_STREAM_MIB: String(size) }, encoding: 'utf8', maxBuffer: 2 ** 20,
    });
    const line = child.stdout.trim().split('\n').pop()!;
    if (child.status !== 0 || !line.startsWith('{')) {
      throw new Error(`stream bench failed: ${child.stderr}`);
    }
    const r = JSON.parse(line);
    console.log(`${fixed(r.mib).padEnd(14)}${String(r.documents).padEnd(11)}${fixed(r.ms / 1000).padEnd(10)}${fixed(r.mib / (r.ms / 1000)).padEnd(7)}`
      + `${fixed(r.outputMib).padEnd(16)}${fixed(r.maxRssMib)}`);
  }
  console.log('');
}

/** A Deployment as `kubectl get -o json` prints it, with the fields the API server adds. */
function clusterDeployment(i: number): any {
  const labels = { 'app': `app-${i}`, 'app.kubernetes.io/part-of': `team-${i % 7}` };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ kind: 'Deployment', metadata: { name: `app-${i}`, labels } }) },
      creationTimestamp: '2026-11-02T10:00:00Z',
      generation: 3,
      labels,
      name: `app-${i}`,
      namespace: `team-${i % 7}`,
      resourceVersion: String(100000 + i),
      uid: `6f1c2e3a-0000-4000-8000-${String(i).padStart(12, '0')}`,
    },
    spec: {
      progressDeadlineSeconds: 600,
      replicas: 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: `app-${i}` } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: {
          initContainers: [{
            name: 'proxy',
            image: 'envoyproxy/envoy:v1.31',
            restartPolicy: i % 2 ? 'Always' : undefined,
            imagePullPolicy: 'IfNotPresent',
            startupProbe: { httpGet: { path: '/ready', port: 9901, scheme: 'HTTP' }, periodSeconds: 1, failureThreshold: 120, successThreshold: 1, timeoutSeconds: 1 },
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          }],
          containers: [{
            name: 'app',
            image: `ghcr.io/example/app:${i}`,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            env: [{ name: 'MODE', value: 'production' }, { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
            resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1 },
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          }],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: {
      availableReplicas: 2,
      observedGeneration: 3,
      readyReplicas: 2,
      replicas: 2,
      updatedReplicas: 2,
      conditions: [
        { lastTransitionTime: '2026-11-02T10:00:00Z', lastUpdateTime: '2026-11-02T10:00:00Z', message: 'Deployment has minimum availability.', reason: 'MinimumReplicasAvailable', status: 'True', type: 'Available' },
        { lastTransitionTime: '2026-11-02T10:00:00Z', lastUpdateTime: '2026-11-02T10:01:00Z', message: `ReplicaSet "app-${i}-5d4f8b7c9" has successfully progressed.`, reason: 'NewReplicaSetAvailable', status: 'True', type: 'Progressing' },
      ],
    },
  };
}

/** Writes `kubectl get -A -o json` (4-space indent) or `-o yaml` of N Deployments to a file, item by item. */
function writeList(file: string, n: number, format: 'json' | 'yaml'): number {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, format === 'json' ? '{\n    "apiVersion": "v1",\n    "items": [\n' : 'apiVersion: v1\nitems:\n');
  for (let i = 0; i < n; i++) {
    const item = clusterDeployment(i);
    fs.writeSync(fd, format === 'json'
      ? `${i ? ',\n' : ''}${JSON.stringify(item, undefined, 4).replace(/^/gm, '        ')}`
      : stringify([item]));
  }
  fs.writeSync(fd, format === 'json' ? '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n' : 'kind: List\nmetadata:\n  resourceVersion: ""\n');
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

/** Runs a command to its end; its wall time and peak RSS (VmHWM, polled from /proc), and its standard error. */
function measure(command: string, args: string[]): Promise<{ seconds: number; peakMib: number; code: number | null; stderr: string }> {
  return new Promise(resolve => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', d => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        peak = Math.max(peak, m ? Number(m[1]) / 1024 : 0);
      } catch {
        // exited
      }
    }, 20);
    child.on('exit', code => {
      clearInterval(poll);
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakMib: peak, code, stderr });
    });
  });
}

const CLI = path.join(__dirname, '..', 'lib', 'cli', 'main.js');

/** `kubectl get -A -o json|yaml` of 50,000 Deployments through the shipped CLI (lib/, `npx projen compile` first), and one long line. */
async function clusterLists(): Promise<void> {
  if (!fs.existsSync(CLI)) {
    console.log('## Lists: skipped (lib/cli/main.js missing: run `npx projen compile` first)\n');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bench-'));
  const run = (file: string) => measure(process.execPath, ['-e', `require(${JSON.stringify(CLI)}).main(['check', ${JSON.stringify(file)}]).then(c => process.exit(c))`]);
  try {
    const n = Number(process.env.BENCH_LIST_ITEMS ?? 50000);
    console.log(`## \`kubectl get -A -o json|yaml\` of ${n} Deployments as one List, through \`sidecar-first check\` (a fresh process each; load average ${os.loadavg()[0].toFixed(1)})`);
    console.log('input                 size (MiB)  time (s)  peak RSS (MiB)  exit  JSON.parse alone (s, peak MiB)');
    // BENCH_LIST_FORMATS=json skips the YAML List, which takes minutes.
    const seconds: { [format: string]: number } = {};
    for (const format of (process.env.BENCH_LIST_FORMATS ?? 'json,yaml').split(',') as Array<'json' | 'yaml'>) {
      const file = path.join(dir, `list.${format}`);
      const bytes = writeList(file, n, format);
      const r = await run(file);
      seconds[format] = r.seconds;
      let parse = '';
      if (format === 'json') {
        const p = await measure(process.execPath, ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`]);
        parse = `${fixed(p.seconds, 2)}, ${fixed(p.peakMib)} (check/parse ${fixed(r.seconds / p.seconds, 2)}x)`;
      }
      console.log(`List as ${format.toUpperCase()}          ${fixed(mib(bytes)).padEnd(12)}${fixed(r.seconds, 2).padEnd(10)}${fixed(r.peakMib).padEnd(16)}${String(r.code).padEnd(6)}${parse}`);
      fs.rmSync(file);
    }
    if (seconds.json && seconds.yaml) {
      console.log(`YAML List / JSON List: ${fixed(seconds.yaml / seconds.json, 2)} (goal <= 3)`);
    }
    console.log('\n## One document on a single line (a long annotation), through `sidecar-first check`');
    console.log('line (MiB)  time (s)  s per MiB  peak RSS (MiB)');
    for (const size of [25, 50, 100]) {
      const file = path.join(dir, 'line.yaml');
      fs.writeFileSync(file, `kind: Pod\nmetadata: { name: p, annotations: { a: "${'y'.repeat(size * 2 ** 20)}" } }\nspec: { containers: [{ name: app }] }\n`);
      const r = await run(file);
      console.log(`${String(size).padEnd(12)}${fixed(r.seconds, 2).padEnd(10)}${fixed(r.seconds / size, 3).padEnd(11)}${fixed(r.peakMib)}${r.code ? ` (exit ${r.code}: ${r.stderr.trim()})` : ''}`);
      fs.rmSync(file);
    }
    console.log('');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The analysis benchmarks, in order. */
export async function benchAnalysis(): Promise<void> {
  await throughput();
  await bigPod();
  stream();
  await clusterLists();
}

if (process.env.BENCH_STREAM_MIB) {
  void streamChild(Number(process.env.BENCH_STREAM_MIB));
} else if (process.env.BENCH_ONLY === 'lists') {
  void clusterLists();
} else if (process.env.BENCH_ONLY === 'yaml') {
  // The YAML ratios alone: the 10,000-document stream, then the Lists.
  void throughput().then(clusterLists);
} else if (require.main === module) {
  void benchAnalysis();
}
