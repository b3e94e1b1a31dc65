import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ReadinessCheck, SidecarFirstDeployment, SidecarProps } from 'cdk8s-sidecar-first';

/** nginx in front of the app, as an unprivileged, read-only sidecar. */
export function nginxSidecar(scope: Construct): SidecarProps {
  return {
    name: 'nginx',
    // Runs as a non-root user on 8080, as cdk8s-plus's default security context requires.
    image: 'nginxinc/nginx-unprivileged:1.27',
    portNumber: 8080,
    // nginx writes its pid and caches under /tmp; the root filesystem stays read-only.
    volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'nginx-tmp', 'nginx-tmp') }],
    resources: {
      cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
      memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
    },
    readinessCheck: ReadinessCheck.httpGet('/'),
    startupTimeout: Duration.minutes(2),
  };
}

/** nginx terminates traffic in front of the app: the app must not start before nginx answers. */
export class NginxAppChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SidecarFirstDeployment(this, 'web', {
      replicas: 2,
      containers: [{ name: 'app', image: 'ghcr.io/example/app:1.4.0', portNumber: 3000 }],
      sidecars: [nginxSidecar(this)],
    });
  }
}
