/**
 * The kubelet's start-up rules (../shared/SEMANTICS.md), on pod specs as they
 * appear in manifests. This is the one place that says what the kubelet does:
 * the analyzer reports with it, and the compiler's tests judge the compiler's
 * output with it, so the two cannot disagree.
 * @internal
 */
import { atLeast, KubernetesVersion } from './kubernetes-version';
import { decodeWaitHook } from '../compiler/hook-arguments';

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
 * `$0` of the library's wait hook; its arguments follow: NAME KIND TIMEOUT_S INTERVAL_S ...
 * @internal
 */
export const SIDECAR_FIRST_HOOK = 'sidecar-first-wait';

/** Defaults the API server applies to unset probe numbers (V4). @internal */
export const PROBE_DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;

/** Where a sidecar sits. @internal */
export type Placement = 'native' | 'legacy';
/** What holds the app back until the sidecar is ready. @internal */
export type StartGate = 'startupProbe' | 'postStart' | 'none';
/** @internal */
export type StartsBeforeApp = 'yes' | 'in-parallel';
/** @internal */
export type IfCheckNeverPasses =
  | 'app-never-starts' | 'app-starts-anyway' | 'app-runs-sidecar-not-ready' | 'app-runs-sidecar-restarted' | 'no-check';

/**
 * The four answers of SEMANTICS.md's last table, for one sidecar.
 * @internal
 */
export interface SidecarVerdict {
  readonly name: string;
  readonly placement: Placement;
  readonly gate: StartGate;
  readonly startsBeforeApp: StartsBeforeApp;
  readonly appWaitsForReady: boolean;
  readonly ifCheckNeverPasses: IfCheckNeverPasses;
  readonly findings: string[];
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
 * Which containers of a pod are sidecars: every native sidecar; every
 * regular container with a postStart hook that has containers after it; and
 * the containers named in `named`.
 * @internal
 */
export function findSidecars(spec: ManifestPodSpec, named: readonly string[] = []): string[] {
  const native = (spec.initContainers ?? []).filter(isNativeSidecar).map(c => c.name);
  const legacy = spec.containers
    .filter((c, i) => (c.lifecycle?.postStart !== undefined && i < spec.containers.length - 1) || named.includes(c.name))
    .map(c => c.name);
  const namedInit = (spec.initContainers ?? []).filter(c => named.includes(c.name) && !isNativeSidecar(c)).map(c => c.name);
  return [...native, ...namedInit, ...legacy.filter(n => !native.includes(n))];
}

/**
 * Judges one sidecar of a pod: does the app wait for it, and what happens if
 * its check never passes (SEMANTICS.md R1-R6 and the table at its end).
 * @param sidecars every container of the pod that is a sidecar (the rest are the app)
 * @internal
 */
export function judgeSidecar(
  spec: ManifestPodSpec,
  name: string,
  sidecars: readonly string[],
  version?: KubernetesVersion,
): SidecarVerdict {
  const initIndex = (spec.initContainers ?? []).findIndex(c => c.name === name);
  if (initIndex >= 0) {
    return judgeInitContainer(spec.initContainers![initIndex], version);
  }
  const index = spec.containers.findIndex(c => c.name === name);
  if (index < 0) {
    throw new Error(`no container named "${name}" in this pod`);
  }
  const appBefore = spec.containers.slice(0, index).filter(c => !sidecars.includes(c.name)).map(c => c.name);
  return judgeLegacy(spec.containers[index], appBefore);
}

/**
 * Whether the kubelet starts container `name` only after sidecar `sidecar`'s
 * gate has passed (R1, R3, R4): the sidecar must come earlier in the start
 * sequence and hold what follows it.
 * @internal
 */
export function startsAfterGate(spec: ManifestPodSpec, name: string, sidecar: string): boolean {
  const inits = spec.initContainers ?? [];
  const initOf = (n: string) => inits.findIndex(c => c.name === n);
  const regularOf = (n: string) => spec.containers.findIndex(c => c.name === n);
  const s = initOf(sidecar) >= 0 ? inits[initOf(sidecar)] : spec.containers[regularOf(sidecar)];
  if (!s) {
    return false;
  }
  const hook = s.lifecycle?.postStart;
  const waits = hook !== undefined && hookWaits(hook, []);
  if (initOf(sidecar) >= 0) {
    // A native sidecar's startupProbe or hook holds every later init container and all regular containers.
    return isNativeSidecar(s) && (s.startupProbe !== undefined || waits) && (regularOf(name) >= 0 || initOf(name) > initOf(sidecar));
  }
  // A regular container's hook holds only the regular containers after it; its startupProbe holds nothing.
  return waits && regularOf(name) > regularOf(sidecar);
}

function judgeInitContainer(container: ManifestContainer, version: KubernetesVersion | undefined): SidecarVerdict {
  const findings: string[] = [];
  if (!isNativeSidecar(container)) {
    // An ordinary init container: it must exit before anything later starts (R1).
    findings.push('an init container without restartPolicy: Always must exit before the app starts; a long-running helper keeps the pod in Init forever');
    return verdict(container.name, 'native', 'none', 'yes', false, 'app-never-starts', findings);
  }
  if (version && !supportsNativeSidecars(version)) {
    findings.push('restartPolicy on an init container needs Kubernetes 1.29+ (1.28 has native sidecars off by default and drops the field)');
  }
  const hook = container.lifecycle?.postStart;
  if (container.startupProbe) {
    findings.push(...startupProbeFindings(container));
    return verdict(container.name, 'native', 'startupProbe', 'yes', true, 'app-never-starts', findings);
  }
  if (hook) {
    // R4: a native sidecar's hook blocks everything after it; a failed hook restarts the sidecar.
    const waits = hookWaits(hook, findings);
    return verdict(container.name, 'native', 'postStart', waits ? 'yes' : 'in-parallel', waits, 'app-never-starts', findings);
  }
  // R2, R6: started as soon as it is running.
  return verdict(container.name, 'native', 'none', 'in-parallel', false, noGateOutcome(container, findings), findings);
}

function judgeLegacy(container: ManifestContainer, appBefore: readonly string[]): SidecarVerdict {
  const findings: string[] = [];
  if (container.startupProbe) {
    findings.push('startupProbe on a container in spec.containers does not delay the other containers');
  }
  const hook = container.lifecycle?.postStart;
  if (appBefore.length > 0) {
    findings.push(`listed after app container "${appBefore[0]}", which starts before it: a sidecar in spec.containers must come first`);
  }
  if (hook) {
    // R4: holds later containers only while the hook waits; a failed hook lets them start.
    const waits = hookWaits(hook, findings) && appBefore.length === 0;
    return verdict(container.name, 'legacy', 'postStart', waits ? 'yes' : 'in-parallel', waits, 'app-starts-anyway', findings);
  }
  return verdict(container.name, 'legacy', 'none', 'in-parallel', false, noGateOutcome(container, findings), findings);
}

/** Whether a postStart hook waits for readiness; explains why not in `findings`. */
function hookWaits(hook: ManifestHandler, findings: string[]): boolean {
  if (hook.tcpSocket) {
    findings.push('postStart hook uses tcpSocket, which always fails at run time');
    return false;
  }
  if (hook.sleep) {
    findings.push(`postStart sleeps ${shown(hook.sleep.seconds ?? 0)} s: a fixed delay, not a wait for the sidecar to be ready`);
    return false;
  }
  if (hook.httpGet) {
    findings.push('postStart httpGet is a single request, not a poll: it fails if the sidecar is not ready at that instant');
    return true;
  }
  const command = hook.exec?.command;
  const interval = pollIntervalSeconds(Array.isArray(command) ? command.map(String) : []);
  if (interval !== undefined && interval > 1) {
    findings.push(`postStart polls every ${interval} s`);
  }
  return true;
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

function noGateOutcome(container: ManifestContainer, findings: string[]): IfCheckNeverPasses {
  if (container.readinessProbe) {
    findings.push('readinessProbe does not delay the app');
    return 'app-runs-sidecar-not-ready';
  }
  if (container.livenessProbe) {
    findings.push('livenessProbe does not delay the app');
    return 'app-runs-sidecar-restarted';
  }
  return 'no-check';
}

function startupProbeFindings(container: ManifestContainer): string[] {
  const probe = container.startupProbe!;
  const findings: string[] = [];
  const period = numberOr(probe.periodSeconds, PROBE_DEFAULTS.periodSeconds);
  if (period > 1) {
    findings.push(`startupProbe periodSeconds ${period} adds up to ${period} s to every start`);
  }
  if (numberOr(probe.initialDelaySeconds, 0) > 0) {
    findings.push(`startupProbe initialDelaySeconds ${probe.initialDelaySeconds} delays every start by at least that long`);
  }
  const startupPort = probePort(probe);
  const readinessPort = container.readinessProbe ? probePort(container.readinessProbe) : undefined;
  if (startupPort !== undefined && readinessPort !== undefined && shown(startupPort) !== shown(readinessPort)) {
    findings.push(`startupProbe checks a different port (${shown(startupPort)}) than the readinessProbe (${shown(readinessPort)})`);
  }
  return findings;
}

function probePort(probe: ManifestHandler): number | string | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
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

function verdict(
  name: string, placement: Placement, gate: StartGate, startsBeforeApp: StartsBeforeApp,
  appWaitsForReady: boolean, ifCheckNeverPasses: IfCheckNeverPasses, findings: string[],
): SidecarVerdict {
  return { name, placement, gate, startsBeforeApp, appWaitsForReady, ifCheckNeverPasses, findings };
}

/**
 * What the API server would reject, or accept but can never work
 * (SEMANTICS.md V1-V5), as messages.
 * @internal
 */
export function apiViolations(spec: ManifestPodSpec, version?: KubernetesVersion): string[] {
  const problems: string[] = [];
  for (const c of spec.containers) {
    if (c.restartPolicy !== undefined) {
      problems.push(`V1: containers "${c.name}" has restartPolicy, which only init containers may have`);
    }
    problems.push(...probeViolations(c), ...hookViolations(c, spec, version));
  }
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      problems.push(`V2: initContainers "${c.name}" has restartPolicy ${shown(c.restartPolicy)}; the only accepted value is Always`);
    }
    if (!isNativeSidecar(c)) {
      for (const field of ['startupProbe', 'readinessProbe', 'livenessProbe', 'lifecycle'] as const) {
        if (c[field] !== undefined) {
          problems.push(`V3: initContainers "${c.name}" has ${field}, which is rejected on init containers without restartPolicy: Always`);
        }
      }
    }
    problems.push(...probeViolations(c), ...hookViolations(c, spec, version));
  }
  return problems;
}

function probeViolations(c: ManifestContainer): string[] {
  const problems: string[] = [];
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
    const probe = c[kind];
    if (!probe) {
      continue;
    }
    for (const field of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const) {
      const value = probe[field];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        problems.push(`V4: "${c.name}" ${kind}.${field} is ${shown(value)}; it must be a whole number >= 0`);
      }
    }
    if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      problems.push(`V4: "${c.name}" ${kind}.successThreshold must be 1`);
    }
    if (probe.terminationGracePeriodSeconds !== undefined) {
      if (kind === 'readinessProbe') {
        problems.push(`V4: "${c.name}" readinessProbe.terminationGracePeriodSeconds is forbidden`);
      } else if (numberOr(probe.terminationGracePeriodSeconds, 0) <= 0) {
        problems.push(`V4: "${c.name}" ${kind}.terminationGracePeriodSeconds must be > 0`);
      }
    }
    const actions = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter(a => (probe as any)[a] !== undefined);
    if (actions.length !== 1) {
      problems.push(`V4: "${c.name}" ${kind} must have exactly one action (has ${actions.length})`);
    }
  }
  return problems;
}

function hookViolations(c: ManifestContainer, spec: ManifestPodSpec, version: KubernetesVersion | undefined): string[] {
  const problems: string[] = [];
  for (const phase of ['postStart', 'preStop'] as const) {
    const hook = c.lifecycle?.[phase];
    if (!hook) {
      continue;
    }
    if (hook.tcpSocket) {
      problems.push(`V5: "${c.name}" ${phase} uses tcpSocket, which always fails at run time`);
    }
    if (hook.sleep) {
      const seconds = numberOr(hook.sleep.seconds ?? 0, -1);
      const zeroAllowed = version !== undefined && atLeast(version, 1, 33);
      if (seconds < 0 || (seconds === 0 && !zeroAllowed)) {
        problems.push(`V5: "${c.name}" ${phase}.sleep.seconds is ${shown(hook.sleep.seconds ?? 0)}; it must be > 0${zeroAllowed ? ' or 0' : ''}`);
      }
      if (seconds > numberOr(spec.terminationGracePeriodSeconds, 30)) {
        problems.push(`V5: "${c.name}" ${phase}.sleep.seconds ${seconds} exceeds terminationGracePeriodSeconds`);
      }
    }
  }
  return problems;
}
