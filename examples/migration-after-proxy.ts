import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ReadinessCheck, SidecarFirstDeployment } from 'cdk8s-sidecar-first';

/**
 * A database migration that needs the Cloud SQL proxy: the proxy starts
 * first (native sidecar), the migration runs once it accepts connections,
 * then the app starts. The config renderer, an ordinary init container,
 * runs before everything.
 */
export class MigrationAfterProxyChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const small = { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } };
    new SidecarFirstDeployment(this, 'orders', {
      kubernetesVersion: '1.30',
      initContainers: [{ name: 'render-config', image: 'ghcr.io/example/render-config:1', resources: small }],
      containers: [{ name: 'orders', image: 'ghcr.io/example/orders:3.1.0', portNumber: 8080 }],
      sidecars: [{
        name: 'cloud-sql-proxy',
        image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0',
        args: ['--port=5432', '--health-check', '--http-address=0.0.0.0', 'example:europe-west1:orders'],
        resources: small,
        readinessCheck: ReadinessCheck.httpGet('/readiness', { port: 9090 }),
        startupTimeout: Duration.minutes(3),
      }],
      dependentInitContainers: [{
        name: 'migrate',
        image: 'ghcr.io/example/orders-migrations:3.1.0',
        command: ['migrate', '-database', 'postgres://orders@127.0.0.1:5432/orders', 'up'],
        resources: small,
        needs: ['cloud-sql-proxy'],
      }],
    });
  }
}
