/**
 * The analysis half of `npm run bench`: `sidecar-first check` on
 *
 * 1. a stream of 10,000 pod-bearing YAML documents: throughput, against
 *    parsing the same YAML alone;
 * 2. one pod of 20,000 containers: no step may grow faster than the pod;
 * 3. a 100 MB stream, generated as it is read, in a process of its own:
 *    peak memory must follow the largest document, not the stream.
 */
import { spawnSync } from 'child_process';
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

async function throughput(): Promise<void> {
  const count = 10000;
  const text = manifestStream(count);
  console.log(`## Analysis: ${count} pod-bearing documents (${fixed(mib(text.length))} MiB of YAML), as \`sidecar-first check\` reads them`);
  const parseOnly = async () => parseAllDocuments(text).map(d => d.toJS()).length;
  const analyze = async () => (await check(['--format', 'json'], () => once(text))).outputBytes;
  await parseOnly();
  await analyze(); // warm-up
  const parse: number[] = [];
  const full: number[] = [];
  const timed = async (f: () => Promise<number>) => {
    const t = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (let r = 0; r < 7; r++) {
    // Alternate which side goes first.
    if (r % 2 === 0) {
      parse.push(await timed(parseOnly)); full.push(await timed(analyze));
    } else {
      full.push(await timed(analyze)); parse.push(await timed(parseOnly));
    }
  }
  const [p, f] = [median(parse), median(full)];
  console.log(`parse alone: ${fixed(p)} ms; read + analyze + JSON out: ${fixed(f)} ms; ratio ${fixed(f / p, 2)}`);
  console.log(`throughput: ${Math.round(count / (f / 1000))} documents/s, ${fixed(mib(text.length) / (f / 1000))} MiB/s\n`);
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

/** The analysis benchmarks, in order. */
export async function benchAnalysis(): Promise<void> {
  await throughput();
  await bigPod();
  stream();
}

if (process.env.BENCH_STREAM_MIB) {
  void streamChild(Number(process.env.BENCH_STREAM_MIB));
} else if (require.main === module) {
  void benchAnalysis();
}
