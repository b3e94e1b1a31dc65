import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { HttpScheme, ReadinessCheck, SidecarFirst } from '../../src';

/** A cdk8s-plus-34 app: nginx terminates TLS in front of the app, which starts once nginx is ready. */
export class ShopChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    const certs = kplus.Volume.fromSecret(this, 'certs', kplus.Secret.fromSecretName(this, 'tls', 'shop-tls'));
    const web = new kplus.Deployment(this, 'web', {
      containers: [{
        name: 'app',
        image: 'ghcr.io/example/shop:1',
        portNumber: 8080,
        resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256) } },
      }],
      volumes: [certs],
    });

    // Your own workload stays a cdk8s-plus-34 Deployment; the sidecar is written into it at synthesis.
    SidecarFirst.attach(web, {
      kubernetesVersion: '1.33',
      sidecars: [{
        name: 'nginx',
        image: 'nginxinc/nginx-unprivileged:1.27',
        portNumber: 8443,
        readinessCheck: ReadinessCheck.httpGet('/healthz', { scheme: HttpScheme.HTTPS }),
        // the app's own volume, by name: a cdk8s-plus-34 Volume is not a cdk8s-plus-28 one
        appVolumeMounts: [{ volume: certs.name, path: '/etc/nginx/certs', readOnly: true }],
        // modest requests; the CPU autoscaler below needs a cpu request on every container, sidecars included
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
      }],
    });

    // A Service of your major, selecting the workload's pods: 443 goes to nginx, not to the app.
    // (web.exposeViaService() only knows the app's containers, and rejects the sidecar's port.)
    new kplus.Service(this, 'web-service', { selector: web, ports: [{ port: 443, targetPort: 8443 }] });

    new kplus.HorizontalPodAutoscaler(this, 'web-autoscaler', {
      target: web,
      maxReplicas: 10,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
  }
}

const app = new App();
new ShopChart(app, 'shop');
app.synth();
