/**
 * What the kubelet rules (kubelet-rules.ts, as `sidecar-first check --sidecar NAME` uses them) say a
 * shape does, as claims about what a node shows; and the comparison of those claims with what a
 * real kubelet did.
 *
 * The observable, per pod: A, when the app container first started (its stand-in's `start` stamp),
 * and per sidecar R, when it first became ready (its `ready` stamp; none if it never was). Both are
 * CLOCK_MONOTONIC on the node. From the model's verdict on each sidecar:
 *
 * - "waits" (appWaitsForReady): the app does not start before the sidecar is ready: A >= R, or the
 *   app never started (a sidecar that is never ready holds it forever).
 * - "does not wait": the app starts clearly before the sidecar is ready: A < R - 0.5 s (R absent:
 *   never ready). If another sidecar of the pod has a gate, it may hold the app past R: then a
 *   later A proves nothing and the claim is inconclusive (reported, not counted as agreeing).
 * - "holds forever": the sidecar's check never passes (never ready; a hook that fails; an ordinary
 *   init container, which never exits) and the model says the app never starts
 *   (ifCheckNeverPasses app-never-starts): the app does not start during the observation.
 * - "app starts": the sidecar's check never passes and the model says the app starts anyway or
 *   runs: the app starts, unless another sidecar holds it forever.
 *
 * Whether a check ever passes is a fact of the shape (the stand-in's delay, the hook's command),
 * written here once: a poll loop passes when the sidecar is ready; `echo`, a sleep and an httpGet
 * hook to a port that answers (whatever the status: the kubelet does not read it) pass; `exit 1`,
 * a one-shot check at start, an httpGet hook to a closed port and a tcpSocket hook fail.
 */
import { HookShape, PodShape, SidecarShape } from './shapes';
import { Gate, IfCheckNeverPasses, StartsBeforeApp } from '../../../src';
import { findSidecars, judgeSidecar, ManifestPodSpec, SidecarVerdict } from '../../../src/private/rules/kubelet-rules';
import { KubernetesVersion } from '../../../src/private/rules/kubernetes-version';

export type ClaimKind = 'waits' | 'does-not-wait' | 'holds-forever' | 'app-starts';

export interface Claim {
  readonly sidecar: string;
  readonly kind: ClaimKind;
  /** The verdict's gate: anything but none may hold the app back. */
  readonly gate: Gate;
  /** The verdict behind it, in words. */
  readonly verdict: string;
}

/** What a node showed for one pod; times in seconds on one clock. */
export interface Observation {
  /** The app's first start; undefined if it did not start during the observation. */
  readonly appStart?: number;
  /** Each sidecar's first start and first ready time; undefined if it never did. */
  readonly sidecars: { readonly [name: string]: { readonly start?: number; readonly ready?: number } };
}

export type Outcome = 'agrees' | 'disagrees' | 'inconclusive' | 'too-close';

export interface Judged {
  readonly claim: Claim;
  readonly outcome: Outcome;
  /** What the kubelet did, in words. */
  readonly seen: string;
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
    case 'http-serving':
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
      return s.readyAfter !== 'never' || (s.startupProbe?.kind === 'tcpSocket' && tcpEarly);
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
    return { sidecar: s.name, kind, gate: v.gate, verdict: words };
  });
}

const seconds = (t: number) => `${t.toFixed(1)} s`;

/** Each claim against what the kubelet did. */
export function judge(shape: PodShape, claims: readonly Claim[], seen: Observation): Judged[] {
  const anyHolds = claims.some(c => c.kind === 'holds-forever');
  // Another sidecar that may hold the app back, if only for a moment (a sleep, a check on an open port).
  const gated = (name: string) => claims.some(c => c.sidecar !== name && (c.gate !== Gate.NONE || c.kind !== 'does-not-wait'));
  const t0 = Math.min(...[seen.appStart, ...Object.values(seen.sidecars).map(s => s.start)].filter((t): t is number => t !== undefined));
  const at = (t: number | undefined) => (t === undefined ? 'never' : seconds(t - t0));
  return claims.map(claim => {
    const A = seen.appStart;
    const R = seen.sidecars[claim.sidecar]?.ready;
    const text = `app started ${A === undefined ? 'never' : `at ${at(A)}`}, ${claim.sidecar} ready ${R === undefined ? 'never' : `at ${at(R)}`}`;
    const result = (outcome: Outcome) => ({ claim, outcome, seen: text });
    switch (claim.kind) {
      case 'holds-forever':
        return result(A === undefined ? 'agrees' : 'disagrees');
      case 'waits':
        return result(A === undefined || (R !== undefined && A >= R) ? 'agrees' : 'disagrees');
      case 'app-starts':
        return result(A !== undefined ? 'agrees' : anyHolds ? 'inconclusive' : 'disagrees');
      case 'does-not-wait': {
        if (A !== undefined && (R === undefined || A < R - BEFORE_MARGIN_SECONDS)) {
          return result('agrees');
        }
        if (anyHolds || gated(claim.sidecar)) {
          return result('inconclusive');
        }
        return result(A !== undefined && R !== undefined && A < R ? 'too-close' : 'disagrees');
      }
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
