import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { gateReport, gateWeb } from './gate';

/** A cdk8s-plus-28 app whose own workloads get sidecars through SidecarFirst.attach(), with no cast. */
export class Kplus28Chart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const web = new kplus.Deployment(this, 'web', {
      containers: [{ name: 'app', image: 'ghcr.io/example/app:1', portNumber: 8080 }],
      // cdk8s-plus gives it an implicit TCP startupProbe, which the API server rejects on init containers.
      initContainers: [{ name: 'seed', image: 'ghcr.io/example/seed:1', portNumber: 9000 }],
      // A volume of this major: the proxy mounts it by name (appVolumeMounts).
      volumes: [kplus.Volume.fromEmptyDir(this, 'cache', 'cache')],
    });
    web.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    gateWeb(web, '1.28');
    // The proxy's port, through a Service of this major: web.exposeViaService() knows only the app's containers.
    new kplus.Service(this, 'proxy-service', { selector: web, ports: [{ port: 443, targetPort: 8443 }] });
    // Scales on CPU utilization: the proxy declares a cpu request (gate.ts).
    new kplus.HorizontalPodAutoscaler(this, 'web-autoscaler', {
      target: web, maxReplicas: 4, metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
    const report = new kplus.Job(this, 'report', {
      containers: [{ name: 'report', image: 'ghcr.io/example/report:1' }],
    });
    gateReport(report, '1.28');
  }
}
