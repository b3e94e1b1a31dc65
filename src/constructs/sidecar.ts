import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ReadinessCheck } from './readiness-check';

/**
 * A sidecar that must be ready before the app containers start.
 *
 * Every `kplus.ContainerProps` field works as on any cdk8s-plus container,
 * except `startup` and `restartPolicy`: the library owns them (they are how
 * the app is made to wait), so setting them is an error.
 */
export interface SidecarProps extends kplus.ContainerProps {
  /**
   * How to tell that the sidecar is ready. The app containers do not start
   * before this check has passed once.
   *
   * An omitted port in the check means this sidecar's `portNumber`.
   */
  readonly readinessCheck: ReadinessCheck;

  /**
   * How long the sidecar may take to become ready. Past it, the kubelet
   * restarts the sidecar (native sidecar) or the wait hook gives up.
   * A whole number of seconds, at least 1.
   *
   * @default Duration.minutes(2)
   * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#startup-probe
   */
  readonly startupTimeout?: Duration;

  /**
   * Names of other sidecars of the pod that must be ready before this one
   * starts. Sidecars start in declaration order, reordered only as far as
   * these dependencies require. Unknown names and cycles are errors.
   *
   * @default - no dependencies: declaration order
   */
  readonly dependsOn?: string[];

  /**
   * How long the sidecar keeps running after the pod is asked to stop, so
   * the app can finish its in-flight work through it. A whole number of
   * seconds, within the pod's `terminationGracePeriod`.
   *
   * Native sidecars on Kubernetes 1.29+ already stop only after the app
   * containers have exited, so there it adds nothing. Otherwise (the
   * `StartupGate.POST_START` gate, or native sidecars on 1.28) it becomes a
   * preStop hook that sleeps: the `sleep` action where the target version has
   * it (1.30+), an exec `sleep` otherwise.
   *
   * @default - no drain: the sidecar stops when the pod does
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
   */
  readonly drainTime?: Duration;

  /**
   * How this sidecar exits once the app of a Job or CronJob has finished, in
   * words (e.g. 'the app calls POST http://localhost:15020/quitquitquit').
   * Required for a Job or CronJob under `StartupGate.POST_START`: a sidecar
   * in `spec.containers` otherwise keeps the Job's pod running forever.
   * Not needed under `StartupGate.STARTUP_PROBE`, where the kubelet stops
   * native sidecars when the app is done.
   *
   * @default - none
   */
  readonly jobExit?: string;

  /**
   * Volumes of the workload's own pod to mount in this sidecar, by name.
   * Use it to share a volume of a workload of any cdk8s-plus major (use
   * `volumeMounts` for a cdk8s-plus-28 `Volume`). A name that is not a volume
   * of the pod when the app is synthesized is an error.
   *
   * @default - none
   */
  readonly appVolumeMounts?: AppVolumeMount[];
}

/**
 * A volume of the workload's own pod, mounted into a sidecar by name: the way
 * to share a volume of a workload written with any cdk8s-plus major (whose
 * `Volume` objects are not cdk8s-plus-28's) with a sidecar.
 */
export interface AppVolumeMount {
  /**
   * The name of a volume of the pod (`spec.volumes[].name`; a cdk8s-plus
   * `Volume`'s `name`). It must exist when the app is synthesized: a volume
   * of the workload, or one a sidecar mounts.
   */
  readonly volume: string;

  /**
   * Where the volume is mounted in the sidecar: an absolute path.
   */
  readonly path: string;

  /**
   * Mount the volume read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;

  /**
   * A path inside the volume to mount instead of its root.
   *
   * @default - the volume's root
   */
  readonly subPath?: string;
}
