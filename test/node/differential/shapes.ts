/**
 * Pod shapes for the differential test of the kubelet rules (kubelet-rules.ts)
 * against a real kubelet: a seeded generator (the same seed gives the same
 * shapes, on any machine) and the pod spec each shape runs as.
 *
 * Every container runs the stand-in (test/node/standin): it starts serving
 * HTTP on its http port and gRPC health on its grpc port at once, answering
 * 503 / NOT_SERVING, and becomes ready `readyAfter` seconds after it starts
 * (or never): HTTP 200, SERVING, its ready-gated TCP port opens, and
 * /tmp/ready appears. Checks are chosen so that "ready" is what the sidecar
 * declares: the readinessProbe, else the startupProbe, passes exactly when the
 * stand-in is ready. A tcpSocket check on the http port passes as soon as the
 * sidecar listens, before it is ready: the generator aims tcpSocket checks
 * there unless the sidecar's own readiness is a tcpSocket check, so that a
 * check weaker than the readiness check (SF111) really is weaker.
 */
import { ManifestContainer, ManifestHandler, ManifestPodSpec, ManifestProbe } from '../../../src/private/rules/kubelet-rules';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Where a sidecar sits: a native sidecar, an ordinary init container, or in spec.containers before or after the app. */
export type Where = 'native' | 'init' | 'before-app' | 'after-app';

export type CheckKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc';

export interface ProbeShape {
  readonly kind: CheckKind;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly initialDelaySeconds: number;
  /** Another command or path than the readiness check's, passing at the same moment (SF112). */
  readonly variant: boolean;
}

/**
 * A postStart hook:
 * - poll: a shell loop until the sidecar is ready (test -f, or wget), giving up after `deadline` s;
 * - once-ok: a command that runs once and succeeds (`echo`);
 * - once-check: the readiness check run once, at start, when the sidecar is not ready yet: fails;
 * - fail: `exit 1`;
 * - sleep: the sleep action;
 * - http-answering: an httpGet hook to an earlier native sidecar's HTTP port, which answers (503 until that one is ready);
 *   not the sidecar's own port, which its process may not have opened yet when the kubelet runs the hook (a race);
 * - http-closed: an httpGet hook to the sidecar's own port that opens only when it is ready: fails;
 * - tcp: a tcpSocket hook (the API accepts it, the kubelet cannot run it).
 */
export type HookShape =
  | { readonly kind: 'poll'; readonly via: 'file' | 'wget'; readonly deadline: number; readonly interval: number }
  | { readonly kind: 'once-ok' | 'once-check' | 'fail' | 'http-closed' | 'tcp' }
  | { readonly kind: 'http-answering'; readonly target: number }
  | { readonly kind: 'sleep'; readonly seconds: number };

export interface SidecarShape {
  readonly name: string;
  readonly where: Where;
  /** Seconds from its start until the stand-in is ready, or never. */
  readonly readyAfter: number | 'never';
  readonly startupProbe?: ProbeShape;
  readonly readinessProbe?: ProbeShape;
  readonly livenessProbe?: ProbeShape;
  readonly postStart?: HookShape;
}

export interface PodShape {
  /** `s<seed>-<index>`, or the name of a fixed regression case. */
  readonly id: string;
  /** In start order within their list: init containers in order, then spec.containers around the app. */
  readonly sidecars: readonly SidecarShape[];
  /**
   * The app exits 1 at start unless the sidecar at this index answers ready (an app that crashes
   * without its sidecar; restarted by the kubelet with back-off).
   * @default - the app runs until stopped
   */
  readonly appRequires?: number;
}

/** The app container's name in every shape. */
export const APP = 'app';

/** Ports of the i-th sidecar: HTTP and gRPC serve at once (503 / NOT_SERVING until ready), the TCP port opens when ready. */
export function portsOf(index: number): { http: number; grpc: number; tcp: number } {
  return { http: 8080 + 10 * index, grpc: 8081 + 10 * index, tcp: 8082 + 10 * index };
}

/** mulberry32: a small PRNG whose sequence depends on the seed only (not on a library's version). */
/* eslint-disable no-bitwise */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` shapes from `seed`: shape i is the same whatever `count`. */
export function generateShapes(seed: number, count: number): PodShape[] {
  return Array.from({ length: count }, (_, i) => generateShape(random((seed * 7919 + i * 104729) >>> 0), `s${seed}-${i}`));
}
/* eslint-enable no-bitwise */

function generateShape(rnd: () => number, id: string): PodShape {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const chance = (p: number) => rnd() < p;
  const count = pick([1, 1, 2, 2, 3]);
  const sidecars: SidecarShape[] = [];
  for (let i = 0; i < count; i++) {
    const where = pick<Where>(['native', 'native', 'native', 'native', 'before-app', 'before-app', 'before-app', 'after-app', 'init']);
    // Ready late enough that an app started with the sidecar (about 1-2 s, or after a check that passes
    // on an open port, at most initialDelay 1 + period 3 + 2 s) is clearly before it; or never.
    const readyAfter = chance(0.15) ? 'never' : pick([8, 10]);
    // The API server rejects probes and hooks on an ordinary init container (V3): only a long-running helper there.
    if (where === 'init') {
      sidecars.push({ name: `s${i}`, where, readyAfter });
      continue;
    }
    const probe = (threshold: boolean, kinds: readonly CheckKind[] = KINDS): ProbeShape => {
      const periodSeconds = pick([1, 2, 3]);
      const kind = pick(kinds);
      // A startupProbe that gives up before a ready-after sidecar is ready restarts it forever: allow for the delay.
      const minimum = threshold ? Math.ceil(14 / periodSeconds) : 1;
      return {
        kind,
        periodSeconds,
        failureThreshold: Math.max(minimum, pick([1, 3, 5, 30])),
        initialDelaySeconds: pick([0, 0, 1]),
        variant: kind !== 'tcpSocket' && chance(0.25),
      };
    };
    const readinessProbe = chance(0.5) ? probe(false) : undefined;
    const startupProbe = chance(where === 'native' ? 0.55 : 0.2) ? probe(true, startupKinds(readinessProbe?.kind)) : undefined;
    // A livenessProbe that kills the sidecar before it is ready keeps it from ever being ready: both are fine.
    const livenessProbe = chance(0.2) ? probe(false) : undefined;
    const nativeBefore = sidecars.findIndex(x => x.where === 'native');
    const postStart = chance(0.45) ? hook(pick, readyAfter, nativeBefore >= 0 ? nativeBefore : undefined) : undefined;
    sidecars.push({ name: `s${i}`, where, readyAfter, startupProbe, readinessProbe, livenessProbe, postStart });
  }
  return { id, sidecars };
}

const KINDS: readonly CheckKind[] = ['exec', 'httpGet', 'httpGet', 'tcpSocket', 'tcpSocket', 'grpc'];

/**
 * The startupProbe kinds a sidecar with this readinessProbe may get: the same kind, an exec
 * check, or a tcpSocket check on the port that answers at once (weaker, SF111). Not an HTTP
 * check beside a gRPC readiness check or the other way round, nor anything but tcpSocket beside a
 * tcpSocket readiness check: the model rightly says those may pass before ready (another port), and
 * the stand-in, which passes every check but the open-port one at the same moment, cannot show it.
 */
function startupKinds(readiness: CheckKind | undefined): readonly CheckKind[] {
  switch (readiness) {
    case undefined:
    case 'exec':
      return KINDS;
    case 'tcpSocket':
      return ['tcpSocket'];
    default:
      return [readiness, readiness, 'exec', 'tcpSocket'];
  }
}

function hook(pick: <T>(items: readonly T[]) => T, readyAfter: number | 'never', nativeBefore: number | undefined): HookShape {
  const kind = pick(['poll', 'poll', 'poll', 'once-ok', 'once-check', 'fail', 'sleep', 'http-answering', 'http-closed', 'tcp'] as const);
  if (kind === 'http-answering') {
    return nativeBefore !== undefined ? { kind, target: nativeBefore } : { kind: 'http-closed' };
  }
  if (kind === 'poll') {
    // A loop gives up before the end of the observation when the sidecar is never ready, never when it will be.
    return { kind, via: pick(['file', 'wget'] as const), deadline: readyAfter === 'never' ? pick([4, 6]) : 40, interval: pick([1, 1, 2]) };
  }
  if (kind === 'sleep') {
    return { kind, seconds: pick([1, 2]) };
  }
  return { kind };
}

/** The sidecar's readiness criterion is a tcpSocket check: then tcpSocket checks aim at the port that opens when it is ready. */
function tcpIsReadiness(s: SidecarShape): boolean {
  return (s.readinessProbe ?? s.startupProbe)?.kind === 'tcpSocket';
}

function check(s: SidecarShape, index: number, p: ProbeShape): ManifestHandler {
  const ports = portsOf(index);
  switch (p.kind) {
    case 'exec':
      return { exec: { command: p.variant ? ['cat', '/tmp/ready'] : ['test', '-f', '/tmp/ready'] } };
    case 'httpGet':
      return { httpGet: { port: ports.http, path: p.variant ? '/healthz' : '/ready' } };
    case 'tcpSocket':
      return { tcpSocket: { port: tcpIsReadiness(s) ? ports.tcp : ports.http } };
    case 'grpc':
      // The stand-in's health server knows the empty service only: the variant is the same check spelled out.
      return { grpc: p.variant ? { port: ports.grpc, service: '' } : { port: ports.grpc } };
  }
}

function probeOf(s: SidecarShape, index: number, p: ProbeShape): ManifestProbe {
  return {
    ...check(s, index, p),
    periodSeconds: p.periodSeconds,
    failureThreshold: p.failureThreshold,
    ...(p.initialDelaySeconds > 0 ? { initialDelaySeconds: p.initialDelaySeconds } : {}),
  };
}

function hookOf(h: HookShape, index: number): ManifestHandler {
  const ports = portsOf(index);
  switch (h.kind) {
    case 'poll': {
      const test = h.via === 'file' ? 'test -f /tmp/ready' : `wget -q -O /dev/null http://127.0.0.1:${ports.http}/ready`;
      // Busybox's wget has no timeout option; the stand-in answers at once.
      const loop = `i=0; until ${test}; do i=$((i+${h.interval})); [ $i -ge ${h.deadline} ] && exit 1; sleep ${h.interval}; done`;
      return { exec: { command: ['sh', '-c', loop] } };
    }
    case 'once-ok':
      return { exec: { command: ['sh', '-c', 'echo started'] } };
    case 'once-check':
      return { exec: { command: ['test', '-f', '/tmp/ready'] } };
    case 'fail':
      return { exec: { command: ['sh', '-c', 'exit 1'] } };
    case 'sleep':
      return { sleep: { seconds: h.seconds } };
    case 'http-answering':
      return { httpGet: { port: portsOf(h.target).http, path: '/ready' } };
    case 'http-closed':
      return { httpGet: { port: ports.tcp, path: '/ready' } };
    case 'tcp':
      return { tcpSocket: { port: ports.http } };
  }
}

/**
 * The pod spec a shape runs as, every container a stand-in of `image`. The harness
 * (test/support/real-node.ts) adds the stamps volume and each container's STANDIN_NAME.
 */
export function renderPod(shape: PodShape, image: string): ManifestPodSpec {
  const standin = (name: string, args: string[]): ManifestContainer => ({ name, image, args });
  const sidecar = (s: SidecarShape, index: number): ManifestContainer => {
    const ports = portsOf(index);
    const container: any = standin(s.name, [
      `-http=${ports.http}`, `-grpc=${ports.grpc}`, `-tcp=${ports.tcp}`,
      '-ready-file=/tmp/ready', `-ready-after=${s.readyAfter === 'never' ? 'never' : `${s.readyAfter}s`}`,
    ]);
    if (s.where === 'native') {
      container.restartPolicy = 'Always';
    }
    for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      const p = s[kind];
      if (p) {
        container[kind] = probeOf(s, index, p);
      }
    }
    if (s.postStart) {
      container.lifecycle = { postStart: hookOf(s.postStart, index) };
    }
    return container;
  };
  const rendered = shape.sidecars.map((s, i) => ({ s, c: sidecar(s, i) }));
  const initContainers = rendered.filter(r => r.s.where === 'native' || r.s.where === 'init').map(r => r.c);
  const app = standin(APP, shape.appRequires === undefined ? [] : [`-require-url=http://127.0.0.1:${portsOf(shape.appRequires).http}/ready`]);
  const containers = [
    ...rendered.filter(r => r.s.where === 'before-app').map(r => r.c),
    app,
    ...rendered.filter(r => r.s.where === 'after-app').map(r => r.c),
  ];
  return {
    ...(initContainers.length > 0 ? { initContainers } : {}),
    containers,
    // The stand-in exits on SIGTERM at once; a killed sidecar (failed hook) costs no grace period.
    terminationGracePeriodSeconds: 5,
  };
}

/** One line per shape, for the test's output: placement, readiness delay, probes and hook of each sidecar. */
export function describeShape(shape: PodShape): string {
  const probe = (label: string, p?: ProbeShape) =>
    (p ? ` ${label}=${p.kind}${p.variant ? '*' : ''}/p${p.periodSeconds}f${p.failureThreshold}${p.initialDelaySeconds ? `d${p.initialDelaySeconds}` : ''}` : '');
  const hookText = (h?: HookShape) => {
    if (!h) {
      return '';
    }
    const detail = h.kind === 'poll' ? `:${h.via}/${h.interval}s/max${h.deadline}s` : h.kind === 'sleep' ? `:${h.seconds}s`
      : h.kind === 'http-answering' ? `:s${h.target}` : '';
    return ` postStart=${h.kind}${detail}`;
  };
  return `${shape.id}${shape.appRequires === undefined ? '' : ` (app needs s${shape.appRequires})`}: ` + shape.sidecars.map(s =>
    `[${s.name} ${s.where} ready=${s.readyAfter === 'never' ? 'never' : `${s.readyAfter}s`}`
    + `${probe('startup', s.startupProbe)}${probe('readiness', s.readinessProbe)}${probe('liveness', s.livenessProbe)}${hookText(s.postStart)}]`).join(' ');
}
