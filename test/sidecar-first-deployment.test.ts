import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HttpScheme, ReadinessCheck, Severity, SidecarFirstDeployment, SidecarProps } from '../src';
import { nativeGated, verdicts } from './support/kubelet';
import { newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';

const APP = { name: 'app', image: 'my/app:1', portNumber: 8080 };
const NGINX: SidecarProps = {
  name: 'proxy',
  image: 'nginx:1.27',
  portNumber: 80,
  readinessCheck: ReadinessCheck.httpGet('/healthz', { port: 80 }),
};

/** The probe fields the compiler owns, for targeted assertions. */
function gateOf(container: any) {
  const { name, restartPolicy, startupProbe, readinessProbe } = container;
  return { name, restartPolicy, startupProbe, readinessProbe };
}

describe('SidecarFirstDeployment compiles each readiness check into a native sidecar with a 1 s startupProbe', () => {
  test.each([
    ['httpGet', ReadinessCheck.httpGet('/healthz', { port: 80, scheme: HttpScheme.HTTPS, host: '127.0.0.1', headers: { 'X-Probe': 'sidecar-first' } }),
      {
        httpGet: {
          path: '/healthz',
          port: 80,
          scheme: 'HTTPS',
          host: '127.0.0.1',
          httpHeaders: [{ name: 'X-Probe', value: 'sidecar-first' }],
        },
      }],
    ['tcpSocket', ReadinessCheck.tcpSocket(), { tcpSocket: { port: 80 } }],
    ['command', ReadinessCheck.command(['sh', '-c', 'test -f /tmp/ready']), { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] } }],
    ['grpc', ReadinessCheck.grpc({ port: 9090, service: 'envoy' }), { grpc: { port: 9090, service: 'envoy' } }],
  ])('%s', (_kind, readinessCheck, action) => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      sidecars: [{ ...NGINX, readinessCheck }],
    });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.initContainers!.map(gateOf)).toEqual([{
      name: 'proxy',
      restartPolicy: 'Always',
      startupProbe: {
        ...action, initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 120,
      },
      readinessProbe: {
        ...action, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3,
      },
    }]);
    expect(pod.containers.map(c => c.name)).toEqual(['app']);
    expect(verdicts(pod)).toEqual({ proxy: nativeGated('proxy') });
    expectValidManifests(docs);
  });
});

describe('SidecarFirstDeployment placement', () => {
  test('two sidecars start in declaration order, before the app', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      sidecars: [
        NGINX,
        { name: 'cloud-sql-proxy', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2', readinessCheck: ReadinessCheck.tcpSocket({ port: 5432 }) },
      ],
    });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.initContainers!.map(c => c.name)).toEqual(['proxy', 'cloud-sql-proxy']);
    expect(verdicts(pod)).toEqual({ 'proxy': nativeGated('proxy'), 'cloud-sql-proxy': nativeGated('cloud-sql-proxy') });
    expectValidManifests(docs);
  });

  test('the user\'s ordinary init containers run first and stay ordinary; then the sidecars', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      initContainers: [{ name: 'migrate', image: 'my/migrations:1', command: ['migrate', 'up'] }],
      sidecars: [NGINX],
    });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.initContainers!.map(c => [c.name, c.restartPolicy, c.startupProbe])).toEqual([
      ['migrate', undefined, undefined],
      ['proxy', 'Always', expect.objectContaining({ periodSeconds: 1 })],
    ]);
    expect(verdicts(pod)).toEqual({ proxy: nativeGated('proxy') });
    expectValidManifests(docs);
  });

  test('addSidecar after construction, also after addContainer', () => {
    // GIVEN
    const chart = newChart();
    const deployment = new SidecarFirstDeployment(chart, 'web', { sidecars: [NGINX] });

    // WHEN
    deployment.addContainer(APP);
    deployment.addSidecar({ name: 'otel', image: 'otel/opentelemetry-collector:0.110.0', portNumber: 13133, readinessCheck: ReadinessCheck.httpGet('/') });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.initContainers!.map(gateOf)[1]).toEqual({
      name: 'otel',
      restartPolicy: 'Always',
      startupProbe: {
        httpGet: { path: '/', port: 13133, scheme: 'HTTP' },
        initialDelaySeconds: 0,
        periodSeconds: 1,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 120,
      },
      readinessProbe: {
        httpGet: { path: '/', port: 13133, scheme: 'HTTP' },
        initialDelaySeconds: 0,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
      },
    });
    expect(verdicts(pod)).toEqual({ proxy: nativeGated('proxy'), otel: nativeGated('otel') });
    expectValidManifests(docs);
  });

  test('a user-supplied readiness probe is kept; liveness and every other container field pass through', () => {
    // GIVEN
    const chart = newChart();
    const cache = kplus.Volume.fromEmptyDir(chart, 'cache', 'proxy-cache');

    // WHEN
    new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      sidecars: [{
        ...NGINX,
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 80, periodSeconds: Duration.seconds(5) }),
        liveness: kplus.Probe.fromTcpSocket({ port: 80 }),
        envVariables: { MODE: kplus.EnvValue.fromValue('edge') },
        volumeMounts: [{ volume: cache, path: '/var/cache/nginx' }],
        resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(32) } },
        startupTimeout: Duration.seconds(90),
      }],
    });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    const proxy = pod.initContainers![0];
    expect(proxy.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 80, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3 });
    expect(proxy.livenessProbe).toEqual({ tcpSocket: { port: 80 }, failureThreshold: 3 });
    expect(proxy.startupProbe).toEqual(expect.objectContaining({ periodSeconds: 1, failureThreshold: 90 }));
    expect(proxy.env).toEqual([{ name: 'MODE', value: 'edge' }]);
    expect(proxy.volumeMounts).toEqual([{ name: 'proxy-cache', mountPath: '/var/cache/nginx' }]);
    expect(pod.volumes).toEqual([{ name: 'proxy-cache', emptyDir: {} }]);
    // The user's readinessProbe checks another path than the declared readiness check: a warning, not a verdict change.
    expect(verdicts(pod)).toEqual({ proxy: { ...nativeGated('proxy'), findings: [expect.objectContaining({ id: 'SF112', severity: Severity.WARNING })] } });
    expectValidManifests(docs);
  });

  test('an app container\'s fields, including cdk8s-plus\'s implicit startupProbe on its port, are left as declared', () => {
    // GIVEN
    const chart = newChart();
    const plain = new kplus.Deployment(chart, 'plain', { containers: [APP] });

    // WHEN
    new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [NGINX] });

    // THEN
    const docs = synth(chart).docs;
    expect(docs[1].spec.template.spec.containers).toEqual(docs[0].spec.template.spec.containers);
    expect(plain.containers).toHaveLength(1);
  });

  test('startupTimeout sets failureThreshold so that failureThreshold x periodSeconds covers it', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      sidecars: [{ ...NGINX, startupTimeout: Duration.minutes(10) }],
    });

    // THEN
    const probe = synth(chart).pod.initContainers![0].startupProbe!;
    expect(probe.failureThreshold! * probe.periodSeconds!).toEqual(600);
  });
});

describe('SidecarFirstDeployment rejects what cannot work, at declaration', () => {
  const declare = (sidecar: Partial<SidecarProps>, props: Partial<kplus.DeploymentProps> = {}) => () =>
    new SidecarFirstDeployment(newChart(), 'web', { containers: [APP], ...props, sidecars: [{ ...NGINX, ...sidecar } as SidecarProps] });

  test.each<[string, Partial<SidecarProps>, string]>([
    ['a sidecar without readinessCheck', { readinessCheck: undefined },
      'test/web: sidecar "proxy": readinessCheck is required. Say how to tell the sidecar is ready, e.g. readinessCheck: ReadinessCheck.httpGet(\'/healthz\', { port: 8080 })'],
    ['a sidecar without a name', { name: undefined },
      'test/web: sidecars[0]: name is required. Give it a unique container name, e.g. name: \'proxy\''],
    ['a check without any port', { portNumber: undefined, readinessCheck: ReadinessCheck.tcpSocket() },
      'test/web: sidecar "proxy": readinessCheck has no port, and the sidecar has no portNumber to default to. Give the port in the check, e.g. ReadinessCheck.tcpSocket({ port: 5432 }), or set portNumber on the sidecar'],
    ['a check port above 65535', { readinessCheck: ReadinessCheck.grpc({ port: 70000 }) },
      'test/web: sidecar "proxy": readinessCheck port is 70000, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['a check port of 0', { readinessCheck: ReadinessCheck.httpGet('/healthz', { port: 0 }) },
      'test/web: sidecar "proxy": readinessCheck port is 0, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['a portNumber, used by the check, outside 1-65535', { portNumber: 65536, readinessCheck: ReadinessCheck.tcpSocket() },
      'test/web: sidecar "proxy": portNumber is 65536, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['a startupTimeout under 1 second', { startupTimeout: Duration.millis(500) },
      'test/web: sidecar "proxy": startupTimeout is 500 ms, under 1 second. Use a whole number of seconds, at least 1, e.g. Duration.seconds(90) (probe periods are counted in seconds)'],
    ['a startupTimeout that is not a whole number of seconds', { startupTimeout: Duration.millis(1500) },
      'test/web: sidecar "proxy": startupTimeout is 1500 ms, not a whole number of seconds. Use a whole number of seconds, at least 1, e.g. Duration.seconds(90) (probe periods are counted in seconds)'],
    ['startup set by the user', { startup: kplus.Probe.fromTcpSocket({ port: 80 }) },
      'test/web: sidecar "proxy": startup must not be set: the library builds the startupProbe from readinessCheck. Remove startup and describe readiness with readinessCheck (its timeout is startupTimeout)'],
    ['restartPolicy set by the user', { restartPolicy: kplus.ContainerRestartPolicy.ALWAYS },
      'test/web: sidecar "proxy": restartPolicy must not be set (got "Always"): the library decides how the sidecar is placed. Remove restartPolicy; the sidecar becomes a native sidecar (restartPolicy: Always) where the cluster supports it'],
    ['ReadinessCheck.command([])', { readinessCheck: ReadinessCheck.command([]) },
      'test/web: sidecar "proxy": readinessCheck is ReadinessCheck.command([]): the command is empty. Give the program and its arguments, e.g. ReadinessCheck.command([\'pg_isready\', \'-h\', \'127.0.0.1\'])'],
    ['ReadinessCheck.command([\'\']): an empty program', { readinessCheck: ReadinessCheck.command(['']) },
      'test/web: sidecar "proxy": readinessCheck is ReadinessCheck.command([""]): the program (the first element) is empty. Give the program first, then its arguments, e.g. ReadinessCheck.command([\'pg_isready\', \'-h\', \'127.0.0.1\'])'],
    ['an HTTP path that does not start with /', { readinessCheck: ReadinessCheck.httpGet('healthz') },
      'test/web: sidecar "proxy": readinessCheck path is "healthz", which does not start with "/". Give an absolute request path, e.g. ReadinessCheck.httpGet(\'/healthz\')'],
    ['a header name that is not an HTTP token', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: { 'X Bad:Name': 'v' } }) },
      'test/web: sidecar "proxy": readinessCheck header name "X Bad:Name" is not a header name Kubernetes accepts. Use ASCII letters, digits and \'-\' only (the API server\'s IsHTTPHeaderName), e.g. X-Health-Token'],
  ])('%s', (_case, sidecar, message) => {
    expect(declare(sidecar)).toThrow(new Error(message));
  });

  test('a sidecar named like an app container', () => {
    expect(declare({ name: 'app' })).toThrow(new Error(
      'test/web: container name "app" is used twice (sidecar "app" and containers[0]). Container names must be unique within a pod (containers, init containers and sidecars); rename one'));
  });

  test('a sidecar named like an ordinary init container', () => {
    expect(declare({ name: 'migrate' }, { initContainers: [{ name: 'migrate', image: 'my/migrations:1' }] })).toThrow(new Error(
      'test/web: container name "migrate" is used twice (sidecar "migrate" and initContainers[0]). Container names must be unique within a pod (containers, init containers and sidecars); rename one'));
  });

  test('two sidecars with the same name; the failed addSidecar records nothing', () => {
    // GIVEN
    const chart = newChart();
    const deployment = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [NGINX] });

    // WHEN / THEN
    expect(() => deployment.addSidecar(NGINX)).toThrow(new Error(
      'test/web: container name "proxy" is used twice (sidecar "proxy" and sidecar "proxy"). Container names must be unique within a pod (containers, init containers and sidecars); rename one'));
    expect(synth(chart).pod.initContainers!.map(c => c.name)).toEqual(['proxy']);
  });

  test('a sidecar cdk8s-plus refuses to build (port and portNumber) records nothing', () => {
    // GIVEN
    const chart = newChart();
    const deployment = new SidecarFirstDeployment(chart, 'web', { containers: [APP] });

    // WHEN / THEN
    expect(() => deployment.addSidecar({ ...NGINX, port: 80 })).toThrow(new Error(
      'test/web: sidecar "proxy": the sidecar\'s container was rejected by cdk8s-plus (Either \'port\' or \'portNumber\' is allowed. Use \'portNumber\' since \'port\' is deprecated). '
      + 'Correct the declaration as cdk8s-plus\'s message says'));
    deployment.addSidecar(NGINX);
    expect(synth(chart).pod.initContainers!.map(c => c.name)).toEqual(['proxy']);
  });

  test('an app container added after the sidecar with the sidecar\'s name fails at synthesis', () => {
    // GIVEN
    const chart = newChart();
    const deployment = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [NGINX] });

    // WHEN
    deployment.addContainer({ name: 'proxy', image: 'other:1' });

    // THEN
    expect(() => synth(chart)).toThrow(
      'test/web: container name "proxy" is used twice (sidecar "proxy" and containers[1]). Container names must be unique within a pod (containers, init containers and sidecars); rename one');
  });

  test('a sidecar volume whose name another, different volume already has', () => {
    // GIVEN
    const chart = newChart();
    const appData = kplus.Volume.fromEmptyDir(chart, 'a', 'data');
    const proxyData = kplus.Volume.fromEmptyDir(chart, 'b', 'data', { sizeLimit: Size.mebibytes(64) });

    // WHEN
    new SidecarFirstDeployment(chart, 'web', {
      containers: [{ ...APP, volumeMounts: [{ volume: appData, path: '/data' }] }],
      sidecars: [{ ...NGINX, volumeMounts: [{ volume: proxyData, path: '/cache' }] }],
    });

    // THEN
    expect(() => synth(chart)).toThrow(
      'test/web: volume name "data" names two different volumes (one mounted by a sidecar). Give each volume its own name, or mount the same Volume object in both containers');
  });
});
