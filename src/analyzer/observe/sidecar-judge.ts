/**
 * Says what happened to one sidecar from what the API server kept (docs/observe.md):
 * one rule per outcome, each claiming no more than its evidence shows. The API
 * keeps no per-container ready time and only whole seconds, so every
 * comparison of times asks for a full second between them, and "not ready at
 * t" comes only from a failed probe at t (an event) or from a status that
 * still said not ready a full probe round after t.
 * @internal
 */
import { Evidence, InputKind, Outcome } from './observation';
import { ContainerState, Ended, Frame, PodEvent } from './pod-history';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the judge is given: part or all of what was read about a pod. */
export interface Input {
  readonly frames: readonly Frame[];
  readonly events: readonly PodEvent[];
}

/** The sidecar and the pod's app containers, from the pod's spec. */
export interface Subject {
  readonly sidecar: string;
  /** The container spec of the sidecar. */
  readonly spec: any;
  /** Whether it is a native sidecar (an init container with restartPolicy Always). */
  readonly native: boolean;
  /** Whether it sits in spec.containers. */
  readonly legacy: boolean;
  /** spec.containers that are not sidecars. */
  readonly apps: readonly string[];
}

export interface Judgement {
  readonly outcome: Outcome;
  readonly evidence: Evidence[];
  readonly missing?: string;
}

/** Which status field says the sidecar is ready: what its own checks say. */
type Criterion = 'ready' | 'started' | 'none';

const PROBE_FAILED = /^(Startup|Readiness|Liveness) probe failed/;

/** The probe failures that say the sidecar was not ready by its criterion (a liveness failure says nothing of readiness). */
const NOT_READY_PROBES: { readonly [criterion in Criterion]: RegExp } = {
  ready: /^(Startup|Readiness) probe failed/,
  started: /^Startup probe failed/,
  none: /^(?!)/,
};

/** Judges one sidecar on the given input. */
export function judgeSidecar(subject: Subject, input: Input): Judgement {
  const { frames, events } = input;
  const source = frames.length > 1 ? InputKind.WATCH : InputKind.STATUS;
  const s = subject.sidecar;
  const mine = events.filter(e => e.container === s);
  const criterion: Criterion = subject.spec.readinessProbe ? 'ready' : subject.spec.startupProbe ? 'started' : 'none';
  const states = (name: string) => frames.map(f => f.containers.get(name));
  const last = frames[frames.length - 1];
  if (!last || last.containers.size === 0) {
    return { outcome: Outcome.NOT_STARTED, evidence: [{ source, fact: 'the pod has no container statuses yet: not started' }] };
  }
  const apps = subject.apps.map(name => ({ name, states: states(name) }));
  const started = apps.filter(a => a.states.some(hasStarted));
  const mineStates = states(s);
  const restarted = mineStates.some(c => (c?.restartCount ?? 0) > 0);

  // gave-up: a postStart hook failed and the app started anyway (legacy sidecars, R4).
  const hookEvents = mine.filter(e => e.reason === 'FailedPostStartHook');
  const hookWaits = mineStates.filter(c => c?.waiting?.reason === 'PostStartHookError');
  if ((hookEvents.length > 0 || hookWaits.length > 0) && started.length > 0) {
    const failedAt = min(hookEvents.map(e => e.first?.seconds));
    const appStart = min(started.map(a => startUpper(a.states)));
    const before = failedAt !== undefined && appStart !== undefined && appStart < failedAt;
    if (subject.legacy && !before) {
      // The kubelet's hook error (with the hook's output) while it waits to restart it, else what the hook wrote as its termination message.
      const message = [...hookWaits.map(c => c?.waiting?.message), ...mineStates.map(c => c?.lastTerminated?.message ?? c?.terminated?.message)]
        .find(m => m !== undefined && m.trim() !== '');
      return {
        outcome: Outcome.GAVE_UP,
        evidence: [
          ...hookEvents.map(e => eventEvidence(e)),
          ...(hookWaits.length > 0 ? [{ source, fact: `${s} waiting with reason PostStartHookError` }] : []),
          ...(message ? [{ source, fact: `the hook's reason: ${message.trim()}` }] : []),
          ...started.map(a => ({ source, fact: `app container ${a.name} started`, ...timeOf(startUpperText(a.states)) })),
        ],
      };
    }
  }

  if (started.length === 0) {
    if (restarted && !mineStates.some(c => c && readyBy(c, criterion))) {
      const c = last.containers.get(s);
      const kills = mine.filter(e => e.reason === 'Killing' || e.reason === 'FailedPostStartHook' || (e.reason === 'Unhealthy' && PROBE_FAILED.test(e.message)));
      return {
        outcome: Outcome.RESTARTING,
        evidence: [
          { source, fact: `${s} restarted ${c?.restartCount ?? 0} times and ${criterion === 'none' ? 'is' : `is not ${criterion}`}${describeEnd(c?.lastTerminated, 'its last instance')}; no app container has started` },
          ...kills.map(e => eventEvidence(e)),
        ],
      };
    }
    const waiting = apps.map(a => `${a.name} ${describeState(a.states[a.states.length - 1])}`).join(', ');
    return { outcome: Outcome.NOT_STARTED, evidence: [{ source, fact: `no app container has started yet (${waiting || 'no app containers'})` }] };
  }

  // When the sidecar surely was not ready yet: a failed probe, or a status still not ready a full probe round later.
  const notReady = notReadySince(subject, criterion, frames, mine, restarted);

  // crashed-waiting: an app instance ended before a moment when the sidecar was not ready yet.
  if (notReady) {
    for (const a of apps) {
      const crash = a.states.map(c => c?.lastTerminated).find(t => t?.finishedAt && t.finishedAt.seconds + 1 <= notReady.seconds);
      if (crash) {
        return {
          outcome: Outcome.CRASHED_WAITING,
          evidence: [
            { source, fact: `app container ${a.name} was restarted: its previous instance ended${describeEnd(crash, '')}`, time: crash.finishedAt!.text },
            notReady.evidence,
          ],
        };
      }
    }
    // raced: an app instance was running before the sidecar was ready.
    for (const a of started) {
      const start = startUpper(a.states);
      if (start !== undefined && start + 1 <= notReady.seconds) {
        return {
          outcome: Outcome.RACED,
          evidence: [{ source, fact: `app container ${a.name} was running`, ...timeOf(startUpperText(a.states)) }, notReady.evidence],
        };
      }
    }
  }

  if (started.length === apps.length) {
    const held = heldEvidence(subject, criterion, frames, apps);
    if (held) {
      return { outcome: Outcome.HELD, evidence: held };
    }
  }
  return {
    outcome: Outcome.UNKNOWN,
    evidence: [
      ...started.map(a => ({ source, fact: `app container ${a.name} started`, ...timeOf(startUpperText(a.states)) })),
      { source, fact: `${s} is ${describeState(last.containers.get(s))}` },
    ],
    missing: missing(criterion, input, started.length < apps.length),
  };
}

/** What would decide it, and the command that collects it. */
function missing(criterion: Criterion, input: Input, someWaiting: boolean): string {
  if (someWaiting) {
    return 'some app containers have not started yet: look again later (kubectl get pods,events -o json)';
  }
  if (criterion === 'none') {
    return 'the sidecar has no readinessProbe or startupProbe, so the API never records whether it was ready: give it one (sidecar-first check says how it gates the app)';
  }
  // A readinessProbe fails after the first readiness too: only the order of changes dates that.
  if (criterion === 'ready' && input.frames.length < 2) {
    return 'the order of changes: kubectl get pods --watch -o json, started before the pod';
  }
  if (input.events.length === 0) {
    return 'events: kubectl get pods,events -o json (events expire an hour after they happen, by default)';
  }
  if (input.frames.length < 2) {
    return 'the order of changes: kubectl get pods --watch -o json, started before the pod';
  }
  return 'the app started within a second, or a probe round, of the sidecar\'s readiness: the API\'s whole-second times cannot order them';
}

/** A container that has run at least once. */
function hasStarted(c: ContainerState | undefined): boolean {
  return c !== undefined
    && (c.running !== undefined || c.terminated?.startedAt !== undefined || c.lastTerminated !== undefined || c.restartCount > 0);
}

/** Whether the status says the sidecar is ready by its own checks. */
function readyBy(c: ContainerState, criterion: Criterion): boolean {
  return criterion === 'ready' ? c.ready : criterion === 'started' ? c.started : false;
}

/** The earliest start seen of any instance: the first instance started no later. */
function startUpper(states: ReadonlyArray<ContainerState | undefined>): number | undefined {
  return min(states.flatMap(c => [c?.running?.startedAt?.seconds, c?.terminated?.startedAt?.seconds, c?.lastTerminated?.startedAt?.seconds]));
}

function startUpperText(states: ReadonlyArray<ContainerState | undefined>): string | undefined {
  const times = states.flatMap(c => [c?.running?.startedAt, c?.terminated?.startedAt, c?.lastTerminated?.startedAt]).filter(t => t !== undefined);
  return times.sort((x, y) => x!.seconds - y!.seconds)[0]?.text;
}

/** The first instance's start, when a status shows it (no restart yet, or one: the previous instance is the first). */
function firstStart(states: ReadonlyArray<ContainerState | undefined>): number | undefined {
  return min(states.map(c => (c === undefined ? undefined : c.restartCount === 0
    ? (c.running?.startedAt ?? c.terminated?.startedAt)?.seconds
    : c.restartCount === 1 ? c.lastTerminated?.startedAt?.seconds : undefined)));
}

/** The latest moment known at which the sidecar was not ready yet (before its first readiness), with the fact. */
function notReadySince(subject: Subject, criterion: Criterion, frames: readonly Frame[], events: readonly PodEvent[], restarted: boolean):
{ seconds: number; evidence: Evidence } | undefined {
  // After a restart, a failure may be the new instance's: only a sidecar that never restarted.
  if (restarted) {
    return undefined;
  }
  // A startupProbe stops at its first success, so its failures come before readiness. A readinessProbe runs
  // on: its failure, or a status not ready, may come after the sidecar's first readiness (a relapse, the app
  // rightly held). Only a watch that saw the sidecar not ready in its first frame dates its first readiness:
  // after the write of the last frame before the first ready one. Such evidence counts only up to then.
  let cutoff = Infinity;
  if (criterion === 'ready') {
    const firstReady = frames.findIndex(f => {
      const c = f.containers.get(subject.sidecar);
      return c !== undefined && readyBy(c, criterion);
    });
    cutoff = frames.length < 2 || firstReady === 0 ? -Infinity
      : firstReady > 0 ? Math.max(...frames.slice(0, firstReady).map(f => f.latest ?? -Infinity)) : Infinity;
  }
  let best: { seconds: number; evidence: Evidence } | undefined;
  const consider = (seconds: number, evidence: Evidence, beforeReadiness = seconds <= cutoff) => {
    if (beforeReadiness && (!best || seconds > best.seconds)) {
      best = { seconds, evidence };
    }
  };
  for (const e of events) {
    if (e.reason === 'Unhealthy' && NOT_READY_PROBES[criterion].test(e.message) && e.last) {
      consider(e.last.seconds, eventEvidence(e), e.message.startsWith('Startup') || e.last.seconds <= cutoff);
    }
  }
  if (criterion !== 'none') {
    // A status saying "not ready" is as old as the last probe result: at most a period (plus timeout) of each probe that
    // decides it, plus a second to write it. The status was written no earlier than the latest time it holds.
    const probes = [subject.spec.startupProbe, subject.spec.readinessProbe].filter(Boolean);
    const lag = probes.reduce((sum: number, p: any) => sum + (p.periodSeconds ?? 10) + (p.timeoutSeconds ?? 1), 0) + 1;
    const delay = Math.max(...probes.map((p: any) => p.initialDelaySeconds ?? 0));
    let written: number | undefined;
    frames.forEach((f, i) => {
      written = Math.max(written ?? -Infinity, f.latest ?? -Infinity);
      const c = f.containers.get(subject.sidecar);
      const since = c?.running?.startedAt?.seconds;
      if (c && since !== undefined && !readyBy(c, criterion) && written! >= since + delay + lag) {
        const source = frames.length > 1 ? InputKind.WATCH : InputKind.STATUS;
        consider(written! - lag, {
          source,
          fact: `${frames.length > 1 ? `frame ${i + 1}: ` : ''}${subject.sidecar} not ${criterion} in a status written at or after ${new Date(written! * 1000).toISOString().replace('.000', '')}, `
            + `more than a probe round (${lag} s) after it started: it was not ready ${lag} s before`,
        });
      }
    });
  }
  return best;
}

/** The evidence that every app container started after the sidecar was ready, if any. */
interface AppHistory {
  readonly name: string;
  readonly states: ReadonlyArray<ContainerState | undefined>;
}

function heldEvidence(subject: Subject, criterion: Criterion, frames: readonly Frame[], apps: readonly AppHistory[]): Evidence[] | undefined {
  const s = subject.sidecar;
  // Watch: a frame where the sidecar is ready and no app container has started, all of them starting later.
  if (criterion !== 'none') {
    for (const [i, f] of frames.entries()) {
      const c = f.containers.get(s);
      if (c && readyBy(c, criterion)) {
        const noneYet = frames.slice(0, i + 1).every(g => apps.every(a => !hasStarted(g.containers.get(a.name))));
        if (noneYet && frames.length > 1) {
          return [
            { source: InputKind.WATCH, fact: `frame ${i + 1}: ${s} ${criterion} while no app container had started` },
            ...apps.map(a => ({ source: InputKind.WATCH, fact: `app container ${a.name} started in a later frame`, ...timeOf(startUpperText(a.states)) })),
          ];
        }
        break;
      }
    }
  }
  // Status: a native sidecar whose own check is its startupProbe is started before the pod is Initialized (R3);
  // every app's first instance started a full second after that.
  if (subject.native && criterion === 'started') {
    for (const f of [...frames].reverse()) {
      const init = f.conditions.get('Initialized');
      if (init?.status === 'True' && init.time && f.containers.get(s)?.started) {
        const starts = apps.map(a => firstStart(a.states));
        if (starts.every(t => t !== undefined && t >= init.time!.seconds + 1)) {
          const source = frames.length > 1 ? InputKind.WATCH : InputKind.STATUS;
          return [
            { source, fact: `the pod was Initialized (every native sidecar had passed its startupProbe) at ${init.time.text}`, time: init.time.text },
            ...apps.map(a => ({ source, fact: `app container ${a.name} first started a second or more later`, ...timeOf(startUpperText(a.states)) })),
          ];
        }
        break;
      }
    }
  }
  return undefined;
}

function eventEvidence(e: PodEvent): Evidence {
  const when = e.count > 1 && e.first && e.last && e.first.text !== e.last.text ? ` (x${e.count}, first at ${e.first.text})` : '';
  return { source: InputKind.EVENTS, fact: `event ${e.reason}: ${e.message}${when}`, ...timeOf(e.last?.text) };
}

function timeOf(text: string | undefined): { time?: string } {
  return text === undefined ? {} : { time: text };
}

function describeState(c: ContainerState | undefined): string {
  if (!c) {
    return 'without a status';
  }
  const readiness = `ready ${c.ready}, started ${c.started}, restarts ${c.restartCount}`;
  if (c.running) {
    return `running since ${c.running.startedAt?.text ?? '(no time)'} (${readiness})`;
  }
  if (c.terminated) {
    return `terminated${describeEnd(c.terminated, '')} (${readiness})`;
  }
  return `waiting${c.waiting?.reason ? ` (${c.waiting.reason})` : ''} (${readiness})`;
}

function describeEnd(t: Ended | undefined, what: string): string {
  if (!t) {
    return '';
  }
  const parts = [
    t.finishedAt ? `at ${t.finishedAt.text}` : undefined,
    t.exitCode !== undefined ? `exit code ${t.exitCode}` : undefined,
    t.reason ? `reason ${t.reason}` : undefined,
  ].filter(Boolean);
  return parts.length ? `${what ? `; ${what} ended` : ''} ${parts.join(', ')}` : '';
}

function min(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? Math.min(...known) : undefined;
}
