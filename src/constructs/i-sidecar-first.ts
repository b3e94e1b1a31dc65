import * as kplus from 'cdk8s-plus-28';
import { DependentInitContainerProps } from './dependent-init-container';
import { SidecarProps } from './sidecar';
import { StartupGate } from './startup-gate';

/**
 * A pod whose app containers start only once its sidecars are ready.
 */
export interface ISidecarFirst {
  /**
   * The mechanism that holds the app until the sidecars are ready.
   */
  readonly startupGate: StartupGate;

  /**
   * Adds a sidecar that must be ready before the app containers start.
   *
   * @returns the sidecar's cdk8s-plus-28 container: mount volumes, add
   * environment variables and ports on it as on any container, up to synthesis
   */
  addSidecar(sidecar: SidecarProps): kplus.Container;

  /**
   * Adds an init container that runs once the sidecars it `needs` are ready.
   */
  addDependentInitContainer(container: DependentInitContainerProps): void;
}
