/**
 * Pods and events as `kubectl get pods,events -o json` prints them (core/v1 field
 * for field: the kubelet's statuses, conditions and event texts of
 * docs/kubelet-semantics.md, "What users see"), built from a few facts per case.
 * Times are whole seconds after T0, as the API keeps them.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

const T0 = Date.parse('2026-12-07T10:00:00Z');
export const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

/** A container's previous instance (lastState.terminated). */
export interface Previous {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exitCode: number;
  readonly reason?: string;
  readonly message?: string;
}

export interface ContainerFacts {
  readonly name: string;
  /** Seconds of the current instance's start; undefined: waiting. */
  readonly running?: number;
  readonly waiting?: string;
  readonly ready?: boolean;
  readonly started?: boolean;
  readonly restartCount?: number;
  readonly last?: Previous;
}

export interface PodFacts {
  readonly name: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly spec: any;
  /** No status at all (just created). */
  readonly noStatus?: boolean;
  readonly init?: readonly ContainerFacts[];
  readonly containers?: readonly ContainerFacts[];
  /** Condition type -> [status, seconds of its last transition]. */
  readonly conditions?: { readonly [type: string]: readonly [boolean, number] };
}

function containerStatus(c: ContainerFacts, image: string): any {
  return {
    name: c.name,
    image,
    imageID: `${image}@sha256:${'0'.repeat(64)}`,
    ...(c.running !== undefined ? { containerID: `containerd://${c.name}${'1'.repeat(60)}` } : {}),
    ready: c.ready ?? false,
    started: c.started ?? c.running !== undefined,
    restartCount: c.restartCount ?? 0,
    state: c.running !== undefined
      ? { running: { startedAt: at(c.running) } }
      : { waiting: { reason: c.waiting ?? 'PodInitializing' } },
    lastState: c.last ? {
      terminated: {
        exitCode: c.last.exitCode,
        reason: c.last.reason ?? (c.last.exitCode === 0 ? 'Completed' : 'Error'),
        ...(c.last.message ? { message: c.last.message } : {}),
        startedAt: at(c.last.startedAt),
        finishedAt: at(c.last.finishedAt),
        containerID: `containerd://${c.name}${'2'.repeat(60)}`,
      },
    } : {},
  };
}

export function pod(f: PodFacts): any {
  const image = 'sidecar-first.test/standin:1';
  const uid = f.uid ?? `uid-${f.name}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: f.name, namespace: 'shop', uid, resourceVersion: f.resourceVersion ?? '100', creationTimestamp: at(0) },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', nodeName: 'node-1', ...f.spec },
    ...(f.noStatus ? {} : {
      status: {
        phase: (f.containers ?? []).some(c => c.running !== undefined) ? 'Running' : 'Pending',
        conditions: Object.entries(f.conditions ?? {}).map(([type, [status, time]]) => ({
          type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at(time),
        })),
        hostIP: '10.244.0.1',
        podIP: '10.244.0.7',
        startTime: at(0),
        ...(f.init ? { initContainerStatuses: f.init.map(c => containerStatus(c, image)) } : {}),
        ...(f.containers ? { containerStatuses: f.containers.map(c => containerStatus(c, image)) } : {}),
        qosClass: 'BestEffort',
      },
    }),
  };
}

export interface EventFacts {
  readonly pod: string;
  readonly uid?: string;
  /** `spec.initContainers{proxy}` or `spec.containers{proxy}`. */
  readonly fieldPath: string;
  readonly reason: string;
  readonly message: string;
  readonly type?: 'Normal' | 'Warning';
  readonly first: number;
  readonly last?: number;
  readonly count?: number;
}

export function event(e: EventFacts): any {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${e.pod}.${e.reason.toLowerCase()}${e.first}`, namespace: 'shop', resourceVersion: '200', creationTimestamp: at(e.first) },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: e.pod, namespace: 'shop', uid: e.uid ?? `uid-${e.pod}`, fieldPath: e.fieldPath },
    reason: e.reason,
    message: e.message,
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: at(e.first),
    lastTimestamp: at(e.last ?? e.first),
    count: e.count ?? 1,
    type: e.type ?? (e.reason === 'Killing' ? 'Normal' : 'Warning'),
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  };
}

/** `kubectl get ... -o json`: a List. */
export function list(items: any[]): any {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}

const STANDIN = 'sidecar-first.test/standin:1';
const probe = (extra: any) => ({ timeoutSeconds: 1, successThreshold: 1, failureThreshold: 30, periodSeconds: 1, ...extra });

/** A native sidecar held by its startupProbe (no readinessProbe: the startupProbe says when it is ready). */
export const NATIVE_STARTUP = {
  initContainers: [{ name: 'proxy', image: STANDIN, restartPolicy: 'Always', startupProbe: probe({ httpGet: { path: '/ready', port: 8080 } }) }],
  containers: [{ name: 'app', image: STANDIN }],
};

/** A native sidecar with a readinessProbe only: nothing holds the app (SF101-like). */
export const NATIVE_READINESS = {
  initContainers: [{ name: 'proxy', image: STANDIN, restartPolicy: 'Always', readinessProbe: probe({ httpGet: { path: '/ready', port: 8080 }, periodSeconds: 2 }) }],
  containers: [{ name: 'app', image: STANDIN }],
};

/** A legacy sidecar first in spec.containers, with a postStart hook that polls and a readinessProbe. */
export const LEGACY_HOOK = {
  containers: [
    {
      name: 'proxy',
      image: STANDIN,
      readinessProbe: probe({ httpGet: { path: '/ready', port: 8080 } }),
      lifecycle: { postStart: { exec: { command: ['sh', '-c', 'i=0; until wget -q -O /dev/null http://127.0.0.1:8080/ready; do i=$((i+1)); [ $i -ge 6 ] && exit 1; sleep 1; done'] } } },
    },
    { name: 'app', image: STANDIN },
  ],
};

/** A legacy sidecar with a readinessProbe and no hook: the app starts with it. */
export const LEGACY_PLAIN = {
  containers: [
    { name: 'istio-proxy', image: STANDIN, readinessProbe: probe({ httpGet: { path: '/ready', port: 8080 } }) },
    { name: 'app', image: STANDIN },
  ],
};
