/**
 * `npm run bench`: what the library costs, printed as figures (not part of `npm test`).
 *
 * 1. Synthesis: N SidecarFirstDeployments with two sidecars (an HTTP and a TCP
 *    check) against the same N Deployments written by hand with cdk8s-plus-28,
 *    in one process, alternating the two sides after a warm-up; both sides must
 *    give byte-identical YAML. Two figures: construct + `chart.toJson()` (what
 *    the library adds: validation, plan, patches, synth-time checks; goal
 *    <= 1.10x), and construct + full YAML (`app.synthYaml()`, as `cdk8s synth`).
 * 2. Analysis (analysis.ts): 10,000 documents, a pod of 20,000 containers and
 *    a 100 MB stream through `sidecar-first check`; `check` against the YAML
 *    parsers' load alone, and the YAML List against the JSON one, as ratios
 *    (BENCH_ONLY=yaml: these alone).
 * 3. The postStart wait hook (wait-hook.ts): how late it notices a ready
 *    server, in dash and busybox sh (BENCH_ONLY=wait-hook: this alone).
 */
import * as os from 'os';
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { benchAnalysis } from './analysis';
import { benchWaitHook } from './wait-hook';
import { ReadinessCheck, SidecarFirstDeployment } from '../src';

/* eslint-disable no-console */

const gc = (global as any).gc as (() => void) | undefined;
if (!gc) {
  throw new Error('run with node --expose-gc (npm run bench does)');
}

const APP: kplus.ContainerProps = { name: 'app', image: 'ghcr.io/example/app:1', portNumber: 8080 };
const SIDECARS = [
  { name: 'proxy', image: 'envoyproxy/envoy:v1.31', portNumber: 9901, path: '/ready' },
  { name: 'db-proxy', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2', portNumber: 5432 },
];

/** Side (a): the library. */
function withLibrary(chart: Chart, i: number): void {
  new SidecarFirstDeployment(chart, `web-${i}`, {
    containers: [APP],
    sidecars: [
      { name: 'proxy', image: SIDECARS[0].image, portNumber: 9901, readinessCheck: ReadinessCheck.httpGet('/ready') },
      { name: 'db-proxy', image: SIDECARS[1].image, portNumber: 5432, readinessCheck: ReadinessCheck.tcpSocket() },
    ],
  });
}

/** Side (b): the same pods by hand, with the same probe numbers. */
function byHand(chart: Chart, i: number): void {
  const deployment = new kplus.Deployment(chart, `web-${i}`, { containers: [APP] });
  const numbers = (period: number, failures: number) => ({
    initialDelaySeconds: Duration.seconds(0),
    periodSeconds: Duration.seconds(period),
    timeoutSeconds: Duration.seconds(1),
    successThreshold: 1,
    failureThreshold: failures,
  });
  const probes = (s: typeof SIDECARS[number], period: number, failures: number) => (s.path
    ? kplus.Probe.fromHttpGet(s.path, { port: s.portNumber, ...numbers(period, failures) })
    : kplus.Probe.fromTcpSocket({ port: s.portNumber, ...numbers(period, failures) }));
  for (const s of SIDECARS) {
    deployment.addInitContainer({
      name: s.name,
      image: s.image,
      portNumber: s.portNumber,
      restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
      startup: probes(s, 1, 120),
      readiness: probes(s, 10, 3),
    });
  }
}

interface Run { readonly ms: number; readonly heapMb: number; readonly documents: number }

/** What is timed after building the workloads: the full YAML, or the JSON objects alone. */
type Output = 'yaml' | 'json';

/**
 * Builds N workloads and synthesizes them, as `cdk8s synth` does (without the
 * disk): to YAML, or to the JSON objects YAML is written from. Timed in CPU
 * time of this process, which other processes on the machine disturb less than wall time.
 */
function run(build: (chart: Chart, i: number) => void, n: number, output: Output = 'yaml'): Run {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const start = process.cpuUsage();
  const app = new App({ outdir: os.tmpdir() });
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) {
    build(chart, i);
  }
  const documents = output === 'yaml' ? (app.synthYaml().match(/^kind: /gm) ?? []).length : chart.toJson().length;
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  gc!();
  const heapMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  return { ms, heapMb, documents };
}

/** The YAML of N workloads built by `build`. */
function yamlOf(build: (chart: Chart, i: number) => void, n: number): string {
  const chart = new Chart(new App({ outdir: os.tmpdir() }), 'bench');
  for (let i = 0; i < n; i++) {
    build(chart, i);
  }
  return chart.toJson().map(d => JSON.stringify(d)).join('\n');
}

/** `reps` back-to-back runs of each side, alternating which goes first so neither always runs on a warmer heap. */
function pairedRuns(n: number, reps: number, output: Output): { a: Run[]; b: Run[]; ratio: number; paired: number } {
  const a: Run[] = [];
  const b: Run[] = [];
  for (let r = 0; r < reps; r++) {
    if (r % 2 === 0) {
      a.push(run(withLibrary, n, output)); b.push(run(byHand, n, output));
    } else {
      b.push(run(byHand, n, output)); a.push(run(withLibrary, n, output));
    }
  }
  const ratio = median(a.map(x => x.ms)) / median(b.map(x => x.ms));
  return { a, b, ratio, paired: median(a.map((x, i) => x.ms / b[i].ms)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fixed = (x: number, digits = 1) => x.toFixed(digits);

function benchSynthesis(): void {
  console.log('## Synthesis: SidecarFirstDeployment (a) vs the same Deployments by hand with cdk8s-plus-28 (b)');
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}\n`);
  const identical = yamlOf(withLibrary, 100) === yamlOf(byHand, 100);
  console.log(`output of (a) and (b): ${identical ? 'byte-identical' : 'DIFFERENT (the comparison is void)'}\n`);
  run(withLibrary, 200);
  run(byHand, 200); // warm-up
  const toJson = pairedRuns(1000, 21, 'json');
  console.log(`construct + toJson() (N=1000, 21 pairs, CPU time): a/b ${fixed(toJson.ratio, 3)}, paired ${fixed(toJson.paired, 3)} (goal <= 1.10)\n`);
  console.log('Construct + full YAML (app.synthYaml()):');
  console.log('a/b is the ratio of the medians; paired is the median of a_i/b_i over back-to-back pairs.');
  console.log('N        reps  median a (ms)  median b (ms)  a/b    paired  a per workload (ms)  heap a (MB)  heap b (MB)  same documents');
  const perWorkload: Array<[number, number]> = [];
  for (const [n, reps] of [[100, 21], [1000, 11], [10000, 5]]) {
    const { a, b } = pairedRuns(n, reps, 'yaml');
    const ma = median(a.map(x => x.ms));
    const mb = median(b.map(x => x.ms));
    if (process.env.BENCH_VERBOSE) {
      console.log(`  a: ${a.map(x => fixed(x.ms, 0)).join(' ')}\n  b: ${b.map(x => fixed(x.ms, 0)).join(' ')}`);
    }
    perWorkload.push([n, ma / n]);
    const same = a.every(x => x.documents === b[0].documents) && b.every(x => x.documents === b[0].documents);
    const paired = median(a.map((x, i) => x.ms / b[i].ms));
    console.log(`${String(n).padEnd(9)}${String(reps).padEnd(6)}${fixed(ma).padEnd(15)}${fixed(mb).padEnd(15)}${fixed(ma / mb, 3).padEnd(7)}${fixed(paired, 3).padEnd(8)}`
      + `${fixed(ma / n, 3).padEnd(21)}${fixed(median(a.map(x => x.heapMb))).padEnd(13)}${fixed(median(b.map(x => x.heapMb))).padEnd(13)}`
      + `${same ? 'yes' : 'NO'} (${a[0].documents} vs ${b[0].documents})`);
  }
  // Linear growth means a flat time per workload; fixed per-synth costs make it higher at small N.
  const smallest = Math.min(...perWorkload.map(([, ms]) => ms));
  const last = perWorkload[perWorkload.length - 1];
  console.log(`\ntime per workload (a): ${perWorkload.map(([n, ms]) => `N=${n} ${fixed(ms, 3)} ms`).join(', ')}: `
    + (last[1] <= smallest * 1.2 ? 'grows linearly with N (no more per workload at the largest N)\n' : `NOT linear: N=${last[0]} costs more per workload\n`));
}

void (async () => {
  const only = process.env.BENCH_ONLY;
  if (only === 'yaml' || only === 'lists') {
    // analysis.ts runs these on its own (imported, it reads BENCH_ONLY).
    return;
  }
  if (only === undefined || only === 'synthesis') {
    benchSynthesis();
  }
  if (only === undefined || only === 'analysis') {
    await benchAnalysis();
  }
  if (only === undefined || only === 'wait-hook') {
    await benchWaitHook();
  }
})();
