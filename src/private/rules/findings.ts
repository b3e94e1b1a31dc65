/**
 * Every finding the analyzer reports: a stable ID, its severity and the rule
 * behind it. IDs are never reused or renumbered; docs/cli.md#findings lists
 * this table.
 * @internal
 */
import { Finding, Severity } from '../../analyzer/verdict';

/** @internal */
export interface FindingKind {
  readonly severity: Severity;
  /** docs/kubelet-semantics.md rule. */
  readonly rule: string;
  /** One line for the table in docs/cli.md#findings. */
  readonly summary: string;
}

const E = Severity.ERROR;
const W = Severity.WARNING;
const I = Severity.INFO;

/** @internal */
export const FINDINGS = {
  // Does the app wait for the sidecar (per sidecar)?
  SF101: { severity: E, rule: 'R1', summary: 'an ordinary init container named as a sidecar must exit before the app starts' },
  SF102: { severity: E, rule: 'R6', summary: 'only a readinessProbe: it does not delay the app' },
  SF103: { severity: E, rule: 'R6', summary: 'only a livenessProbe: it does not delay the app' },
  SF104: { severity: E, rule: 'R2', summary: 'no startupProbe and no waiting postStart hook: nothing holds the app back' },
  SF105: { severity: E, rule: 'R4', summary: 'a sidecar in spec.containers listed after an app container, which starts before it' },
  SF106: { severity: E, rule: 'R5', summary: 'an httpGet postStart hook is one request, not a wait' },
  SF107: { severity: E, rule: 'V5', summary: 'a tcpSocket postStart hook always fails at run time' },
  SF108: { severity: E, rule: 'R4', summary: 'a sleep postStart hook is a fixed delay, not a wait' },
  SF109: { severity: E, rule: 'R5', summary: 'an exec postStart hook that does not poll (no loop, no known waiter) is not a wait' },
  SF110: { severity: W, rule: 'R3', summary: 'a startupProbe on a container in spec.containers delays nothing else' },
  SF111: { severity: E, rule: 'R3', summary: 'the startupProbe checks less than the readinessProbe (TCP, or another port): the app waits for the startup check, not for ready' },
  SF112: { severity: W, rule: 'R3', summary: 'the startupProbe checks something else than the readinessProbe (another path, command or service)' },
  SF113: { severity: W, rule: 'R3', summary: 'a startupProbe period above 1 s adds up to that much to every start' },
  SF114: { severity: W, rule: 'R3', summary: 'a startupProbe initialDelaySeconds delays every start' },
  SF115: { severity: W, rule: 'R4', summary: 'a postStart hook that polls less often than every second' },
  SF116: { severity: W, rule: 'R5', summary: 'a postStart hook that polls with no deadline of its own: if the sidecar is never ready, the app never starts' },
  // Versions and Jobs.
  SF200: { severity: I, rule: 'versions', summary: 'no Kubernetes version given: the verdict is for the newest one and differs on the versions named' },
  SF201: { severity: E, rule: 'versions', summary: 'native sidecars need Kubernetes 1.29+: below, the API server drops restartPolicy' },
  SF202: { severity: W, rule: 'V5', summary: 'a sleep hook before Kubernetes 1.30 is silently dropped by the API server' },
  SF203: { severity: W, rule: 'R3a', summary: 'Job with restartPolicy OnFailure: sidecar restarts count toward backoffLimit, a check that never passes fails the Job' },
  SF204: { severity: W, rule: 'R3b', summary: 'restartPolicy Never: a sidecar that exits before its startupProbe passes may never be probed again (kubelets before 1.33.6, 1.34.2, 1.35.0)' },
  SF205: { severity: W, rule: 'S3', summary: 'a sidecar in spec.containers of a pod that runs to completion keeps it running until the sidecar exits' },
  // What the API server rejects, or accepts but can never work (per workload).
  SF301: { severity: E, rule: 'V1', summary: 'restartPolicy on a regular container (before Kubernetes 1.35)' },
  SF302: { severity: E, rule: 'V2', summary: 'a restartPolicy other than Always on an init container (before Kubernetes 1.35)' },
  SF303: { severity: E, rule: 'V3', summary: 'probes or lifecycle hooks on an ordinary init container' },
  SF304: { severity: E, rule: 'V4', summary: 'invalid probe numbers or actions' },
  SF305: { severity: E, rule: 'V5', summary: 'invalid lifecycle hook (sleep seconds, tcpSocket)' },
  SF300: { severity: E, rule: 'input', summary: 'the manifest cannot be read or analyzed (YAML error, containers not a list of named objects)' },
} as const satisfies { readonly [id: string]: FindingKind };

/** @internal */
export type FindingId = keyof typeof FINDINGS;

/**
 * A finding of kind `id`.
 * @internal
 */
export function finding(id: FindingId, message: string): Finding {
  const kind: FindingKind = FINDINGS[id];
  return { id, severity: kind.severity, message, rule: kind.rule };
}

/** How to fix a finding: by ID where it has its own fix, else by family. */
const FIXES: { readonly [idOrFamily: string]: string } = {
  SF1: 'Declare the sidecar with cdk8s-sidecar-first (SidecarFirstDeployment, SidecarFirst.attach or SidecarFirst.patch), or give it a startupProbe that checks what its readinessProbe checks (native sidecar) or a postStart hook that polls.',
  SF2: 'Set kubernetesVersion in cdk8s.yaml to the oldest version of your API server and nodes, and follow the finding.',
  SF203: 'Give the Job a backoffLimit that leaves room for the sidecar\'s restarts, or make sure its check can pass.',
  SF204: 'Upgrade the kubelets to 1.33.6, 1.34.2 or 1.35.0 or later, or use restartPolicy OnFailure, or make the sidecar not exit before it is ready.',
  SF205: 'Make the sidecar exit when the app is done (and say how with jobExit), or use a native sidecar (Kubernetes 1.29+), which the kubelet stops after the app.',
  SF3: 'Correct the pod spec: the API server rejects these fields, or accepts them but they can never work.',
};

/**
 * How to fix a finding of kind `id`: its own fix, or its family's.
 * @internal
 */
export function fixOf(id: string): string {
  return FIXES[id] ?? FIXES[id.slice(0, 3)];
}
