import * as kplus from 'cdk8s-plus-28';

/**
 * An ordinary init container (it runs to completion) that needs some
 * sidecars ready before it starts, e.g. a database migration that needs the
 * database proxy. It is placed right after the last sidecar it needs.
 *
 * Only the `StartupGate.STARTUP_PROBE` gate can do this: under
 * `StartupGate.POST_START` sidecars are regular containers, and every init
 * container runs before them.
 */
export interface DependentInitContainerProps extends kplus.ContainerProps {
  /**
   * Names of the sidecars that must be ready before this init container starts.
   */
  readonly needs: string[];
}
