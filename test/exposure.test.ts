/**
 * Sidecars are containers of the pod: a Service or Ingress can target their
 * ports, network policies open them, and the handle addSidecar() returns
 * takes volumes, environment variables and ports up to synthesis.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { FrontProxyChart } from '../examples/front-proxy';
import { ReadinessCheck, SidecarFirstDeployment, SidecarProps } from '../src';
import { newChart, podSpecOf, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';

/* eslint-disable @typescript-eslint/no-explicit-any */

const APP = { name: 'app', image: 'my/app:1', portNumber: 8080 };
const PROXY: SidecarProps = {
  name: 'proxy',
  image: 'nginxinc/nginx-unprivileged:1.27',
  portNumber: 8443,
  readinessCheck: ReadinessCheck.httpGet('/healthz'),
};

function kindOf(docs: any[], kind: string): any[] {
  return docs.filter(d => d.kind === kind);
}

describe('exposeViaService on a SidecarFirstDeployment', () => {
  test('a port may target the front proxy: the Service selects the pods and sends to the sidecar\'s port', () => {
    // GIVEN
    const chart = newChart();
    const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [PROXY] });

    // WHEN
    web.exposeViaService({ ports: [{ port: 443, targetPort: 8443 }], serviceType: kplus.ServiceType.LOAD_BALANCER });

    // THEN
    const { docs } = synth(chart);
    expect(docs).toMatchSnapshot();
    const [service] = kindOf(docs, 'Service');
    expect(service.spec).toEqual({
      externalIPs: [],
      ports: [{ port: 443, targetPort: 8443 }],
      selector: { 'cdk8s.io/metadata.addr': kindOf(docs, 'Deployment')[0].spec.template.metadata.labels['cdk8s.io/metadata.addr'] },
      type: 'LoadBalancer',
    });
    expectValidManifests(docs);
  });

  test('exposeViaIngress goes through the same Service, so it can reach the proxy too', () => {
    // GIVEN
    const chart = newChart();
    const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [PROXY] });

    // WHEN
    web.exposeViaIngress('/', { ports: [{ port: 443, targetPort: 8443 }] });

    // THEN
    const { docs } = synth(chart);
    const [service] = kindOf(docs, 'Service');
    const [ingress] = kindOf(docs, 'Ingress');
    expect(service.spec.ports).toEqual([{ port: 443, targetPort: 8443 }]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: service.metadata.name, port: { number: 443 } });
  });

  test('without ports, a deployment whose sidecars listen on ports is an error: the app\'s ports would bypass them', () => {
    // GIVEN
    const web = new SidecarFirstDeployment(newChart(), 'web', { containers: [APP], sidecars: [PROXY] });

    // WHEN / THEN
    expect(() => web.exposeViaService()).toThrow(new Error(
      'test/web: exposeViaService ports are not given, and sidecar "proxy" listens on 8443: a Service on the app containers\' ports would bypass the sidecars. '
      + 'Name the ports to expose, e.g. exposeViaService({ ports: [{ port: 443, targetPort: 8443 }] }) to send traffic through the sidecar, or list the app\'s own ports to reach the app directly'));
  });

  test('without ports and without sidecar ports, cdk8s-plus\'s own behaviour: the app\'s ports', () => {
    // GIVEN a sidecar whose check names its port, but which declares none
    const chart = newChart();
    const web = new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      sidecars: [{ ...PROXY, portNumber: undefined, readinessCheck: ReadinessCheck.tcpSocket({ port: 15000 }) }],
    });

    // WHEN
    web.exposeViaService();

    // THEN
    expect(kindOf(synth(chart).docs, 'Service')[0].spec.ports).toEqual([{ port: 8080, targetPort: 8080 }]);
  });

  test('a port no container or sidecar exposes, next to a sidecar port, is an error naming the known ports', () => {
    // GIVEN
    const web = new SidecarFirstDeployment(newChart(), 'web', { containers: [APP], sidecars: [PROXY] });

    // WHEN / THEN
    expect(() => web.exposeViaService({ ports: [{ name: 'https', port: 443, targetPort: 8443 }, { name: 'admin', port: 9000, targetPort: 9000 }] })).toThrow(new Error(
      'test/web: exposeViaService ports target port 9000, which no container or sidecar of this workload exposes. Target one of 8443, 8080, or add the port to a container or sidecar (portNumber or ports)'));
  });

  test('several ports through a sidecar need names, as cdk8s-plus requires', () => {
    // GIVEN
    const web = new SidecarFirstDeployment(newChart(), 'web', { containers: [APP], sidecars: [PROXY] });

    // WHEN / THEN
    expect(() => web.exposeViaService({ ports: [{ port: 443, targetPort: 8443 }, { port: 80, targetPort: 8080 }] })).toThrow(new Error(
      'test/web: exposeViaService ports are several, and not all of them have a name. Name every port (name: \'https\'...): a Service with several ports needs the names to tell them apart'));
  });
});

describe('the handle addSidecar() returns', () => {
  test('volumes, environment variables and ports added to it reach the sidecar, and its ports the Service', () => {
    // GIVEN
    const chart = newChart();
    const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP] });
    const proxy = web.addSidecar(PROXY);

    // WHEN
    proxy.mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'proxy-tmp'));
    proxy.env.addVariable('UPSTREAM', kplus.EnvValue.fromValue('127.0.0.1:8080'));
    proxy.addPort({ number: 9901, name: 'admin' });
    web.exposeViaService({ ports: [{ name: 'admin', port: 9901 }] });

    // THEN
    const { docs, pod } = synth(chart);
    const sidecar = pod.initContainers![0] as any;
    expect(proxy).toBeInstanceOf(kplus.Container);
    expect([sidecar.name, sidecar.volumeMounts, sidecar.env, sidecar.ports]).toEqual([
      'proxy',
      [{ name: 'proxy-tmp', mountPath: '/tmp' }],
      [{ name: 'UPSTREAM', value: '127.0.0.1:8080' }],
      [{ containerPort: 8443 }, { containerPort: 9901, name: 'admin' }],
    ]);
    expect(pod.volumes).toEqual([{ name: 'proxy-tmp', emptyDir: {} }]);
    expect(kindOf(docs, 'Service')[0].spec.ports).toEqual([{ name: 'admin', port: 9901 }]);
    expectValidManifests(docs);
  });
});

describe('connections (network policies) see the sidecars\' ports', () => {
  test('allowFrom opens the sidecar\'s port next to the app\'s', () => {
    // GIVEN
    const chart = newChart();
    const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [PROXY] });
    const client = new kplus.Deployment(chart, 'client', { containers: [{ name: 'c', image: 'curl:8' }] });

    // WHEN
    web.connections.allowFrom(client);

    // THEN
    const ingress = kindOf(synth(chart).docs, 'NetworkPolicy').find(p => p.spec.policyTypes.includes('Ingress'));
    expect(ingress.spec.ingress[0].ports).toEqual([{ port: 8443, protocol: 'TCP' }, { port: 8080, protocol: 'TCP' }]);
  });

  test('allowTo another SidecarFirst workload opens its sidecars\' ports too', () => {
    // GIVEN
    const chart = newChart();
    const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [PROXY] });
    const client = new SidecarFirstDeployment(chart, 'client', { containers: [{ name: 'c', image: 'curl:8' }] });

    // WHEN
    client.connections.allowTo(web);

    // THEN
    const egress = kindOf(synth(chart).docs, 'NetworkPolicy').find(p => p.spec.policyTypes.includes('Egress'));
    expect(egress.spec.egress[0].ports).toEqual([{ port: 8443, protocol: 'TCP' }, { port: 8080, protocol: 'TCP' }]);
  });
});

test('the front-proxy example exposes nginx, never the app', () => {
  // GIVEN
  const chart = new FrontProxyChart(Testing.app(), 'front-proxy');

  // WHEN
  const docs = Testing.synth(chart);

  // THEN
  const pod = podSpecOf(kindOf(docs, 'Deployment')[0])!;
  const nginx = pod.initContainers!.find(c => c.name === 'nginx') as any;
  expect(kindOf(docs, 'Service')[0].spec.ports).toEqual([{ name: 'http', port: 80, targetPort: nginx.ports[0].containerPort }]);
  expect(pod.containers.map(c => [c.name, (c as any).ports])).toEqual([['app', undefined]]);
});
