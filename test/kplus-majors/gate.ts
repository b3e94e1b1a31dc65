/**
 * What every per-major test app gates on its workloads, written once: the
 * apps differ only in the cdk8s-plus major they import.
 */
import { Duration } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ReadinessCheck, SidecarFirst } from '../../src';

/** The sidecars each app's workloads get, by workload id. */
export const SIDECARS: { readonly [workload: string]: string[] } = { web: ['proxy'], report: ['db-proxy'] };

/**
 * Gates an nginx front proxy on a long-running workload, through the handle
 * `addSidecar()` returns (a volume mounted and an environment variable set on
 * it), mounting the workload's volume "cache" by name.
 */
export function gateWeb(workload: IConstruct, kubernetesVersion: string): void {
  const gated = SidecarFirst.attach(workload, { kubernetesVersion });
  const proxy = gated.addSidecar({
    name: 'proxy',
    image: 'nginxinc/nginx-unprivileged:1.27',
    portNumber: 8443,
    readinessCheck: ReadinessCheck.httpGet('/healthz'),
    startupTimeout: Duration.seconds(60),
    // the workload's own volume, of whatever major, by name
    appVolumeMounts: [{ volume: 'cache', path: '/var/cache/nginx' }],
    // the workload's CPU autoscaler needs a cpu request on every container, sidecars included
    resources: { cpu: { request: kplus28.Cpu.millis(50) } },
  });
  proxy.mount('/tmp', kplus28.Volume.fromEmptyDir(workload, 'proxy-tmp', 'proxy-tmp'));
  proxy.env.addVariable('UPSTREAM', kplus28.EnvValue.fromValue('127.0.0.1:8080'));
}

/** Gates a database proxy on a Job, which must say how the proxy exits under POST_START. */
export function gateReport(workload: IConstruct, kubernetesVersion: string): void {
  SidecarFirst.attach(workload, {
    kubernetesVersion,
    sidecars: [{
      name: 'db-proxy',
      image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0',
      portNumber: 5432,
      readinessCheck: ReadinessCheck.tcpSocket(),
      jobExit: 'the job calls POST http://localhost:9091/quitquitquit when done',
    }],
  });
}
