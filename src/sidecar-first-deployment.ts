import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SidecarSet } from './_sidecar-set';
import { SidecarProps } from './sidecar';

/**
 * Properties of a `SidecarFirstDeployment`.
 */
export interface SidecarFirstDeploymentProps extends kplus.DeploymentProps {
  /**
   * Sidecars that must be ready before the app containers start, in start-up order.
   *
   * @default - no sidecars; add them with `addSidecar()`
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  readonly sidecars?: SidecarProps[];
}

/**
 * A cdk8s-plus `Deployment` whose app containers start only once its sidecars
 * are ready.
 *
 * Each sidecar is synthesized as a native sidecar (an init container with
 * `restartPolicy: Always`) whose startupProbe is the sidecar's readiness
 * check, polled every second: the kubelet starts nothing after it until the
 * check passes.
 */
export class SidecarFirstDeployment extends kplus.Deployment {
  private readonly _sidecars: SidecarSet;

  constructor(scope: Construct, id: string, props: SidecarFirstDeploymentProps = {}) {
    super(scope, id, props);
    this._sidecars = new SidecarSet(this, props.sidecars);
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
