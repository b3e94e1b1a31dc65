/**
 * Judges `sidecar-first observe`'s verdicts against ground truth: the stand-in's
 * stamps (test/node/standin), when each container started and first became ready,
 * and when an instance exited, on the node's CLOCK_MONOTONIC (seconds). Stamps after
 * the inputs were collected (`collectedAt`, same clock) are not looked at: observe
 * could not have seen them.
 *
 * A verdict is wrong when the stamps contradict it; `unknown` never is. "Not started" and
 * "restarting" say what the status knew: the kubelet writes a container's start into it
 * within a relist (1 s) and a sync, slower on a busy node, so an app start less than STATUS_LAG before the
 * collection does not contradict them.
 */
import { APP, PodShape } from './shapes';
import { Outcome } from '../../../src';

/** How long the kubelet may take to write a container's start into the pod's status, seconds. */
export const STATUS_LAG = 5;

/** One container's stamps, seconds on the node's monotonic clock, in order. */
export interface ContainerStamps {
  readonly starts: readonly number[];
  readonly readies: readonly number[];
  readonly exits: readonly number[];
}

export interface Truth {
  readonly containers: { readonly [name: string]: ContainerStamps | undefined };
  readonly collectedAt: number;
}

/** Why the stamps contradict the verdict on `sidecar` (apps: the pod's app containers), or undefined when they do not. */
export function contradiction(outcome: Outcome, sidecar: string, apps: readonly string[], truth: Truth): string | undefined {
  const seen = (name: string): ContainerStamps => {
    const c = truth.containers[name];
    const until = (ts: readonly number[] | undefined) => (ts ?? []).filter(t => t <= truth.collectedAt);
    return { starts: until(c?.starts), readies: until(c?.readies), exits: until(c?.exits) };
  };
  const s = seen(sidecar);
  const ready = s.readies[0];
  const appStarts = apps.map(a => ({ name: a, ...seen(a) }));
  const started = appStarts.filter(a => a.starts.length > 0);
  const beforeReady = (t: number) => ready === undefined || t < ready;
  const known = started.filter(a => a.starts[0] <= truth.collectedAt - STATUS_LAG);
  switch (outcome) {
    case Outcome.UNKNOWN:
      return undefined;
    case Outcome.NOT_STARTED:
      return known.length > 0 ? `${known[0].name} had started` : undefined;
    case Outcome.HELD: {
      if (ready === undefined) {
        return `${sidecar} was never ready`;
      }
      const early = appStarts.find(a => a.starts.length === 0 || a.starts[0] < ready);
      return early ? `${early.name} ${early.starts.length ? `started ${(ready - early.starts[0]).toFixed(2)} s before ${sidecar} was ready` : 'never started'}` : undefined;
    }
    case Outcome.RACED:
      return started.some(a => beforeReady(a.starts[0])) ? undefined : `no app container started before ${sidecar} was ready`;
    case Outcome.CRASHED_WAITING:
      return appStarts.some(a => a.starts.length > 1 && a.exits.length > 0 && beforeReady(a.exits[0]))
        ? undefined : `no app container exited and restarted before ${sidecar} was ready`;
    case Outcome.GAVE_UP:
      if (started.length === 0) {
        return 'no app container started';
      }
      return started.every(a => beforeReady(a.starts[0])) ? undefined : `an app container started after ${sidecar} was ready`;
    case Outcome.RESTARTING:
      if (known.length > 0) {
        return `${known[0].name} had started`;
      }
      // The kubelet counts a restart in the status when it starts the new instance, before that instance writes its
      // stamp: a second start up to STATUS_LAG after the collection was already in the status (seen on a loaded node).
      return restarts(truth.containers[sidecar], truth.collectedAt + STATUS_LAG) && ready === undefined
        ? undefined : `${sidecar} ${ready !== undefined ? 'was ready' : 'did not restart'}`;
  }
}

/** Whether a container started more than once by `until` (node clock, seconds). */
function restarts(c: ContainerStamps | undefined, until: number): boolean {
  return (c?.starts ?? []).filter(t => t <= until).length > 1;
}

/**
 * Whether `shape`'s pod has shown all it will within a test's window: its app started and every
 * sidecar that will be ready is. An app that needs its sidecar never settles: its crashes and
 * restarts take the whole window.
 */
export function settled(shape: PodShape, containers: Truth['containers']): boolean {
  return (containers[APP]?.starts.length ?? 0) > 0
    && shape.sidecars.every(s => s.readyAfter === 'never' || (containers[s.name]?.readies.length ?? 0) > 0)
    && shape.appRequires === undefined;
}
