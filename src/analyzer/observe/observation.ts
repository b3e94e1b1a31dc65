/**
 * What `sidecar-first observe` says happened to each sidecar of a running pod
 * (docs/observe.md), as enums so that every language jsii targets can switch on them.
 */
import { SidecarReport } from '../sidecar-analyzer';

/**
 * What happened between a sidecar and the app, as far as the evidence shows.
 */
export enum Outcome {
  /** Every app container started after the sidecar was ready. */
  HELD = 'held',
  /** An app container ran while the sidecar was not ready yet. */
  RACED = 'raced',
  /** An app container exited and was restarted before the sidecar was ready. */
  CRASHED_WAITING = 'crashed-waiting',
  /** The sidecar's postStart hook failed (a wait hook gave up) and the app started anyway. */
  GAVE_UP = 'gave-up',
  /** The sidecar was killed and restarted before it was ready (startup probe or postStart hook), and the app has not started. */
  RESTARTING = 'restarting',
  /** The pod or its app has not started yet: nothing happened to judge. */
  NOT_STARTED = 'not-started',
  /** The data given cannot tell: `missing` says which command collects what would. */
  UNKNOWN = 'unknown',
}

/**
 * The kind of input a verdict needed, from the least to the most.
 */
export enum InputKind {
  /** One status of the pod: `kubectl get pods -o json`. */
  STATUS = 'status',
  /** The pod's status and its events: `kubectl get pods,events -o json`. */
  EVENTS = 'events',
  /** Successive statuses of the pod: `kubectl get pods --watch -o json`. */
  WATCH = 'watch',
}

/**
 * One fact a verdict rests on.
 */
export interface Evidence {
  /** Where it comes from: a status, an event, or the order of watch frames. */
  readonly source: InputKind;
  /** The fact, in words, naming the fields, containers and times read. */
  readonly fact: string;
  /**
   * The time the fact carries, as the API gave it (whole seconds).
   * @default - none (the order of watch frames, or a fact without a time)
   */
  readonly time?: string;
}

/**
 * What happened to one sidecar of a pod, beside what its spec promises.
 */
export interface SidecarObservation {
  /** The sidecar container's name. */
  readonly name: string;
  /** What happened. */
  readonly outcome: Outcome;
  /**
   * The least input that decided the outcome.
   * @default - undecided (outcome unknown)
   */
  readonly decidedBy?: InputKind;
  /** The facts the outcome rests on (for unknown: what was seen). */
  readonly evidence: Evidence[];
  /**
   * For an unknown outcome: what is missing, and the command that collects it.
   * @default - nothing missing
   */
  readonly missing?: string;
  /** What `sidecar-first check` says of the same sidecar, from the pod's spec. */
  readonly check: SidecarReport;
}

/**
 * One pod and what happened to its sidecars.
 */
export interface PodObservation {
  /** `metadata.name`. */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - none set
   */
  readonly namespace?: string;
  /** How many statuses of the pod were read (more than one: a watch). */
  readonly frames: number;
  /** How many events about the pod were read. */
  readonly events: number;
  /** Whether the pod has a status with containers yet (false: every sidecar is `not-started`). */
  readonly started: boolean;
  /** Every sidecar the analyzer finds in the pod's spec, in start order. */
  readonly sidecars: SidecarObservation[];
}
