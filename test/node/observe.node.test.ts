/**
 * `sidecar-first observe` judged against ground truth on a real cluster (../support/cluster.ts):
 * the failure modes (differential/failure-shapes.ts) and generated differential shapes are
 * created with `kubectl create`, run by the registered kubelet, and what the API server then
 * holds is fetched with the real kubectl, as a user would:
 *
 * - `kubectl get pods -o json` (the last status),
 * - `kubectl get pods,events -o json` (with the kubelet's events),
 * - `kubectl get pods --watch -o json`, started before the pods are created (every status),
 *   and that watch with the events beside it.
 *
 * Each is given to the CLI (`sidecar-first observe -o json FILE...`), and every verdict is
 * compared with the stand-in's stamps (differential/observe-truth.ts): a verdict other than
 * `unknown` that the stamps contradict is wrong, and there must be none. The stamps are read
 * on the host: the cluster's only node is this machine (../support/stamps.ts).
 *
 * Pods: OBSERVE_SHAPES (default 60) per cluster, the failure modes twice, the rest generated
 * (seed of the differential test), OBSERVE_BATCH (default 20) at a time, each batch in a namespace
 * of its own. OBSERVE_VERBOSE=1 prints every pod's verdicts; OBSERVE_CAPTURE=DIR keeps what kubectl
 * printed (test/fixtures/observe/ holds some).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failureShapes } from './differential/failure-shapes';
import { contradiction, ContainerStamps, settled, Truth } from './differential/observe-truth';
import { APP, describeShape, generateShapes, PodShape, renderPod } from './differential/shapes';
import { Outcome } from '../../src';
import { run } from '../support/cli-run';
import { Cluster, describeEachCluster } from '../support/cluster';
import { STANDIN_IMAGE } from '../support/real-node';
import { readStamps, withStamps } from '../support/stamps';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SEED = 20261202;
const BATCH = Number(process.env.OBSERVE_BATCH ?? 20);
/** Long enough for a startup-probe loop to restart twice and a crashing app to restart after its sidecar is ready. */
const WINDOW_MS = 45_000;

/** The inputs observe is given, each the files of what kubectl printed. */
const INPUTS = {
  'pods': ['pods.json'],
  'pods,events': ['events.json'],
  'watch': ['watch.json'],
  'watch + pods,events': ['watch.json', 'events.json'],
} as const;
type Input = keyof typeof INPUTS;

/** A sidecar's verdict from one input, from observe's JSON. */
interface Verdict {
  readonly name: string;
  readonly outcome: Outcome;
  readonly evidence: Array<{ fact: string }>;
}

interface Judged {
  readonly shape: PodShape;
  readonly byInput: { readonly [input in Input]: Verdict[] };
  readonly wrong: string[];
}

/** Runs `shapes` in a namespace of their own; what each input makes observe say of them, and what the stamps contradict. */
async function runBatch(cluster: Cluster, shapes: readonly PodShape[], dir: string): Promise<Judged[]> {
  const ns = await cluster.newNamespace('observe');
  const stampsOf = (shape: PodShape) => path.join(dir, 'stamps', shape.id);
  let watch: { stop(): Promise<void> } | undefined;
  try {
    watch = cluster.watch(['get', 'pods', '-n', ns, '--watch', '-o', 'json'], path.join(dir, 'watch.json'));
    // WHEN the pods are created as a user creates them
    const t0 = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9;
    const pods = shapes.map(shape => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: shape.id },
      spec: { ...withStamps(renderPod(shape, STANDIN_IMAGE), stampsOf(shape)), automountServiceAccountToken: false },
    }));
    await cluster.kubectl(['create', '-n', ns, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods }) });
    const containers = (shape: PodShape): Truth['containers'] => Object.fromEntries(
      [APP, ...shape.sidecars.map(s => s.name)].map(name => {
        const s = readStamps(stampsOf(shape), name, t0);
        const sec = (ms: number[]) => ms.map(t => t / 1000);
        return [name, { starts: sec(s.start), readies: sec(s.ready), exits: sec(s.exit) } as ContainerStamps];
      }));
    for (const deadline = Date.now() + WINDOW_MS; Date.now() < deadline; await sleep(500)) {
      if (shapes.every(shape => settled(shape, containers(shape)))) break;
    }

    // AND what the API server holds is fetched with kubectl
    const collected: { [input in Input]: number } = {} as any;
    fs.writeFileSync(path.join(dir, 'pods.json'), await cluster.kubectl(['get', 'pods', '-n', ns, '-o', 'json']));
    collected.pods = seconds();
    fs.writeFileSync(path.join(dir, 'events.json'), await cluster.kubectl(['get', 'pods,events', '-n', ns, '-o', 'json']));
    collected['pods,events'] = seconds();
    await watch.stop();
    collected.watch = seconds();
    collected['watch + pods,events'] = collected.watch;

    // THEN observe's verdicts from each input are judged by the stamps seen by then
    const byInput = {} as { [input in Input]: Map<string, Verdict[]> };
    for (const input of Object.keys(INPUTS) as Input[]) {
      const sidecars = [...new Set(shapes.flatMap(s => s.sidecars.map(x => x.name)))].flatMap(n => ['--sidecar', n]);
      const result = await run(['observe', '-o', 'json', ...sidecars, ...INPUTS[input].map(f => path.join(dir, f))]);
      if (result.code !== 0) throw new Error(`observe ${input}: exit ${result.code}\n${result.stderr}`);
      byInput[input] = new Map(JSON.parse(result.stdout).pods.map((p: any) => [p.name, p.sidecars]));
    }
    return shapes.map(shape => {
      const verdicts = Object.fromEntries((Object.keys(INPUTS) as Input[]).map(input => [input, byInput[input].get(shape.id) ?? []])) as Judged['byInput'];
      const wrong = (Object.keys(INPUTS) as Input[]).flatMap(input => {
        const truth: Truth = { containers: containers(shape), collectedAt: collected[input] };
        const missing = byInput[input].has(shape.id) ? [] : [`${shape.id} (${input}): not in observe's output`];
        return [...missing, ...verdicts[input].flatMap(v => {
          const why = contradiction(v.outcome, v.name, [APP], truth);
          return why ? [`${shape.id} ${v.name} ${v.outcome} (${input}): ${why}`] : [];
        })];
      });
      return { shape, byInput: verdicts, wrong };
    });
  } finally {
    // The pods go first: on a failure too, the next batch and the other test files share the node.
    await watch?.stop();
    await cluster.deleteNamespace(ns);
    const capture = process.env.OBSERVE_CAPTURE;
    if (capture) {
      fs.mkdirSync(capture, { recursive: true });
      for (const file of ['pods.json', 'events.json', 'watch.json'].filter(f => fs.existsSync(path.join(dir, f)))) {
        fs.copyFileSync(path.join(dir, file), path.join(capture, `${cluster.version}-${shapes[0].id}-${file}`));
      }
    }
  }
}

function report(version: string, judged: readonly Judged[], seconds: number): string {
  const all = (input: Input) => judged.flatMap(j => j.byInput[input]);
  const decided = (input: Input) => all(input).filter(v => v.outcome !== Outcome.UNKNOWN).length;
  const outcomes = (input: Input) => Object.values(Outcome).map(o => [o, all(input).filter(v => v.outcome === o).length] as const)
    .filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(', ');
  const inputs = Object.keys(INPUTS) as Input[];
  const lines = [
    `observe on a cluster ${version} (${seconds.toFixed(0)} s): ${judged.length} pods, ${all('pods').length} sidecars; `
    + `decided ${inputs.map(i => `from ${i} ${decided(i)}`).join(', ')}; wrong verdicts: ${judged.flatMap(j => j.wrong).length}`,
    `  from watch + pods,events: ${outcomes('watch + pods,events')}`,
  ];
  for (const j of judged.filter(x => x.wrong.length > 0 || process.env.OBSERVE_VERBOSE)) {
    lines.push(describeShape(j.shape));
    for (const input of inputs) {
      lines.push(`  ${input}: ${j.byInput[input].map(v => `${v.name} ${v.outcome}: ${v.evidence.map(e => e.fact).join('; ')}`).join(' | ')}`);
    }
    lines.push(...j.wrong.map(w => `  WRONG ${w}`));
  }
  return lines.join('\n');
}

describeEachCluster('observe against the stand-in\'s stamps', (version, cluster) => {
  test('GIVEN the failure modes and generated shapes WHEN observe reads what kubectl fetched from the API server THEN no verdict is contradicted by the stamps', async () => {
    // GIVEN the failure modes twice and generated shapes, OBSERVE_SHAPES pods in all
    const total = Number(process.env.OBSERVE_SHAPES ?? 60);
    const failures = failureShapes(2);
    const shapes = [...failures, ...generateShapes(SEED, Math.max(0, total - failures.length)).map(s => ({ ...s, id: `o${s.id}` }))];
    const started = Date.now();
    const judged: Judged[] = [];
    for (let i = 0; i < shapes.length; i += BATCH) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'observe-'));
      try {
        judged.push(...await runBatch(cluster(), shapes.slice(i, i + BATCH), dir));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    // THEN
    console.log(report(version, judged, (Date.now() - started) / 1000));
    expect(judged.flatMap(j => j.wrong)).toEqual([]);
    expect(judged).toHaveLength(shapes.length);
    // Each input judged every sidecar of every pod.
    const sidecars = shapes.flatMap(s => s.sidecars).length;
    expect((Object.keys(INPUTS) as Input[]).map(input => [input, judged.flatMap(j => j.byInput[input]).length]))
      .toEqual((Object.keys(INPUTS) as Input[]).map(input => [input, sidecars]));
  }, 60 * 60 * 1000);
});

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
