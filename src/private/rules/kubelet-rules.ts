/**
 * The kubelet's start-up rules (docs/kubelet-semantics.md), on pod specs as they
 * appear in manifests. This is the one place that says what the kubelet does:
 * the analyzer reports with it, and the compiler's tests judge the compiler's
 * output with it, so the two cannot disagree.
 * @internal
 */
import { finding, FINDINGS } from './findings';
import { KNOWN_WAITERS, knownSidecar } from './known-sidecars';
import { atLeast, formatVersion, KubernetesVersion } from './kubernetes-version';
import { Finding, Gate, IfCheckNeverPasses, Placement, Severity, StartsBeforeApp } from '../../analyzer/verdict';
import { decodeWaitHook, isWaitHook } from '../compiler/hook-arguments';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A probe or lifecycle handler, as in a manifest. @internal */
export interface ManifestHandler {
  readonly exec?: { readonly command?: string[] };
  readonly httpGet?: { readonly port?: number | string; readonly path?: string };
  readonly tcpSocket?: { readonly port?: number | string };
  readonly grpc?: { readonly port?: number; readonly service?: string };
  readonly sleep?: { readonly seconds?: number };
}

/** A probe, as in a manifest. @internal */
export interface ManifestProbe extends ManifestHandler {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
  readonly terminationGracePeriodSeconds?: number;
}

/** A container, as in a manifest. @internal */
export interface ManifestContainer {
  readonly name: string;
  readonly restartPolicy?: string;
  readonly startupProbe?: ManifestProbe;
  readonly readinessProbe?: ManifestProbe;
  readonly livenessProbe?: ManifestProbe;
  readonly lifecycle?: { readonly postStart?: ManifestHandler; readonly preStop?: ManifestHandler };
  readonly [field: string]: any;
}

/** A pod spec, as in a manifest. @internal */
export interface ManifestPodSpec {
  readonly containers: ManifestContainer[];
  readonly initContainers?: ManifestContainer[];
  readonly terminationGracePeriodSeconds?: number;
  readonly [field: string]: any;
}

/**
 * The words of the findings on whether the app waits, with the values they
 * name as arguments: the analyzer reports with them, and the admission
 * policy's CEL (src/private/policy/cel-rules.ts) builds its messages from
 * them, so that `check` and the cluster say the same thing.
 * @internal
 */
export const WAIT_MESSAGES = {
  SF101: () => 'an init container without restartPolicy: Always must exit before the app starts; a long-running helper keeps the pod in Init forever',
  SF102: () => 'readinessProbe does not delay the app',
  SF103: () => 'livenessProbe does not delay the app',
  SF104: () => 'nothing holds the app back: no startupProbe and no postStart hook that waits',
  SF105: (appBefore: string) => `listed after app container "${appBefore}", which starts before it: a sidecar in spec.containers must come first`,
  SF106: () => 'postStart httpGet is a single request, not a poll: it is not a wait; any HTTP answer passes it, 503 included, and it fails only if nothing answers at that instant',
  SF107: () => 'postStart hook uses tcpSocket, which always fails at run time',
  SF108: (seconds: string) => `postStart sleeps ${seconds} s: a fixed delay, not a wait for the sidecar to be ready`,
  /** `what`: the command, quoted, or `nothing`. */
  SF109: (what: string) => `postStart runs ${what} once: it does not poll (no loop, no known waiter such as pilot-agent wait or linkerd-await), so it is not a wait`,
  SF111Tcp: (startupPort: string, readiness: string) => `startupProbe only checks that port ${startupPort} is open, the readinessProbe is ${readiness}: the app waits for the startup check, not for ready`,
  SF111Port: (startupPort: string, readinessPort: string) => `startupProbe checks port ${startupPort}, the readinessProbe port ${readinessPort}: the app waits for the startup check, not for ready`,
} as const;

/** Defaults the API server applies to unset probe numbers (V4). */
const PROBE_DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;

/**
 * The four answers of docs/kubelet-semantics.md's table of guarantees, for one sidecar, and what
 * a reviewer would point out.
 * @internal
 */
export interface SidecarVerdict {
  readonly name: string;
  readonly placement: Placement;
  readonly gate: Gate;
  readonly startsBeforeApp: StartsBeforeApp;
  readonly appWaitsForReady: boolean;
  readonly ifCheckNeverPasses: IfCheckNeverPasses;
  readonly findings: Finding[];
}

/**
 * "Native sidecar": an init container whose restartPolicy is Always; nothing else is.
 * @internal
 */
export function isNativeSidecar(initContainer: ManifestContainer): boolean {
  return initContainer.restartPolicy === 'Always';
}

/**
 * Native sidecars need Kubernetes 1.29 (beta, on by default); in 1.28 the gate
 * is off by default and the API server drops restartPolicy.
 * @internal
 */
export function supportsNativeSidecars(version: KubernetesVersion): boolean {
  return atLeast(version, 1, 29);
}

/**
 * A pod's containers by name, built once per pod spec so that judging every
 * sidecar of a pod with thousands of containers stays linear.
 */
interface PodIndex {
  readonly inits: readonly ManifestContainer[];
  readonly regulars: readonly ManifestContainer[];
  /** Name to index; the first container of that name wins, as with findIndex. */
  readonly init: ReadonlyMap<string, number>;
  readonly regular: ReadonlyMap<string, number>;
  /** Index of the first init container with a probe (R3b), or -1. */
  readonly firstProbedInit: number;
  /** A regular container with a probe, if any (its probe worker outlives a restarted sidecar's, R3b). */
  readonly probedRegular?: ManifestContainer;
  readonly count: number;
}

/**
 * The index of the pod judged last: every caller judges one pod at a time
 * (its sidecars, then its API rules). One entry rather than a WeakMap, whose
 * entry per pod costs the garbage collector more than the index itself when
 * thousands of pods are synthesized.
 */
let lastIndex: { readonly spec: ManifestPodSpec; readonly index: PodIndex } | undefined;

function indexOf(spec: ManifestPodSpec): PodIndex {
  const inits = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const regulars = Array.isArray(spec.containers) ? spec.containers : [];
  const cached = lastIndex?.spec === spec ? lastIndex.index : undefined;
  // The same arrays of the same lengths: a spec changed since (tests build specs step by step) is indexed again.
  if (cached && cached.inits === inits && cached.regulars === regulars && cached.count === inits.length + regulars.length) {
    return cached;
  }
  const byName = (list: readonly ManifestContainer[]) => {
    const map = new Map<string, number>();
    list.forEach((c, i) => {
      if (!map.has(c.name)) {
        map.set(c.name, i);
      }
    });
    return map;
  };
  const index = {
    inits,
    regulars,
    init: byName(inits),
    regular: byName(regulars),
    firstProbedInit: inits.findIndex(c => PROBES.some(p => isObject(c[p]))),
    probedRegular: regulars.find(c => PROBES.some(p => isObject(c[p]))),
    count: inits.length + regulars.length,
  };
  lastIndex = { spec, index };
  return index;
}

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

/** The sidecars of a pod as a set, and its first app container, for the (pod, sidecar list) judged last (see lastIndex). */
let lastSidecarSet: { sidecars: readonly string[]; spec: ManifestPodSpec; names: ReadonlySet<string>; firstApp: number } | undefined;

function sidecarSetOf(spec: ManifestPodSpec, sidecars: readonly string[]): { names: ReadonlySet<string>; firstApp: number } {
  if (lastSidecarSet && lastSidecarSet.sidecars === sidecars && lastSidecarSet.spec === spec) {
    return lastSidecarSet;
  }
  const names = new Set(sidecars);
  lastSidecarSet = { sidecars, spec, names, firstApp: indexOf(spec).regulars.findIndex(c => !names.has(c.name)) };
  return lastSidecarSet;
}

/**
 * Which containers of a pod are sidecars, in start order: every native
 * sidecar; the containers named in `named` (the `--sidecar` option, the pod
 * annotation); well-known helpers in `spec.containers` (known-sidecars.ts);
 * and every container of `spec.containers` whose postStart hook polls and
 * that has containers after it. An app container's own hook (Istio's
 * `httpGet :15020/app-lifecycle`, a one-off command) never makes it a
 * sidecar. Recognition by name, image or hook needs an app left over: a pod
 * of helpers only (a standalone proxy) has no sidecars.
 * @internal
 */
export function findSidecars(spec: ManifestPodSpec, named: readonly string[] = []): string[] {
  const pod = indexOf(spec);
  const wanted = new Set(named);
  const inits = pod.inits.filter(c => isNativeSidecar(c) || wanted.has(c.name)).map(c => c.name);
  const last = pod.regulars.length - 1;
  const recognised = pod.regulars.map((c, i) => knownSidecar(c) !== undefined || (i < last && hookPolls(c.lifecycle?.postStart)));
  const appLeft = pod.regulars.some((c, i) => !recognised[i] && !wanted.has(c.name));
  const regulars = pod.regulars.filter((c, i) => wanted.has(c.name) || (appLeft && recognised[i])).map(c => c.name);
  // A name that is both an init and a regular container is judged as the init container.
  const initNames = new Set(inits);
  return [...inits, ...regulars.filter(n => !initNames.has(n) && !pod.init.has(n))];
}

/**
 * What the kubelet does with the pod beyond its spec.
 * @internal
 */
export interface PodContext {
  /** The oldest Kubernetes version of API server and nodes; undefined: judge for the newest, and say what depends on it. */
  readonly version?: KubernetesVersion;
  /** The pod belongs to a Job (a Job or CronJob, by shape): restarts count toward backoffLimit (R3a). */
  readonly job?: boolean;
  /** Sidecars whose way to exit once the app is done is declared (the `sidecar-first.dev/job-exit` annotation). */
  readonly declaredExits?: readonly string[];
}

/**
 * Judges one sidecar of a pod: does the app wait for it, and what happens if
 * its check never passes (docs/kubelet-semantics.md R1-R6 and its table of guarantees).
 * @param sidecars every container of the pod that is a sidecar (the rest are the app)
 * @internal
 */
export function judgeSidecar(
  spec: ManifestPodSpec,
  name: string,
  sidecars: readonly string[],
  version?: KubernetesVersion,
  context: PodContext = {},
): SidecarVerdict {
  const pod = indexOf(spec);
  const ctx = { ...context, version: version ?? context.version, restartPolicy: shown(spec.restartPolicy ?? 'Always') };
  const initIndex = pod.init.get(name);
  if (initIndex !== undefined) {
    return judgeInitContainer(pod, initIndex, ctx);
  }
  const index = pod.regular.get(name);
  if (index === undefined) {
    throw new Error(`no container named "${name}" in this pod`);
  }
  const { firstApp } = sidecarSetOf(spec, sidecars);
  const appBefore = firstApp >= 0 && firstApp < index ? pod.regulars[firstApp].name : undefined;
  return judgeLegacy(pod.regulars[index], appBefore, ctx);
}

interface JudgeContext extends PodContext {
  /** The pod's restartPolicy, Always when unset. */
  readonly restartPolicy: string;
}

/**
 * Whether the kubelet starts container `name` only after sidecar `sidecar`'s
 * gate has passed (R1, R3, R4): the sidecar must come earlier in the start
 * sequence and hold what follows it.
 * @internal
 */
export function startsAfterGate(spec: ManifestPodSpec, name: string, sidecar: string): boolean {
  const pod = indexOf(spec);
  const initOf = (n: string) => pod.init.get(n) ?? -1;
  const regularOf = (n: string) => pod.regular.get(n) ?? -1;
  const s = initOf(sidecar) >= 0 ? pod.inits[initOf(sidecar)] : pod.regulars[regularOf(sidecar)];
  if (!s) {
    return false;
  }
  const waits = hookWaits(s.lifecycle?.postStart, []);
  if (initOf(sidecar) >= 0) {
    // A native sidecar's startupProbe or hook holds every later init container and all regular containers.
    return isNativeSidecar(s) && (s.startupProbe !== undefined || waits) && (regularOf(name) >= 0 || initOf(name) > initOf(sidecar));
  }
  // A regular container's hook holds only the regular containers after it; its startupProbe holds nothing.
  return waits && regularOf(name) > regularOf(sidecar);
}

function judgeInitContainer(pod: PodIndex, index: number, ctx: JudgeContext): SidecarVerdict {
  const container = pod.inits[index];
  const findings: Finding[] = [];
  if (!isNativeSidecar(container)) {
    // An ordinary init container: it must exit before anything later starts (R1).
    findings.push(finding('SF101', WAIT_MESSAGES.SF101()));
    return verdict(container.name, Placement.INIT, Gate.NONE, StartsBeforeApp.YES, false, IfCheckNeverPasses.APP_NEVER_STARTS, findings);
  }
  if (ctx.version && !supportsNativeSidecars(ctx.version)) {
    findings.push(finding('SF201', `native sidecars need Kubernetes 1.29+: on ${formatVersion(ctx.version)} the API server drops restartPolicy, so this init container must exit before the app starts (the pod is rejected if it has probes or hooks, else it stays in Init)`));
    return verdict(container.name, Placement.NATIVE, Gate.NONE, StartsBeforeApp.YES, false, IfCheckNeverPasses.APP_NEVER_STARTS, findings);
  }
  if (!ctx.version) {
    findings.push(finding('SF200', 'verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)'));
  }
  // R3a: in an OnFailure Job, a sidecar restarted forever fails the Job instead.
  const neverPasses = () => {
    if (ctx.job && ctx.restartPolicy === 'OnFailure') {
      findings.push(finding('SF203', 'in a Job with restartPolicy OnFailure its restarts count toward backoffLimit: if its check never passes, the Job fails'));
      return IfCheckNeverPasses.JOB_FAILS;
    }
    return IfCheckNeverPasses.APP_NEVER_STARTS;
  };
  const hook = container.lifecycle?.postStart;
  if (container.startupProbe) {
    const asStrong = startupProbeFindings(container, findings);
    findings.push(...restartedNeverProbed(pod, index, ctx));
    return verdict(container.name, Placement.NATIVE, Gate.STARTUP_PROBE, StartsBeforeApp.YES, asStrong, neverPasses(), findings);
  }
  if (hook) {
    // R4: a native sidecar's hook blocks everything after it; a failed hook restarts the sidecar.
    const waits = hookWaits(hook, findings);
    const starts = waits ? StartsBeforeApp.YES : StartsBeforeApp.IN_PARALLEL;
    const outcome = waits && !hookGivesUp(hook, findings) ? IfCheckNeverPasses.APP_NEVER_STARTS : neverPasses();
    return verdict(container.name, Placement.NATIVE, Gate.POST_START, starts, waits, outcome, findings);
  }
  // R2, R6: started as soon as it is running.
  return verdict(container.name, Placement.NATIVE, Gate.NONE, StartsBeforeApp.IN_PARALLEL, false, noGateOutcome(container, findings), findings);
}

/** R3b: a sidecar that exits before its startupProbe passes, in a Never pod with an earlier probe, on a kubelet without the fix. */
function restartedNeverProbed(pod: PodIndex, index: number, ctx: JudgeContext): Finding[] {
  // The kubelet's AddPod looks at the regular containers first, then the sidecars before this one (R3b).
  const probed = pod.probedRegular ?? (pod.firstProbedInit >= 0 && pod.firstProbedInit < index ? pod.inits[pod.firstProbedInit] : undefined);
  if (ctx.restartPolicy !== 'Never' || probed === undefined) {
    return [];
  }
  const what = `if it exits before its startupProbe passes, in a pod with restartPolicy Never and a probe on "${probed.name}", `
    + 'the kubelet stops probing it and the app never starts, even after it recovers (kubernetes#132826)';
  if (!ctx.version) {
    return [finding('SF200', `${what}: on kubelets before 1.33.6, 1.34.2 and 1.35.0`)];
  }
  const { minor, patch } = ctx.version;
  const fixedIn = ctx.version.major > 1 || minor >= 35 ? 0 : ({ 34: 2, 33: 6 } as { [minor: number]: number })[minor];
  if (fixedIn === 0 || (fixedIn !== undefined && patch !== undefined && patch >= fixedIn)) {
    return [];
  }
  const where = fixedIn === undefined ? `on ${formatVersion(ctx.version)} (never fixed there)` : `on ${formatVersion(ctx.version)} before 1.${minor}.${fixedIn}`;
  return [finding('SF204', `${what}, ${where}`)];
}

function judgeLegacy(container: ManifestContainer, appBefore: string | undefined, ctx: JudgeContext): SidecarVerdict {
  const findings: Finding[] = [];
  if (container.startupProbe) {
    findings.push(finding('SF110', 'startupProbe on a container in spec.containers does not delay the other containers'));
  }
  if (appBefore !== undefined) {
    findings.push(finding('SF105', WAIT_MESSAGES.SF105(appBefore)));
  }
  if (ctx.restartPolicy !== 'Always' && !ctx.declaredExits?.includes(container.name)) {
    findings.push(finding('SF205', `in spec.containers of a pod with restartPolicy ${ctx.restartPolicy}: the pod (and its Job) runs until this sidecar exits, so it must exit when the app is done`));
  }
  const hook = container.lifecycle?.postStart;
  // A hook after an app container holds none of the app (R4): its sidecar has no gate.
  if (hook && appBefore === undefined) {
    // R4: holds later containers only while the hook waits; a failed hook lets them start.
    const waits = hookWaits(hook, findings);
    const starts = waits ? StartsBeforeApp.YES : StartsBeforeApp.IN_PARALLEL;
    // A hook that never gives up never fails: nothing after it starts (R5).
    const outcome = waits && !hookGivesUp(hook, findings) ? IfCheckNeverPasses.APP_NEVER_STARTS : IfCheckNeverPasses.APP_STARTS_ANYWAY;
    return verdict(container.name, Placement.LEGACY, Gate.POST_START, starts, waits, outcome, findings);
  }
  return verdict(container.name, Placement.LEGACY, Gate.NONE, StartsBeforeApp.IN_PARALLEL, false, noGateOutcome(container, findings), findings);
}

/**
 * Whether a postStart hook waits for the sidecar to be ready: only an exec
 * hook that polls does (R5). Explains why not in `findings`.
 */
function hookWaits(hook: ManifestHandler | undefined, findings: Finding[]): boolean {
  if (!isObject(hook)) {
    return false;
  }
  if (hook.tcpSocket) {
    findings.push(finding('SF107', WAIT_MESSAGES.SF107()));
    return false;
  }
  if (hook.sleep) {
    findings.push(finding('SF108', WAIT_MESSAGES.SF108(shown(hook.sleep.seconds ?? 0))));
    return false;
  }
  if (hook.httpGet) {
    // The kubelet does not read the status (R5; kubelet 1.37.2 passed such a hook on a 503).
    findings.push(finding('SF106', WAIT_MESSAGES.SF106()));
    return false;
  }
  const command = execCommand(hook);
  if (!pollsFor(command)) {
    findings.push(finding('SF109', WAIT_MESSAGES.SF109(command.length > 0 ? `"${excerpt(command.join(' '))}"` : 'nothing')));
    return false;
  }
  const interval = pollIntervalSeconds(command);
  if (interval !== undefined && interval > 1) {
    findings.push(finding('SF115', `postStart polls every ${interval} s`));
  }
  return true;
}

/** Whether a hook is an exec hook that polls: a loop, a known waiter, or the library's own hook. */
function hookPolls(hook: ManifestHandler | undefined): boolean {
  return isObject(hook) && !hook.tcpSocket && !hook.sleep && !hook.httpGet && pollsFor(execCommand(hook));
}

/** The `timeout` command (not a `--connect-timeout` option), or a counter: `$((`, `((`, `expr`, `let`, `$SECONDS`. */
const GIVES_UP = /(?:^|[\s;&|(/"'])timeout\s+(?:-\S+\s+(?:[A-Z]+\s+)?)*\d|\(\(|\bexpr\s|\blet\s|\bSECONDS\b/;

/**
 * Whether a waiting hook gives up on its own, as the kubelet sets it no deadline (R5): the
 * library's hook; a known waiter with its deadline; a `for` loop (a finite list); a loop under
 * `timeout` or one that counts (`$((`, `((`, `expr`, `let`, `$SECONDS`). Explains why not in `findings`.
 */
function hookGivesUp(hook: ManifestHandler, findings: Finding[]): boolean {
  const command = execCommand(hook);
  const text = command.join(' ');
  const waiter = KNOWN_WAITERS.find(w => w.command.test(text));
  const givesUp = isWaitHook(command)
    || (waiter ? waiter.deadline === undefined || waiter.deadline.test(text)
      : pollingLoop(text) === 'for' || GIVES_UP.test(text));
  if (!givesUp) {
    findings.push(finding('SF116', 'postStart polls with no deadline of its own, and the kubelet sets a hook none: if the sidecar never becomes ready, the hook never returns and the app never starts (give up after a while: timeout N, a counter, linkerd-await --timeout)'));
  }
  return givesUp;
}

function execCommand(hook: ManifestHandler): string[] {
  const command = hook.exec?.command;
  return Array.isArray(command) ? command.map(a => shown(a)) : [];
}

/** Whether a command polls: the library's hook, a known waiter, or a shell loop. */
function pollsFor(command: readonly string[]): boolean {
  const text = command.join(' ');
  return isWaitHook(command) || KNOWN_WAITERS.some(w => w.command.test(text)) || pollingLoop(text) !== undefined;
}

/**
 * The shell loop that polls in a command: `until`/`while ... do ... done`, or
 * `for ... do ... sleep ... done`. Scans keywords once, in order: linear whatever the command.
 */
function pollingLoop(text: string): 'for' | 'until' | undefined {
  // The states of a loop: 0 nothing, 1 until/while seen, 2 for seen, 3 for ... do, 4 a loop body that polls.
  let state = 0;
  let loop: 'for' | 'until' = 'until';
  for (const [word] of text.matchAll(/\b(?:until|while|for|do|sleep|done)\b/g)) {
    if (word === 'until' || word === 'while') {
      state = 1;
      loop = 'until';
    } else if (word === 'for' && state === 0) {
      state = 2;
      loop = 'for';
    } else if (word === 'do') {
      state = state === 1 ? 4 : state === 2 ? 3 : state;
    } else if (word === 'sleep' && state === 3) {
      state = 4;
    } else if (word === 'done' && state === 4) {
      return loop;
    }
  }
  return undefined;
}

/** How often a waiting hook polls: read from a sidecar-first hook, else the `sleep N` of its loop. */
function pollIntervalSeconds(command: readonly string[]): number | undefined {
  const ours = decodeWaitHook(command);
  if (ours) {
    return ours.pollIntervalSeconds;
  }
  const match = /\bsleep\s+(\d+(?:\.\d+)?)/.exec(command.join(' '));
  return match ? Number(match[1]) : undefined;
}

function noGateOutcome(container: ManifestContainer, findings: Finding[]): IfCheckNeverPasses {
  if (container.readinessProbe) {
    findings.push(finding('SF102', WAIT_MESSAGES.SF102()));
    return IfCheckNeverPasses.APP_RUNS_SIDECAR_NOT_READY;
  }
  if (container.livenessProbe) {
    findings.push(finding('SF103', WAIT_MESSAGES.SF103()));
    return IfCheckNeverPasses.APP_RUNS_SIDECAR_RESTARTED;
  }
  findings.push(finding('SF104', WAIT_MESSAGES.SF104()));
  return IfCheckNeverPasses.NO_CHECK;
}

/**
 * A native sidecar's startupProbe: its cost, and whether it checks as much
 * as the readinessProbe (else the app waits for the startup check, not for ready).
 * @returns whether the app waits for ready
 */
function startupProbeFindings(container: ManifestContainer, findings: Finding[]): boolean {
  const probe = container.startupProbe!;
  const period = numberOr(probe.periodSeconds, PROBE_DEFAULTS.periodSeconds);
  if (period > 1) {
    findings.push(finding('SF113', `startupProbe periodSeconds ${period} adds up to ${period} s to every start`));
  }
  if (numberOr(probe.initialDelaySeconds, 0) > 0) {
    findings.push(finding('SF114', `startupProbe initialDelaySeconds ${shown(probe.initialDelaySeconds)} delays every start by at least that long`));
  }
  const readiness = container.readinessProbe;
  const startupAction = actionOf(probe);
  const readinessAction = isObject(readiness) ? actionOf(readiness) : undefined;
  if (!startupAction || !readinessAction) {
    return true;
  }
  // Behind a probe proxy that puts the target port first in the path (Kuma's virtual probes: `:9000/8081/metrics`), the target counts.
  const proxied = (p: ManifestHandler) => (typeof p.httpGet?.path === 'string' ? /^\/(\d{1,5})(\/|$)/.exec(p.httpGet.path)?.[1] : undefined);
  const viaProxy = proxied(probe) !== undefined && proxied(readiness!) !== undefined;
  const startupPort = viaProxy ? `${portOf(container, probe)}/${proxied(probe)}` : portOf(container, probe);
  const readinessPort = viaProxy ? `${portOf(container, readiness!)}/${proxied(readiness!)}` : portOf(container, readiness!);
  const readinessShown = `${readinessAction}${readinessPort !== undefined ? ` on port ${readinessPort}` : ''}`;
  if (startupAction === 'tcpSocket' && readinessAction !== 'tcpSocket') {
    findings.push(finding('SF111', WAIT_MESSAGES.SF111Tcp(startupPort ?? '?', readinessShown)));
    return false;
  }
  if (startupPort !== undefined && readinessPort !== undefined && startupPort !== readinessPort) {
    findings.push(finding('SF111', WAIT_MESSAGES.SF111Port(startupPort, readinessPort)));
    return false;
  }
  const different = startupAction !== readinessAction ? `is ${startupAction}, the readinessProbe ${readinessAction}`
    : startupAction === 'httpGet' && shown(probe.httpGet?.path ?? '/') !== shown(readiness!.httpGet?.path ?? '/')
      ? `checks path ${shown(probe.httpGet?.path ?? '/')}, the readinessProbe ${shown(readiness!.httpGet?.path ?? '/')} on the same port`
      : startupAction === 'exec' && shown(probe.exec?.command) !== shown(readiness!.exec?.command) ? 'runs another command than the readinessProbe'
        : startupAction === 'grpc' && shown(probe.grpc?.service ?? '') !== shown(readiness!.grpc?.service ?? '') ? 'checks another gRPC service than the readinessProbe'
          : undefined;
  if (different) {
    findings.push(finding('SF112', `startupProbe ${different}: the app waits for the startup check, which may pass before the sidecar is ready`));
  }
  return true;
}

type Action = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc';

function actionOf(probe: ManifestHandler): Action | undefined {
  return (['httpGet', 'tcpSocket', 'grpc', 'exec'] as const).find(a => isObject(probe[a]));
}

/** The probe's port as a number where a named port resolves, else as written. */
function portOf(container: ManifestContainer, probe: ManifestHandler): string | undefined {
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  if (port === undefined) {
    return undefined;
  }

  if (typeof port === 'string' && Array.isArray(container.ports)) {
    const named = container.ports.find((p: any) => isObject(p) && p.name === port);
    if (named && named.containerPort !== undefined) {
      return shown(named.containerPort);
    }
  }
  return shown(port);
}

/*
 * Manifests come from anywhere: a field may hold any JSON value, or any
 * object at all when a library caller passes one. These keep comparisons and
 * messages from throwing on them.
 */

/** The value if it is a number, else the fallback. */
function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** A manifest value as text, whatever it is. */
function shown(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** Whether a value is a non-null object (a manifest field may hold anything). */
function isObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object';
}

/** At most 80 characters of a command, for a message. */
function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

function verdict(
  name: string, placement: Placement, gate: Gate, startsBeforeApp: StartsBeforeApp,
  appWaitsForReady: boolean, ifCheckNeverPasses: IfCheckNeverPasses, findings: Finding[],
): SidecarVerdict {
  return { name, placement, gate, startsBeforeApp, appWaitsForReady, ifCheckNeverPasses, findings };
}

/**
 * What the API server would reject (errors), or accepts but drops or can
 * never work (docs/kubelet-semantics.md V1-V5), for `version`; without a version, for the
 * newest, with an SF200 note where an older version differs.
 * @internal
 */
export function apiFindings(spec: ManifestPodSpec, version?: KubernetesVersion): Finding[] {
  const problems: Finding[] = [];
  // ContainerRestartRules (beta, on in 1.35) allows restartPolicy on regular containers and Never/OnFailure on init containers.
  const restartRules = (id: 'SF301' | 'SF302', message: string) => {
    if (!version) {
      problems.push(finding('SF200', `rejected before Kubernetes 1.35 (${FINDINGS[id].rule}): ${message}`));
    } else if (!atLeast(version, 1, 35)) {
      problems.push(finding(id, message));
    }
  };
  for (const c of spec.containers) {
    if (c.restartPolicy !== undefined) {
      restartRules('SF301', `containers "${c.name}" has restartPolicy, which only init containers may have`);
    }
    problems.push(...probeViolations(c), ...hookViolations(c, spec, version));
  }
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      restartRules('SF302', `initContainers "${c.name}" has restartPolicy ${shown(c.restartPolicy)}; the only accepted value is Always`);
    }
    if (!isNativeSidecar(c)) {
      for (const field of ['startupProbe', 'readinessProbe', 'livenessProbe', 'lifecycle'] as const) {
        if (c[field] !== undefined) {
          problems.push(finding('SF303', `initContainers "${c.name}" has ${field}, which is rejected on init containers without restartPolicy: Always`));
        }
      }
    }
    problems.push(...probeViolations(c), ...hookViolations(c, spec, version));
  }
  return problems;
}

/**
 * The errors of `apiFindings`, as `RULE: message` (what the API server rejects, or accepts but can never work).
 * @internal
 */
export function apiViolations(spec: ManifestPodSpec, version?: KubernetesVersion): string[] {
  return apiFindings(spec, version).filter(f => f.severity === Severity.ERROR).map(f => `${f.rule}: ${f.message}`);
}

function probeViolations(c: ManifestContainer): Finding[] {
  const problems: Finding[] = [];
  const v4 = (message: string) => problems.push(finding('SF304', message));
  for (const kind of PROBES) {
    const probe = c[kind];
    if (!probe) {
      continue;
    }
    for (const field of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const) {
      const value = probe[field];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        v4(`"${c.name}" ${kind}.${field} is ${shown(value)}; it must be a whole number >= 0`);
      }
    }
    // 0 is defaulted to 1 before validation (kube-apiserver 1.37.2 accepts a startupProbe with successThreshold 0).
    if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1 && probe.successThreshold !== 0) {
      v4(`"${c.name}" ${kind}.successThreshold must be 1 (or 0, which means 1)`);
    }
    if (probe.terminationGracePeriodSeconds !== undefined) {
      if (kind === 'readinessProbe') {
        v4(`"${c.name}" readinessProbe.terminationGracePeriodSeconds is forbidden`);
      } else if (numberOr(probe.terminationGracePeriodSeconds, 0) <= 0) {
        v4(`"${c.name}" ${kind}.terminationGracePeriodSeconds must be > 0`);
      }
    }
    const actions = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter(a => (probe as any)[a] !== undefined);
    if (actions.length !== 1) {
      v4(`"${c.name}" ${kind} must have exactly one action (has ${actions.length})`);
    }
  }
  return problems;
}

function hookViolations(c: ManifestContainer, spec: ManifestPodSpec, version: KubernetesVersion | undefined): Finding[] {
  const problems: Finding[] = [];
  for (const phase of ['postStart', 'preStop'] as const) {
    const hook = c.lifecycle?.[phase];
    if (!hook) {
      continue;
    }
    if (hook.tcpSocket) {
      problems.push(finding('SF305', `"${c.name}" ${phase} uses tcpSocket, which always fails at run time`));
    }
    if (hook.sleep) {
      // PodLifecycleSleepAction: beta and on from 1.30; before, the API server drops the handler without a word.
      if (!version) {
        problems.push(finding('SF200', `"${c.name}" ${phase}.sleep is dropped by the API server before Kubernetes 1.30 (SF202)`));
      } else if (!atLeast(version, 1, 30)) {
        problems.push(finding('SF202', `"${c.name}" ${phase}.sleep is dropped by the API server before Kubernetes 1.30: on ${formatVersion(version)} there is no ${phase} hook at all`));
      }
      const seconds = numberOr(hook.sleep.seconds ?? 0, -1);
      // sleep.seconds 0: alpha in 1.32, beta and on from 1.33.
      const zeroAllowed = version === undefined || atLeast(version, 1, 33);
      if (seconds < 0 || (seconds === 0 && !zeroAllowed)) {
        problems.push(finding('SF305', `"${c.name}" ${phase}.sleep.seconds is ${shown(hook.sleep.seconds ?? 0)}; it must be > 0${zeroAllowed ? ' or 0' : ''}`));
      } else if (seconds === 0 && !version) {
        problems.push(finding('SF200', `"${c.name}" ${phase}.sleep.seconds 0 is rejected before Kubernetes 1.33 (SF305)`));
      }
      if (seconds > numberOr(spec.terminationGracePeriodSeconds, 30)) {
        problems.push(finding('SF305', `"${c.name}" ${phase}.sleep.seconds ${seconds} exceeds terminationGracePeriodSeconds`));
      }
    }
  }
  return problems;
}
