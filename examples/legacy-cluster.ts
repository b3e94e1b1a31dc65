import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { nginxSidecar } from './nginx-app';
import { SidecarFirstDeployment } from 'cdk8s-sidecar-first';

/**
 * The same pod for a cluster whose oldest kubelet is 1.28: no native sidecars
 * there, so nginx goes first in `containers` with a postStart hook that polls
 * it every 250 ms.
 */
export class LegacyClusterChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SidecarFirstDeployment(this, 'web', {
      kubernetesVersion: '1.28.9-eks-036c24b',
      containers: [{ name: 'app', image: 'ghcr.io/example/app:1.4.0', portNumber: 3000 }],
      sidecars: [nginxSidecar(this)],
    });
  }
}
