import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DependentInitContainerProps } from './dependent-init-container';
import { ISidecarFirst } from './i-sidecar-first';
import { SidecarProps } from './sidecar';
import { SidecarFirstOptions } from './sidecar-first-options';
import { StartupGate } from './startup-gate';
import { gateOwnWorkload } from '../private/compiler/patch-api-object';
import { kplusProps } from '../private/declare/declare-sidecar';
import { SidecarSet } from '../private/declare/sidecar-set';
import { constructPath, kplusError } from '../private/errors';
import { sidecarService } from '../private/sidecar-ports';

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
export class SidecarFirstDeployment extends kplus.Deployment implements ISidecarFirst {
  public readonly startupGate: StartupGate;
  private readonly _sidecars: SidecarSet;

  constructor(scope: Construct, id: string, props: SidecarFirstDeploymentProps = {}) {
    try {
      super(scope, id, kplusProps(scope, id, props));
    } catch (e) {
      // A JavaScript caller's wrong type surfaces in cdk8s-plus's constructor, often as a TypeError.
      throw kplusError(constructPath(scope, id), 'props', e);
    }
    this._sidecars = gateOwnWorkload(this, props);
    this.startupGate = this._sidecars.startupGate;
  }

  public addSidecar(sidecar: SidecarProps): kplus.Container {
    return this._sidecars.addSidecar(sidecar);
  }

  public addDependentInitContainer(container: DependentInitContainerProps): void {
    this._sidecars.addDependentInitContainer(container);
  }

  /**
   * Exposes the deployment via a Service, as cdk8s-plus does, except that
   * ports may target a sidecar's port (a proxy in front of the app).
   *
   * Without `ports`, a deployment whose sidecars listen on ports is an error:
   * a Service on the app containers' ports would bypass a front proxy, so say
   * which ports to expose.
   *
   * @param options the Service's name, type and ports, as for cdk8s-plus's `Deployment.exposeViaService`
   */
  public exposeViaService(options: kplus.DeploymentExposeViaServiceOptions = {}): kplus.Service {
    return sidecarService(this, this._sidecars, options) ?? super.exposeViaService(options);
  }
}
