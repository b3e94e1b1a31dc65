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

/**
 * Properties of a `SidecarFirstStatefulSet`.
 */
export interface SidecarFirstStatefulSetProps extends kplus.StatefulSetProps, SidecarFirstOptions {}

/**
 * A cdk8s-plus `StatefulSet` whose app containers start only once its sidecars are
 * ready, exactly as `SidecarFirstDeployment` does it.
 */
export class SidecarFirstStatefulSet extends kplus.StatefulSet implements ISidecarFirst {
  public readonly startupGate: StartupGate;
  private readonly _sidecars: SidecarSet;

  constructor(scope: Construct, id: string, props: SidecarFirstStatefulSetProps) {
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
}
