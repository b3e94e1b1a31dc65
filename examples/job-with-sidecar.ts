import { Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ReadinessCheck, SidecarFirstCronJob } from 'cdk8s-sidecar-first';

/**
 * A nightly report that needs the mesh proxy. As a native sidecar the proxy
 * is stopped by the kubelet when the report is done, so the Job completes
 * (a proxy in spec.containers would keep it running forever).
 */
export class JobWithSidecarChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SidecarFirstCronJob(this, 'report', {
      kubernetesVersion: '1.29',
      schedule: Cron.daily(),
      containers: [{ name: 'report', image: 'ghcr.io/example/report:5', args: ['--yesterday'] }],
      sidecars: [{
        name: 'envoy',
        image: 'envoyproxy/envoy:v1.31.2',
        portNumber: 9901,
        resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
        readinessCheck: ReadinessCheck.httpGet('/ready'),
      }],
    });
  }
}
