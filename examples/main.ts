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

// The same pod for a cluster whose oldest kubelet is 1.28: no native sidecars there,
// so nginx goes first in `containers` with a postStart hook that polls it every 250 ms.
const legacyCluster = new Chart(app, 'nginx-app-k8s-1-28');
new SidecarFirstDeployment(legacyCluster, 'web', {
  kubernetesVersion: '1.28.9-eks-036c24b',
  containers: [{ name: 'app', image: 'ghcr.io/example/app:1.4.0', portNumber: 3000 }],
  sidecars: [{
    name: 'nginx',
    image: 'nginxinc/nginx-unprivileged:1.27',
    portNumber: 8080,
    volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(legacyCluster, 'nginx-tmp', 'nginx-tmp') }],
    resources: {
      cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
      memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
    },
    readinessCheck: ReadinessCheck.httpGet('/'),
  }],
});

// A distroless sidecar (no shell, no wget) on a 1.27 cluster: waitToolImage brings a
// static busybox for the wait hook.
const distroless = new Chart(app, 'distroless-sidecar-k8s-1-27');
new SidecarFirstDeployment(distroless, 'api', {
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

app.synth();
