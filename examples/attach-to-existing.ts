import * as path from 'path';
import { Chart, Include, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ReadinessCheck, SidecarFirst } from 'cdk8s-sidecar-first';

/**
 * Workloads that already exist: a Deployment from someone else's YAML gets
 * a database proxy through JSON patches, and a cdk8s-plus Deployment
 * written elsewhere gets a log shipper, without replacing either.
 */
export class AttachToExistingChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const small = { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } };

    const shop = new Include(this, 'shop', { url: path.join(__dirname, 'existing', 'shop.yaml') });
    SidecarFirst.patch(shop.apiObjects[0], {
      kubernetesVersion: '1.31',
      sidecars: [{
        name: 'pgbouncer',
        image: 'bitnami/pgbouncer:1.23.1',
        portNumber: 5432,
        resources: small,
        readinessCheck: ReadinessCheck.tcpSocket(),
      }],
    });

    const worker = new kplus.Deployment(this, 'worker', {
      containers: [{ name: 'worker', image: 'ghcr.io/example/worker:2', resources: small }],
    });
    SidecarFirst.attach(worker, {
      kubernetesVersion: '1.31',
      sidecars: [{
        name: 'fluent-bit',
        image: 'fluent/fluent-bit:3.1',
        portNumber: 2020,
        resources: small,
        readinessCheck: ReadinessCheck.httpGet('/api/v1/health'),
      }],
    });
  }
}
