/**
 * Gathers what the API server keeps about pods, from the documents a user
 * fetched with kubectl: each pod's statuses (one from `kubectl get pods -o json`,
 * several from `kubectl get pods --watch -o json`, in the order given) and its
 * events (`kubectl get pods,events -o json`). Times are read as the API keeps
 * them: whole seconds.
 * @internal
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A time from the API: whole seconds since the epoch, and the text as given. */
export interface ApiTime {
  readonly seconds: number;
  readonly text: string;
}

/** One instance of a container that has ended. */
export interface Ended {
  readonly startedAt?: ApiTime;
  readonly finishedAt?: ApiTime;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly message?: string;
}

/** One container's status in one frame. */
export interface ContainerState {
  readonly ready: boolean;
  /** `started` (false when absent). */
  readonly started: boolean;
  readonly restartCount: number;
  readonly running?: { readonly startedAt?: ApiTime };
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly terminated?: Ended;
  readonly lastTerminated?: Ended;
}

/** One status of a pod (a frame of a watch), with its spec. */
export interface Frame {
  readonly pod: any;
  readonly containers: ReadonlyMap<string, ContainerState>;
  readonly conditions: ReadonlyMap<string, { readonly status: string; readonly time?: ApiTime }>;
  /** The latest time the frame holds: the status was written at or after it. */
  readonly latest?: number;
  readonly file: string;
  readonly line: number;
}

/** An event about a container of a pod (core/v1 Event or events.k8s.io/v1 Event). */
export interface PodEvent {
  readonly reason: string;
  readonly message: string;
  /** The container named by the event's fieldPath, if any. */
  readonly container?: string;
  readonly first?: ApiTime;
  readonly last?: ApiTime;
  readonly count: number;
}

/** Everything read about one pod. */
export interface PodHistory {
  readonly name: string;
  readonly namespace?: string;
  readonly frames: Frame[];
  readonly events: PodEvent[];
}

/** Input that cannot be read as a pod or an event, located. */
export class HistoryError extends Error {
  constructor(readonly field: string, readonly problem: string) {
    super(`${field} ${problem}`);
  }
}

/** Where a document was read. */
export interface Located {
  readonly file: string;
  readonly line: number;
}

/**
 * Collects pods and events document by document; `histories()` pairs them.
 * @internal
 */
export class HistoryCollector {
  private readonly pods = new Map<string, { name: string; namespace?: string; uid?: string; frames: Frame[] }>();
  private readonly events: Array<{ uid?: string; key: string; event: PodEvent }> = [];

  /**
   * Adds one document: a Pod, an Event, or a watch event (`{type, object}`,
   * from `--output-watch-events`); other kinds are skipped (returns false).
   * Throws HistoryError for a pod or event it cannot read.
   */
  public add(doc: any, where: Located): boolean {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new HistoryError('the document', `is ${describe(doc)}, not a Kubernetes object`);
    }
    if (typeof doc.type === 'string' && doc.object !== null && typeof doc.object === 'object' && doc.kind === undefined) {
      return this.add(doc.object, where);
    }
    if (doc.kind === 'Pod') {
      this.addPod(doc, where);
      return true;
    }
    if (doc.kind === 'Event') {
      this.addEvent(doc);
      return true;
    }
    if (typeof doc.kind !== 'string') {
      throw new HistoryError('kind', `is ${describe(doc.kind)}; observe reads Pods and Events (kubectl get pods,events -o json)`);
    }
    return false;
  }

  /** Every pod read, in the order first seen, with its events. */
  public histories(): PodHistory[] {
    return [...this.pods.values()].map(p => ({
      name: p.name,
      ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
      frames: p.frames,
      events: this.events
        .filter(e => (e.uid !== undefined && p.uid !== undefined ? e.uid === p.uid : e.key === keyOf(p.namespace, p.name)))
        .map(e => e.event),
    }));
  }

  private addPod(pod: any, where: Located): void {
    const meta = object(pod.metadata, 'metadata');
    const name = text(meta.name, 'metadata.name');
    if (name === undefined) {
      throw new HistoryError('metadata.name', 'is missing');
    }
    const namespace = text(meta.namespace, 'metadata.namespace');
    const uid = text(meta.uid, 'metadata.uid');
    const key = uid ?? keyOf(namespace, name);
    const frame = readFrame(pod, where);
    const entry = this.pods.get(key) ?? { name, namespace, uid, frames: [] };
    // The same resourceVersion twice (a List and a watch's first frame): one status.
    const version = meta.resourceVersion;
    const previous = entry.frames[entry.frames.length - 1];
    if (!(previous && version !== undefined && previous.pod.metadata?.resourceVersion === version)) {
      entry.frames.push(frame);
    }
    this.pods.set(key, entry);
  }

  private addEvent(e: any): void {
    // core/v1 names the pod involvedObject; events.k8s.io/v1 names it regarding.
    const core = e.involvedObject !== undefined;
    const about = object(core ? e.involvedObject : e.regarding, core ? 'involvedObject' : 'regarding');
    if (about.kind !== undefined && about.kind !== 'Pod') {
      return;
    }
    const name = text(about.name, core ? 'involvedObject.name' : 'regarding.name');
    if (name === undefined) {
      return;
    }
    const namespace = text(about.namespace, 'involvedObject.namespace') ?? text(e.metadata?.namespace, 'metadata.namespace');
    const fieldPath = text(about.fieldPath, 'fieldPath') ?? '';
    const container = /^spec\.(?:initContainers|containers|ephemeralContainers)\{([\s\S]*)\}$/.exec(fieldPath)?.[1];
    const first = time(e.firstTimestamp, 'firstTimestamp') ?? time(e.deprecatedFirstTimestamp, 'deprecatedFirstTimestamp') ?? time(e.eventTime, 'eventTime');
    const last = time(e.lastTimestamp, 'lastTimestamp') ?? time(e.deprecatedLastTimestamp, 'deprecatedLastTimestamp')
      ?? time(e.series?.lastObservedTime, 'series.lastObservedTime') ?? first;
    const count = e.count ?? e.deprecatedCount ?? e.series?.count ?? 1;
    this.events.push({
      uid: text(about.uid, 'involvedObject.uid'),
      key: keyOf(namespace, name),
      event: {
        reason: text(e.reason, 'reason') ?? '',
        message: text(core ? e.message : e.note, core ? 'message' : 'note') ?? '',
        ...(container !== undefined ? { container } : {}),
        ...(first ? { first } : {}),
        ...(last ? { last } : {}),
        count: typeof count === 'number' ? count : 1,
      },
    });
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function readFrame(pod: any, where: Located): Frame {
  const status = pod.status === undefined ? {} : object(pod.status, 'status');
  const containers = new Map<string, ContainerState>();
  let latest: number | undefined;
  const seen = (t?: ApiTime) => {
    if (t && (latest === undefined || t.seconds > latest)) {
      latest = t.seconds;
    }
    return t;
  };
  for (const field of ['initContainerStatuses', 'containerStatuses']) {
    const list = status[field];
    if (list === undefined || list === null) {
      continue;
    }
    if (!Array.isArray(list)) {
      throw new HistoryError(`status.${field}`, `is ${describe(list)}, not a list`);
    }
    list.forEach((c: any, i: number) => {
      const at = `status.${field}[${i}]`;
      const s = object(c, at);
      const name = text(s.name, `${at}.name`);
      if (name === undefined) {
        throw new HistoryError(`${at}.name`, 'is missing');
      }
      const state = s.state === undefined ? {} : object(s.state, `${at}.state`);
      const last = s.lastState === undefined ? {} : object(s.lastState, `${at}.lastState`);
      const ended = (v: any, p: string): Ended | undefined => {
        if (v === undefined || v === null) {
          return undefined;
        }
        const o = object(v, p);
        return {
          startedAt: seen(time(o.startedAt, `${p}.startedAt`)),
          finishedAt: seen(time(o.finishedAt, `${p}.finishedAt`)),
          ...(typeof o.exitCode === 'number' ? { exitCode: o.exitCode } : {}),
          ...(typeof o.reason === 'string' ? { reason: o.reason } : {}),
          ...(typeof o.message === 'string' ? { message: o.message } : {}),
        };
      };
      const running = state.running ? { startedAt: seen(time(object(state.running, `${at}.state.running`).startedAt, `${at}.state.running.startedAt`)) } : undefined;
      const waiting = state.waiting ? object(state.waiting, `${at}.state.waiting`) : undefined;
      const restartCount = s.restartCount ?? 0;
      if (typeof restartCount !== 'number' || !Number.isInteger(restartCount) || restartCount < 0) {
        throw new HistoryError(`${at}.restartCount`, `is ${describe(restartCount)}, not a count`);
      }
      containers.set(name, {
        ready: s.ready === true,
        started: s.started === true,
        restartCount,
        ...(running ? { running } : {}),
        ...(waiting ? { waiting: { reason: text(waiting.reason, `${at}.state.waiting.reason`), message: text(waiting.message, `${at}.state.waiting.message`) } } : {}),
        ...(state.terminated ? { terminated: ended(state.terminated, `${at}.state.terminated`) } : {}),
        ...(last.terminated ? { lastTerminated: ended(last.terminated, `${at}.lastState.terminated`) } : {}),
      });
    });
  }
  const conditions = new Map<string, { status: string; time?: ApiTime }>();
  const list = status.conditions ?? [];
  if (!Array.isArray(list)) {
    throw new HistoryError('status.conditions', `is ${describe(list)}, not a list`);
  }
  list.forEach((c: any, i: number) => {
    const o = object(c, `status.conditions[${i}]`);
    const type = text(o.type, `status.conditions[${i}].type`);
    if (type !== undefined) {
      conditions.set(type, { status: String(o.status), time: seen(time(o.lastTransitionTime, `status.conditions[${i}].lastTransitionTime`)) });
    }
  });
  return { pod, containers, conditions, ...(latest !== undefined ? { latest } : {}), ...where };
}

function object(v: any, field: string): any {
  if (v === undefined || v === null) {
    return {};
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new HistoryError(field, `is ${describe(v)}, not an object`);
  }
  return v;
}

function text(v: any, field: string): string | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'string') {
    throw new HistoryError(field, `is ${describe(v)}, not a string`);
  }
  return v;
}

/** RFC 3339, as the API writes times (`2026-12-07T17:32:08Z`; MicroTime has a fraction, dropped). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function time(v: any, field: string): ApiTime | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  const ms = typeof v === 'string' && RFC3339.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) {
    throw new HistoryError(field, `is ${describe(v)}, not an RFC 3339 time`);
  }
  return { seconds: Math.floor(ms / 1000), text: v };
}

function describe(v: unknown): string {
  const shown = JSON.stringify(v);
  return shown === undefined ? String(v) : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}
