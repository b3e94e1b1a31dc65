/**
 * "Sidecar ready -> app started" on a real node: the figure the gates are
 * compared by (test/node/gates.node.test.ts, test/node/gate-variants.node.test.ts,
 * the `bench:gates` task), measured the same way everywhere.
 */
import * as fs from 'fs';
import { PodOutcome, PodRun, RealNode } from './real-node';

/** Pods started at once: 10 keeps the node's own load (2 cores) from dominating the figures. */
export const BATCH = 10;

/** Runs `pods` on `node`, BATCH at a time, with this machine's load average before and after ("before / after"). */
export async function runInBatches(node: RealNode, pods: PodRun[]): Promise<{ outcomes: PodOutcome[]; load: string }> {
  const before = loadAverage();
  const outcomes: PodOutcome[] = [];
  for (let i = 0; i < pods.length; i += BATCH) {
    outcomes.push(...await node.run(pods.slice(i, i + BATCH), { timeoutMs: 120_000 }));
  }
  return { outcomes, load: `${before} / ${loadAverage()}` };
}

/**
 * ms from the sidecar `proxy` first answering its check to the start of the
 * `app` process, after expecting that the pod did not time out and that each
 * started exactly once (a restarted sidecar would make the figure meaningless).
 */
export function readyToStarted(pod: PodOutcome): number {
  const { proxy, app } = pod.containers;
  expect({ pod: pod.name, timedOut: pod.timedOut, proxyStarts: proxy.starts.length, appStarts: app.starts.length })
    .toEqual({ pod: pod.name, timedOut: false, proxyStarts: 1, appStarts: 1 });
  return app.starts[0] - proxy.readies[0];
}

/** Median, p95 (nearest rank) and max of `values`, in ms. */
export function summary(values: number[]): { median: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return { median: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1] };
}

/** The 1-minute load average of this machine. */
export function loadAverage(): string {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
}
