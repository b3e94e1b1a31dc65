import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SidecarSet } from './_sidecar-set';
import { SidecarProps } from './sidecar';
import { SidecarFirstOptions } from './sidecar-first-options';
import { StartupGate } from './startup-gate';

/**
 * Properties of a `SidecarFirstDeployment`.
 */
export interface SidecarFirstDeploymentProps extends kplus.DeploymentProps, SidecarFirstOptions {}

/**
 * A cdk8s-plus `Deployment` whose app containers start only once its sidecars
 * are ready.
 *
 * On Kubernetes 1.29+ each sidecar is synthesized as a native sidecar (an
 * init container with `restartPolicy: Always`) whose startupProbe is the
 * sidecar's readiness check, polled every second; on older clusters, as a
 * first container whose postStart hook polls the check. See `StartupGate`.
 */
export class SidecarFirstDeployment extends kplus.Deployment {
  /**
   * The mechanism that holds the app until the sidecars are ready.
   */
  public readonly startupGate: StartupGate;

  private readonly _sidecars: SidecarSet;

  constructor(scope: Construct, id: string, props: SidecarFirstDeploymentProps = {}) {
    super(scope, id, props);
    this._sidecars = new SidecarSet(this, props);
    this.startupGate = this._sidecars.choice.gate;
  }

  /**
   * Adds a sidecar that must be ready before the app containers start. It
   * starts after the sidecars declared before it.
   */
  public addSidecar(sidecar: SidecarProps): void {
    this._sidecars.add(sidecar);
  }

  /** @internal */
  public _toPodSpec(): kplus.k8s.PodSpec {
    return this._sidecars.compile(super._toPodSpec());
  }
}
