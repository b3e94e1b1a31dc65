/**
 * `sidecar-first observe` judged against ground truth on a real kubelet: the failure modes
 * (test/node/differential/failure-shapes.ts) and generated differential shapes run side by
 * side; what the kubelet reported is given to observe as a user would fetch it (the last
 * status: `kubectl get pods -o json`; every status seen, polled every 200 ms: a watch), and
 * each verdict is compared with the stand-in's stamps (observe-truth.ts). A verdict other
 * than `unknown` that the stamps contradict is wrong: there must be none.
 *
 * This node is a standalone kubelet (static pods, status from its read-only port): it
 * records no events, so the input "with events" needs an API server.
 *
 * Pods: OBSERVE_SHAPES (default 60) per kubelet, the failure modes twice, the rest generated
 * (seed of the differential test). OBSERVE_VERBOSE=1 prints every pod; OBSERVE_CAPTURE=DIR writes
 * each pod's statuses to DIR/ID.json, concatenated as `kubectl get pods --watch -o json` prints them
 * (test/fixtures/observe/ holds some).
 */
import * as fs from 'fs';
import * as path from 'path';
import { failureShapes } from './differential/failure-shapes';
import { contradiction, ContainerStamps, Truth } from './differential/observe-truth';
import { describeShape, generateShapes, PodShape, renderPod } from './differential/shapes';
import { InputKind, Outcome, PodObservation, PodObserver } from '../../src';
import { describeEachKubelet, minorOf, PodOutcome, RealNode, STANDIN_IMAGE } from '../support/real-node';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SEED = 20261202;
const BATCH = Number(process.env.OBSERVE_BATCH ?? 20);
/** Long enough for a startup-probe loop to restart twice and a crashing app to restart after its sidecar is ready. */
const WINDOW_MS = 45_000;

interface Seen {
  readonly shape: PodShape;
  readonly frames: any[];
  /** ms since the manifest was written (about: since the run started) when the last frame was read. */
  readonly collectedAt: number;
  readonly pod: PodOutcome;
}

/** The pod is done when its app started and every sidecar that will be ready is, or after the window. */
function done(shape: PodShape) {
  return (pod: PodOutcome) => (pod.containers.app?.starts.length ?? 0) > 0
    && shape.sidecars.every(s => s.readyAfter === 'never' || (pod.containers[s.name]?.readies.length ?? 0) > 0)
    && shape.appRequires === undefined;
}

async function runShapes(node: RealNode, shapes: readonly PodShape[]): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (let i = 0; i < shapes.length; i += BATCH) {
    const batch = shapes.slice(i, i + BATCH);
    const frames = batch.map(() => [] as any[]);
    const collected = batch.map(() => 0);
    const start = Date.now();
    const pods = await node.run(batch.map((shape, j) => ({
      name: shape.id,
      spec: renderPod(shape, STANDIN_IMAGE),
      until: (p: PodOutcome) => {
        // Every status the kubelet reports, once per change: what a watch prints.
        const pod = podObject(shape, p);
        const last = frames[j][frames[j].length - 1];
        if (p.status && JSON.stringify(last?.status) !== JSON.stringify(pod.status)) {
          frames[j].push(pod);
        }
        collected[j] = Date.now() - start;
        return done(shape)(p);
      },
    })), { timeoutMs: WINDOW_MS });
    batch.forEach((shape, j) => seen.push({ shape, frames: frames[j], collectedAt: collected[j], pod: pods[j] }));
    const capture = process.env.OBSERVE_CAPTURE;
    if (capture) {
      fs.mkdirSync(capture, { recursive: true });
      batch.forEach((shape, j) => fs.writeFileSync(path.join(capture, `${shape.id}.json`), frames[j].map(f => JSON.stringify(f, undefined, 4)).join('\n') + '\n'));
    }
  }
  return seen;
}

/** The pod as the API would hold it: the spec run, the kubelet's status. */
function podObject(shape: PodShape, p: PodOutcome): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: shape.id, namespace: 'observe', uid: `uid-${shape.id}` },
    spec: renderPod(shape, STANDIN_IMAGE),
    ...(p.status ? { status: p.status } : {}),
  };
}

function truthOf(s: Seen): Truth {
  const sec = (ms: number[]) => ms.map(t => t / 1000);
  const containers: { [name: string]: ContainerStamps } = {};
  for (const [name, c] of Object.entries(s.pod.containers)) {
    containers[name] = { starts: sec(c.starts), readies: sec(c.readies), exits: sec(c.exits) };
  }
  return { containers, collectedAt: s.collectedAt / 1000 };
}

interface Verdicts {
  readonly shape: PodShape;
  readonly byInput: { readonly [kind: string]: PodObservation };
  readonly wrong: string[];
}

function judgeAll(seen: readonly Seen[]): Verdicts[] {
  return seen.map(s => {
    const sidecars = s.shape.sidecars.map(x => x.name);
    const truth = truthOf(s);
    const last = s.frames[s.frames.length - 1] ?? podObject(s.shape, { ...s.pod, status: undefined });
    const byInput: { [kind: string]: PodObservation } = {
      [InputKind.STATUS]: PodObserver.observe([last], { sidecars })[0],
      [InputKind.WATCH]: PodObserver.observe(s.frames.length ? s.frames : [last], { sidecars })[0],
    };
    const wrong = Object.entries(byInput).flatMap(([kind, o]) => o.sidecars.flatMap(v => {
      const why = contradiction(v.outcome, v.name, ['app'], truth);
      return why ? [`${s.shape.id} ${v.name} ${v.outcome} (${kind}): ${why}`] : [];
    }));
    return { shape: s.shape, byInput, wrong };
  });
}

function report(version: string, verdicts: readonly Verdicts[], seconds: number): string {
  const sidecars = verdicts.flatMap(v => v.byInput[InputKind.STATUS].sidecars).length;
  const decided = (kind: string) => verdicts.flatMap(v => v.byInput[kind].sidecars).filter(s => s.outcome !== Outcome.UNKNOWN).length;
  const watched = verdicts.flatMap(v => v.byInput[InputKind.WATCH].sidecars);
  const outcomes = Object.values(Outcome).map(o => [o, watched.filter(s => s.outcome === o).length] as const)
    .filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(', ');
  const lines = [
    `observe (kubelet ${version}, ${seconds.toFixed(0)} s): ${verdicts.length} pods, ${sidecars} sidecars; `
    + `decided from the last status ${decided(InputKind.STATUS)}, from every status (watch) ${decided(InputKind.WATCH)}; `
    + `events: none on a standalone kubelet; with every status: ${outcomes}; wrong verdicts: ${verdicts.flatMap(v => v.wrong).length}`,
  ];
  for (const v of verdicts.filter(x => x.wrong.length > 0 || process.env.OBSERVE_VERBOSE)) {
    lines.push(`${describeShape(v.shape)}`);
    for (const [kind, o] of Object.entries(v.byInput)) {
      lines.push(`  ${kind}: ${o.sidecars.map(s => `${s.name} ${s.outcome}: ${s.evidence.map(e => e.fact).join('; ')}`).join(' | ')}`);
    }
    lines.push(...v.wrong.map(w => `  WRONG ${w}`));
  }
  return lines.join('\n');
}

describeEachKubelet('observe against the stand-in\'s stamps', (version, node) => {
  test('no verdict is contradicted by the stamps', async () => {
    // GIVEN the failure modes twice and generated shapes, OBSERVE_SHAPES pods in all
    const total = Number(process.env.OBSERVE_SHAPES ?? 60);
    const failures = failureShapes(2);
    const shapes = [...failures, ...generateShapes(SEED, Math.max(0, total - failures.length)).map(s => ({ ...s, id: `o${s.id}` }))];

    // WHEN they run and observe judges what the kubelet reported
    const started = Date.now();
    const verdicts = judgeAll(await runShapes(node(), shapes));

    // THEN no verdict is wrong, and each failure mode is decided from every status
    console.log(report(version, verdicts, (Date.now() - started) / 1000));
    expect(verdicts.flatMap(v => v.wrong)).toEqual([]);
    expect(verdicts).toHaveLength(shapes.length);
  }, 60 * 60 * 1000);
}, v => minorOf(v) >= 29);
