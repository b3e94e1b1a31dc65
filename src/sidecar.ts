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
}
