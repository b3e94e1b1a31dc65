/**
 * What the kubelet rules (kubelet-rules.ts, as `sidecar-first check --sidecar NAME` uses them) say a
 * shape does, as claims about what a node shows; and the comparison of those claims with what a
 * real kubelet did.
 *
 * The observable: when each container first started (its stand-in's `start` stamp) and when each
 * sidecar first became ready (its `ready` stamp; none if it never was), CLOCK_MONOTONIC on the
 * node. For a sidecar X, N is when the container after it in start order started (`nextAfter`: the
 * app, or the next container on the way to it; the app itself for a sidecar placed after the app).
 * From the model's verdict on X:
 *
 * - "waits" (appWaitsForReady): nothing after X starts before X is ready: N >= R, or N never.
 * - "does not wait": the next container starts clearly before X is ready: N < R - 0.5 s (R absent:
 *   never ready); N between R - 0.5 s and R is too close to call, and counts against.
 * - "holds forever": X's check never passes (never ready; a hook that fails; an ordinary init
 *   container, which never exits) and the model says the app never starts
 *   (ifCheckNeverPasses app-never-starts): the app does not start during the observation.
 * - "app starts": X's check never passes and the model says the app starts anyway or runs: the
 *   next container starts.
 *
 * A claim on a sidecar that never started (a container before it held it) is inconclusive.
 *
 * Whether a check ever passes is a fact of the shape (the stand-in's delay, the hook's command),
 * written here once: a poll loop passes when the sidecar is ready; `echo`, a sleep and an httpGet
 * hook to a port that answers (whatever the status: the kubelet does not read it) pass; `exit 1`,
 * a one-shot check at start, an httpGet hook to a closed port and a tcpSocket hook fail.
 */
import { APP, HookShape, PodShape, SidecarShape } from './shapes';
import { Gate, IfCheckNeverPasses, StartsBeforeApp } from '../../../src';
import { findSidecars, judgeSidecar, ManifestPodSpec, SidecarVerdict } from '../../../src/private/rules/kubelet-rules';
import { KubernetesVersion } from '../../../src/private/rules/kubernetes-version';

export type ClaimKind = 'waits' | 'does-not-wait' | 'holds-forever' | 'app-starts';

export interface Claim {
  readonly sidecar: string;
  readonly kind: ClaimKind;
  /** The verdict's gate: anything but none may hold the app back. */
  readonly gate: Gate;
  readonly startsBeforeApp: StartsBeforeApp;
  /** The verdict behind it, in words. */
  readonly verdict: string;
}

/** What a node showed for one pod; times in seconds on one clock. */
export interface Observation {
  /** Each container's first start and first ready time; undefined if it never did. */
  readonly containers: { readonly [name: string]: { readonly start?: number; readonly ready?: number } };
}

export type Outcome = 'agrees' | 'disagrees' | 'inconclusive' | 'too-close';

export interface Judged {
  readonly claim: Claim;
  readonly outcome: Outcome;
  /** What the kubelet did, in words. */
  readonly seen: string;
  /** For waits and does-not-wait: by how many seconds the next container started after (waits) or before (does-not-wait) the sidecar was ready. */
  readonly margin?: number;
  /** Seconds from the sidecar's start to the next container's. */
  readonly lag?: number;
}

/** A's distance before R that counts as "clearly before" (well above stamp and scheduling jitter). */
export const BEFORE_MARGIN_SECONDS = 0.5;

/** The model's verdict on every sidecar of the shape, each named as with `--sidecar`. */
export function verdictsOf(shape: PodShape, spec: ManifestPodSpec, version?: KubernetesVersion): SidecarVerdict[] {
  const named = shape.sidecars.map(s => s.name);
  const sidecars = findSidecars(spec, named);
  return shape.sidecars.map(s => judgeSidecar(spec, s.name, sidecars, version));
}

/** Whether a postStart hook returns successfully when run at the sidecar's start. */
export function hookPasses(hook: HookShape, readyAfter: number | 'never'): boolean {
  switch (hook.kind) {
    case 'poll':
      return readyAfter !== 'never';
    case 'once-ok':
    case 'sleep':
    case 'http-answering':
      return true;
    case 'once-check':
    case 'fail':
    case 'http-closed':
    case 'tcp':
      return false;
  }
}

/** Whether the check that the verdict's gate names ever passes for this sidecar. */
function checkPasses(s: SidecarShape, v: SidecarVerdict, tcpEarly: boolean): boolean {
  switch (v.gate) {
    case Gate.STARTUP_PROBE:
      // A native sidecar whose hook fails is killed before its probe counts (R4).
      return (s.readyAfter !== 'never' || (s.startupProbe?.kind === 'tcpSocket' && tcpEarly))
        && (s.postStart === undefined || hookPasses(s.postStart, s.readyAfter));
    case Gate.POST_START:
      return hookPasses(s.postStart!, s.readyAfter);
    default:
      // No gate, yet the app starts after it: it must exit first (an ordinary init container, or a native
      // sidecar where they are not supported, SF201), and a long-running helper never exits.
      return v.startsBeforeApp !== StartsBeforeApp.YES && s.readyAfter !== 'never';
  }
}

const HOLDS = new Set<string>([IfCheckNeverPasses.APP_NEVER_STARTS, IfCheckNeverPasses.JOB_FAILS]);

/** The model's claims about a shape. */
export function predict(shape: PodShape, verdicts: readonly SidecarVerdict[]): Claim[] {
  return shape.sidecars.map((s, i) => {
    const v = verdicts[i];
    const tcpEarly = (s.readinessProbe ?? s.startupProbe)?.kind !== 'tcpSocket';
    const words = `${v.placement}, gate ${v.gate}, startsBeforeApp ${v.startsBeforeApp}, appWaitsForReady ${v.appWaitsForReady}, `
      + `if the check never passes: ${v.ifCheckNeverPasses}${v.findings.length ? ` (${v.findings.map(f => f.id).join(', ')})` : ''}`;
    const passes = checkPasses(s, v, tcpEarly);
    const kind: ClaimKind = passes
      ? (v.appWaitsForReady ? 'waits' : 'does-not-wait')
      : (HOLDS.has(v.ifCheckNeverPasses) ? 'holds-forever' : 'app-starts');
    return { sidecar: s.name, kind, gate: v.gate, startsBeforeApp: v.startsBeforeApp, verdict: words };
  });
}

const seconds = (t: number) => `${t.toFixed(1)} s`;

/**
 * The container the kubelet starts right after the sidecar, which its gate holds (R1, R4): the next
 * init container, else the first of spec.containers; the next of spec.containers for a sidecar
 * there. For a sidecar after the app, the app (which does not wait for it). On the way to the
 * app, so whatever holds it holds the app; and unlike the app, not held by sidecars started later.
 */
export function nextAfter(shape: PodShape, spec: ManifestPodSpec, sidecar: string): string | undefined {
  const where = shape.sidecars.find(s => s.name === sidecar)?.where;
  if (where === 'after-app') {
    return APP;
  }
  const order = [...(spec.initContainers ?? []), ...spec.containers].map(c => c.name);
  return order[order.indexOf(sidecar) + 1];
}

/** Each claim against what the kubelet did. */
export function judge(shape: PodShape, spec: ManifestPodSpec, claims: readonly Claim[], seen: Observation): Judged[] {
  const starts = Object.values(seen.containers).map(c => c.start).filter((t): t is number => t !== undefined);
  const t0 = Math.min(...starts);
  const at = (t: number | undefined) => (t === undefined ? 'never' : seconds(t - t0));
  const A = seen.containers[APP]?.start;
  return claims.map(claim => {
    const X = seen.containers[claim.sidecar] ?? {};
    const next = nextAfter(shape, spec, claim.sidecar);
    const N = next === undefined ? undefined : seen.containers[next]?.start;
    const text = `${claim.sidecar} started ${at(X.start)}, ready ${at(X.ready)}; ${next ?? 'nothing'} after it started ${at(N)}`
      + `${next === APP ? '' : `; app started ${at(A)}`}`;
    const gap = N !== undefined && X.ready !== undefined ? (claim.kind === 'waits' ? N - X.ready : X.ready - N) : undefined;
    // Not for a sidecar after the app, whose next container (the app) starts before it.
    const after = shape.sidecars.find(s => s.name === claim.sidecar)?.where === 'after-app';
    const lag = N !== undefined && X.start !== undefined && !after ? N - X.start : undefined;
    const result = (outcome: Outcome): Judged => ({
      claim, outcome, seen: text, ...(gap !== undefined ? { margin: gap } : {}), ...(lag !== undefined ? { lag } : {}),
    });
    if (claim.kind === 'holds-forever') {
      return result(A === undefined ? 'agrees' : 'disagrees');
    }
    if (X.start === undefined) {
      // Held by a container before it: nothing to see.
      return result('inconclusive');
    }
    switch (claim.kind) {
      case 'waits':
        return result(N === undefined || (X.ready !== undefined && N >= X.ready) ? 'agrees' : 'disagrees');
      case 'app-starts':
        return result(N !== undefined ? 'agrees' : 'disagrees');
      case 'does-not-wait':
        if (N !== undefined && (X.ready === undefined || N < X.ready - BEFORE_MARGIN_SECONDS)) {
          return result('agrees');
        }
        return result(N !== undefined && X.ready !== undefined && N < X.ready ? 'too-close' : 'disagrees');
    }
  });
}

/** A pod agrees when no claim disagrees or is too close to call, and at least one claim agrees. */
export function podOutcome(judged: readonly Judged[]): 'agrees' | 'disagrees' | 'inconclusive' {
  if (judged.some(j => j.outcome === 'disagrees' || j.outcome === 'too-close')) {
    return 'disagrees';
  }
  return judged.some(j => j.outcome === 'agrees') ? 'agrees' : 'inconclusive';
}
