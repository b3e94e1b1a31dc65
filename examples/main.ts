/**
 * A runnable cdk8s app: `npm run examples` synthesizes it into examples/dist/.
 * Each chart is one use case from the README.
 */
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ReadinessCheck, SidecarFirstDeployment } from '../src';

const app = new App({ outdir: path.join(__dirname, 'dist') });

// nginx terminates traffic in front of the app: the app must not start before nginx answers.
const nginxApp = new Chart(app, 'nginx-app');
new SidecarFirstDeployment(nginxApp, 'web', {
  replicas: 2,
  containers: [{ name: 'app', image: 'ghcr.io/example/app:1.4.0', portNumber: 3000 }],
  sidecars: [{
    name: 'nginx',
    // Runs as a non-root user on 8080, as cdk8s-plus's default security context requires.
    image: 'nginxinc/nginx-unprivileged:1.27',
    portNumber: 8080,
    // nginx writes its pid and caches under /tmp; the root filesystem stays read-only.
    volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(nginxApp, 'nginx-tmp', 'nginx-tmp') }],
    resources: {
      cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
      memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
    },
    readinessCheck: ReadinessCheck.httpGet('/'),
    startupTimeout: Duration.minutes(2),
  }],
});

app.synth();
