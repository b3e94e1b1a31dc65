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
    });
    web.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    gateWeb(web, '1.28');
    const report = new kplus.Job(this, 'report', {
      containers: [{ name: 'report', image: 'ghcr.io/example/report:1' }],
    });
    gateReport(report, '1.28');
  }
}
