/**
 * The words of a verdict on one sidecar (docs/kubelet-semantics.md's table of guarantees), as enums
 * so that every language jsii targets can switch on them.
 */

/**
 * Where a sidecar sits in the pod.
 */
export enum Placement {
  /** An init container with `restartPolicy: Always` (Kubernetes 1.29+). */
  NATIVE = 'native',
  /** A container in `spec.containers`. */
  LEGACY = 'legacy',
  /** An ordinary init container (no `restartPolicy: Always`): it must exit before anything later starts. */
  INIT = 'init',
}

/**
 * What holds the app back until the sidecar is ready.
 */
export enum Gate {
  /** The sidecar's startupProbe (native sidecars only). */
  STARTUP_PROBE = 'startupProbe',
  /** The sidecar's postStart hook. */
  POST_START = 'postStart',
  /** Nothing. */
  NONE = 'none',
}

/**
 * Whether the kubelet starts the sidecar, and lets its gate pass, before the app starts.
 */
export enum StartsBeforeApp {
  /** The app starts only after the sidecar's gate (or its exit, for an ordinary init container). */
  YES = 'yes',
  /** Nothing holds the app back: they start almost together. */
  IN_PARALLEL = 'in-parallel',
}

/**
 * What happens to the pod if the sidecar's check never passes.
 */
export enum IfCheckNeverPasses {
  /** The app never starts; the pod stays in `Init` (or the sidecar is restarted forever). */
  APP_NEVER_STARTS = 'app-never-starts',
  /** A Job with `restartPolicy: OnFailure`: sidecar restarts count toward `backoffLimit`, then the Job fails (R3a). */
  JOB_FAILS = 'job-fails',
  /** The hook fails, the sidecar is killed, and the app starts anyway (legacy sidecars, R4). */
  APP_STARTS_ANYWAY = 'app-starts-anyway',
  /** The app runs; the sidecar is just not Ready. */
  APP_RUNS_SIDECAR_NOT_READY = 'app-runs-sidecar-not-ready',
  /** The app runs; the sidecar is restarted by its livenessProbe. */
  APP_RUNS_SIDECAR_RESTARTED = 'app-runs-sidecar-restarted',
  /** The sidecar declares no check at all. */
  NO_CHECK = 'no-check',
}

/**
 * How bad a finding is.
 */
export enum Severity {
  /** The app does not wait for the sidecar, or the API server rejects the pod: `--require-ready` and the validation plugin fail. */
  ERROR = 'error',
  /** It works, with a cost or a caveat worth knowing. */
  WARNING = 'warning',
  /** The verdict depends on something not given (the Kubernetes version). */
  INFO = 'info',
}

/**
 * One thing a reviewer would point out, with a stable ID (see docs/cli.md#findings).
 */
export interface Finding {
  /** Stable ID, e.g. `SF111`. */
  readonly id: string;
  /** How bad it is. */
  readonly severity: Severity;
  /** What is wrong, in words, naming the container and values. */
  readonly message: string;
  /** The rule behind it: R1-R8, V1-V5 or S1-S3 of docs/kubelet-semantics.md, `versions` (the version matrix there) or `input` (the manifest could not be read). */
  readonly rule: string;
  /**
   * Set when the user chose to ignore this finding: it is still reported,
   * and counted, but fails nothing.
   * @default - not ignored
   */
  readonly ignored?: Ignored;
}

/**
 * Who ignored a finding.
 */
export enum IgnoredBy {
  /** The workload's or its pod template's annotation `sidecar-first.dev/ignore`. */
  ANNOTATION = 'annotation',
  /** The settings: `--ignore`, `.sidecar-first.yaml` or the validation plugin's `ignore`. */
  SETTINGS = 'settings',
}

/**
 * Why a finding is ignored.
 */
export interface Ignored {
  /** Where the finding was ignored. */
  readonly by: IgnoredBy;
  /**
   * The reason given after the IDs (`sidecar-first.dev/ignore: "SF102: the proxy is ready first"`).
   * @default - none given
   */
  readonly reason?: string;
}

/**
 * What a container is in the pod's start sequence.
 */
export enum ContainerRole {
  /** An ordinary init container: it runs to completion before the next one starts. */
  INIT = 'init',
  /** A sidecar (native, in spec.containers, or named as one). */
  SIDECAR = 'sidecar',
  /** An app container. */
  APP = 'app',
}

/**
 * One container of a pod, in the order the kubelet starts them.
 */
export interface StartStep {
  /** The container's name. */
  readonly name: string;
  /** What it is. */
  readonly role: ContainerRole;
}
