import { Duration } from 'cdk8s';
import { DependentInitContainerProps } from './dependent-init-container';
import { SidecarProps } from './sidecar';
import { StartupGate } from './startup-gate';

/**
 * What every sidecar-first workload accepts on top of its cdk8s-plus props.
 */
export interface SidecarFirstOptions {
  /**
   * Sidecars that must be ready before the app containers start, in start-up order.
   *
   * @default - no sidecars; add them with `addSidecar()`
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  readonly sidecars?: SidecarProps[];

  /**
   * Init containers that run once the sidecars they `need` are ready (a
   * migration that needs the database proxy). Ordinary `initContainers` run
   * first, before any sidecar. `StartupGate.STARTUP_PROBE` only.
   *
   * @default - none; add them with `addDependentInitContainer()`
   */
  readonly dependentInitContainers?: DependentInitContainerProps[];

  /**
   * The Kubernetes version the pods will run on: the OLDEST of the API server
   * and every kubelet that may run them (kubelets may lag the API server by up
   * to three minor versions). Accepts `1.28`, `v1.28.3`, `1.28.3-eks-abc`.
   * Chooses the startup gate: 1.29 and later `StartupGate.STARTUP_PROBE`,
   * 1.28 and earlier `StartupGate.POST_START`.
   *
   * @default - the construct context value `sidecar-first:kubernetesVersion`;
   * without one, the gate is `StartupGate.STARTUP_PROBE`
   */
  readonly kubernetesVersion?: string;

  /**
   * The mechanism that holds the app until the sidecars are ready; overrides
   * the choice made from `kubernetesVersion`. `StartupGate.STARTUP_PROBE`
   * below Kubernetes 1.28 is an error (no native sidecars at all there).
   *
   * @default - from `kubernetesVersion`
   */
  readonly startupGate?: StartupGate;

  /**
   * How often the postStart wait hook re-runs the readiness check
   * (`StartupGate.POST_START` only; the startupProbe keeps its 1 s period,
   * the smallest the API allows). At least 10 ms, at most 60 s.
   *
   * @default Duration.millis(250)
   */
  readonly pollInterval?: Duration;

  /**
   * An image with a static busybox at `/bin/busybox` (e.g. `busybox:1.36-musl`),
   * for sidecar images without a shell or without wget/curl/nc (distroless).
   * An init container copies busybox into an emptyDir mounted into the
   * sidecars at `/sidecar-first`, and the wait hooks run with it
   * (`StartupGate.POST_START` only). Costs one more image pull and an init
   * container per pod start.
   *
   * @default - the hooks use the sidecar image's own /bin/sh and tools
   */
  readonly waitToolImage?: string;
}
