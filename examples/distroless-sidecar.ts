import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ReadinessCheck, SidecarFirstDeployment } from 'cdk8s-sidecar-first';

/**
 * A distroless sidecar (no shell, no wget) on a 1.27 cluster: waitToolImage
 * brings a static busybox for the wait hook.
 */
export class DistrolessSidecarChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SidecarFirstDeployment(this, 'api', {
      kubernetesVersion: '1.27',
      waitToolImage: 'busybox:1.36-musl',
      containers: [{ name: 'api', image: 'ghcr.io/example/api:2.0.1', portNumber: 8080 }],
      sidecars: [{
        name: 'secrets-agent',
        image: 'gcr.io/example/secrets-agent:0.9-distroless',
        portNumber: 8200,
        resources: { cpu: { request: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
        readinessCheck: ReadinessCheck.httpGet('/v1/sys/health'),
        startupTimeout: Duration.seconds(60),
      }],
    });
  }
}
