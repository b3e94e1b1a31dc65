import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HttpScheme, ReadinessCheck, SidecarFirstDeployment, SidecarFirstDeploymentProps, SidecarProps, StartupGate } from '../src';
import { legacyGated, nativeGated, verdicts } from './support/kubelet';
import { newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';
import { WAIT_SCRIPT } from '../src/private/compiler/wait-hook-script';

const APP = { name: 'app', image: 'my/app:1', portNumber: 8080 };
const NGINX: SidecarProps = {
  name: 'proxy',
  image: 'nginx:1.27',
  portNumber: 80,
  readinessCheck: ReadinessCheck.httpGet('/healthz'),
};

function deployment(props: Partial<SidecarFirstDeploymentProps>, chart: Chart = newChart()) {
  const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [NGINX], ...props });
  return { chart, web };
}

describe('the startup gate is chosen from the Kubernetes version', () => {
  test.each<[string | undefined, StartupGate | undefined, StartupGate]>([
    [undefined, undefined, StartupGate.STARTUP_PROBE],
    ['1.33', undefined, StartupGate.STARTUP_PROBE],
    ['v1.29.0', undefined, StartupGate.STARTUP_PROBE],
    ['1.28.3-eks-abc', undefined, StartupGate.POST_START],
    ['v1.27.16+k3s1', undefined, StartupGate.POST_START],
    ['1.20', undefined, StartupGate.POST_START],
    ['1.33', StartupGate.POST_START, StartupGate.POST_START],
    ['1.28', StartupGate.STARTUP_PROBE, StartupGate.STARTUP_PROBE],
    [undefined, StartupGate.POST_START, StartupGate.POST_START],
  ])('kubernetesVersion %s, startupGate %s: %s', (kubernetesVersion, startupGate, expected) => {
    expect(deployment({ kubernetesVersion, startupGate }).web.startupGate).toBe(expected);
  });

  test('the context key sidecar-first:kubernetesVersion sets the version for a whole app; the prop wins over it', () => {
    // GIVEN
    const app = Testing.app();
    app.node.setContext('sidecar-first:kubernetesVersion', '1.28');
    const chart = new Chart(app, 'test');

    // WHEN
    const fromContext = new SidecarFirstDeployment(chart, 'a', { containers: [APP], sidecars: [NGINX] });
    const fromProp = new SidecarFirstDeployment(chart, 'b', { containers: [APP], sidecars: [NGINX], kubernetesVersion: '1.30' });

    // THEN
    expect([fromContext.startupGate, fromProp.startupGate]).toEqual([StartupGate.POST_START, StartupGate.STARTUP_PROBE]);
  });
});

describe('POST_START: the sidecar goes first in containers, with a postStart hook that polls the check', () => {
  test.each(['1.27', '1.28'])('Kubernetes %s', (version) => {
    // GIVEN
    const chart = newChart();

    // WHEN
    deployment({ kubernetesVersion: version, initContainers: [{ name: 'migrate', image: 'my/migrations:1' }] }, chart);

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.containers.map(c => c.name)).toEqual(['proxy', 'app']);
    expect(pod.initContainers!.map(c => c.name)).toEqual(['migrate']);
    const proxy = pod.containers[0];
    expect(proxy.lifecycle).toEqual({
      postStart: {
        exec: {
          command: ['/bin/sh', '-c', WAIT_SCRIPT, 'sidecar-first-wait', 'proxy', 'httpGet', '120', '0.25', '', '/dev/termination-log', 'http://127.0.0.1:80/healthz'],
        },
      },
    });
    expect(proxy.restartPolicy).toBeUndefined();
    expect(proxy.startupProbe).toBeUndefined();
    expect(proxy.readinessProbe).toEqual({
      httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(pod.containers[1]).toEqual(expect.objectContaining({ name: 'app', startupProbe: { failureThreshold: 3, tcpSocket: { port: 8080 } } }));
    expect(verdicts(pod)).toEqual({ proxy: legacyGated('proxy') });
    expectValidManifests(docs, [version, '1.29', '1.33']);
  });

  test('every check kind, two sidecars in order, pollInterval and startupTimeout reach the hook', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    deployment({
      startupGate: StartupGate.POST_START,
      pollInterval: Duration.millis(500),
      sidecars: [
        { ...NGINX, readinessCheck: ReadinessCheck.httpGet('/a b', { host: '::1', scheme: HttpScheme.HTTPS, headers: { 'X-A': '1', 'X-B': 'two words' } }), startupTimeout: Duration.seconds(30) },
        { name: 'pg', image: 'cloud-sql-proxy:2', readinessCheck: ReadinessCheck.tcpSocket({ port: 5432 }) },
        { name: 'vault', image: 'vault:1', readinessCheck: ReadinessCheck.command(['vault', 'status']) },
        { name: 'envoy', image: 'envoy:1', readinessCheck: ReadinessCheck.grpc({ port: 9901, service: 'xds', grpcHealthProbe: '/bin/grpc_health_probe' }) },
      ],
    }, chart);

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.containers.map(c => c.lifecycle?.postStart?.exec?.command?.slice(4) ?? [undefined])).toEqual([
      ['proxy', 'httpGet', '30', '0.5', '', '/dev/termination-log', 'https://[::1]:80/a%20b', 'X-A: 1', 'X-B: two words'],
      ['pg', 'tcpSocket', '120', '0.5', '', '/dev/termination-log', '127.0.0.1', '5432'],
      ['vault', 'command', '120', '0.5', '', '/dev/termination-log', 'vault', 'status'],
      ['envoy', 'grpc', '120', '0.5', '', '/dev/termination-log', '/bin/grpc_health_probe', '127.0.0.1:9901', 'xds'],
      [undefined],
    ].map(args => args));
    expect(pod.containers.map(c => c.name)).toEqual(['proxy', 'pg', 'vault', 'envoy', 'app']);
    expect(verdicts(pod)).toEqual({
      proxy: legacyGated('proxy'), pg: legacyGated('pg'), vault: legacyGated('vault'), envoy: legacyGated('envoy'),
    });
    expectValidManifests(docs, ['1.27', '1.28', '1.29', '1.33']);
  });

  test('waitToolImage: an init container copies busybox into an emptyDir the sidecars mount, and the hooks run it', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    deployment({ kubernetesVersion: '1.28', waitToolImage: 'busybox:1.36-musl' }, chart);

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.initContainers).toEqual([expect.objectContaining({
      name: 'sidecar-first-wait-tools',
      image: 'busybox:1.36-musl',
      command: ['/bin/busybox', 'cp', '/bin/busybox', '/sidecar-first/busybox'],
      volumeMounts: [{ name: 'sidecar-first-wait-tools', mountPath: '/sidecar-first' }],
    })]);
    expect(pod.volumes).toEqual([{ name: 'sidecar-first-wait-tools', emptyDir: {} }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'sidecar-first-wait-tools', mountPath: '/sidecar-first', readOnly: true }]);
    expect(pod.containers[0].lifecycle!.postStart!.exec!.command!.slice(0, 2)).toEqual(['/sidecar-first/busybox', 'sh']);
    expect(pod.containers[0].lifecycle!.postStart!.exec!.command![9]).toEqual('/sidecar-first/busybox');
    expect(verdicts(pod)).toEqual({ proxy: legacyGated('proxy') });
    expectValidManifests(docs, ['1.27', '1.28', '1.29', '1.33']);
  });

  test('a user preStop hook is kept next to the wait hook', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    deployment({
      startupGate: StartupGate.POST_START,
      sidecars: [{ ...NGINX, lifecycle: { preStop: kplus.Handler.fromCommand(['nginx', '-s', 'quit']) } }],
    }, chart);

    // THEN
    const lifecycle = synth(chart).pod.containers[0].lifecycle!;
    expect(lifecycle.preStop).toEqual({ exec: { command: ['nginx', '-s', 'quit'] } });
    expect(lifecycle.postStart!.exec!.command![3]).toEqual('sidecar-first-wait');
  });

  test('STARTUP_PROBE output is unchanged by pollInterval and waitToolImage, which belong to POST_START', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    deployment({ kubernetesVersion: '1.30', pollInterval: Duration.seconds(2), waitToolImage: 'busybox:1.36-musl' }, chart);

    // THEN
    const { docs, pod } = synth(chart);
    expect(pod.initContainers!.map(c => c.name)).toEqual(['proxy']);
    expect(pod.volumes).toBeUndefined();
    expect(verdicts(pod)).toEqual({ proxy: nativeGated('proxy') });
    expectValidManifests(docs);
  });
});

describe('gate errors, at declaration', () => {
  test.each<[string, Partial<SidecarFirstDeploymentProps>, string]>([
    ['a garbage kubernetesVersion', { kubernetesVersion: 'latest' },
      'test/web: kubernetesVersion is "latest", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'],
    ['STARTUP_PROBE below 1.28', { kubernetesVersion: '1.27', startupGate: StartupGate.STARTUP_PROBE },
      'test/web: startupGate is STARTUP_PROBE, but Kubernetes 1.27 has no native sidecars (they need 1.29, or 1.28 with the SidecarContainers feature gate). Use StartupGate.POST_START, or leave startupGate unset to choose from the version'],
    ['a pollInterval under 10 ms', { startupGate: StartupGate.POST_START, pollInterval: Duration.millis(5) },
      'test/web: pollInterval is 5 ms, outside 10 ms-60 s. Use a poll interval from Duration.millis(10) to Duration.seconds(60); the default, 250 ms, suits most sidecars'],
    ['a user postStart hook under POST_START', { startupGate: StartupGate.POST_START, sidecars: [{ ...NGINX, lifecycle: { postStart: kplus.Handler.fromCommand(['true']) } }] },
      'test/web: sidecar "proxy": lifecycle.postStart must not be set under StartupGate.POST_START: the library\'s wait hook is the postStart hook. Remove lifecycle.postStart (preStop is fine), or fold its work into the sidecar\'s entrypoint'],
    ['a gRPC check under POST_START without grpc_health_probe', { kubernetesVersion: '1.28', sidecars: [{ ...NGINX, readinessCheck: ReadinessCheck.grpc({ port: 9090 }) }] },
      'test/web: sidecar "proxy": readinessCheck is a gRPC check, which StartupGate.POST_START can only run with grpc_health_probe inside the sidecar image. Add grpc_health_probe to the image and give its path: ReadinessCheck.grpc({ grpcHealthProbe: \'/bin/grpc_health_probe\' }); or check a TCP port or a command instead; or use StartupGate.STARTUP_PROBE on Kubernetes 1.29+'],
    ['a header value with a line break', { sidecars: [{ ...NGINX, readinessCheck: ReadinessCheck.httpGet('/', { headers: { 'X-A': 'a\r\nX-Injected: 1' } }) }] },
      'test/web: sidecar "proxy": readinessCheck header X-A has the value "a\\r\\nX-Injected: 1", which contains a control character. HTTP header values are one line of visible characters, spaces and tabs (RFC 9110); remove the control characters'],
    ['a sidecar name that is not a DNS label', { sidecars: [{ ...NGINX, name: 'Proxy_1' }] },
      'test/web: sidecars[0]: name is "Proxy_1", which is not a valid container name. Use at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit (an RFC 1123 label), e.g. \'proxy\''],
  ])('%s', (_case, props, message) => {
    expect(() => deployment(props)).toThrow(new Error(message));
  });

  test('a garbage version in the context names the context key', () => {
    // GIVEN
    const app = Testing.app();
    app.node.setContext('sidecar-first:kubernetesVersion', 'one.twenty-nine');

    // WHEN / THEN
    expect(() => deployment({}, new Chart(app, 'test'))).toThrow(new Error(
      'test/web: context "sidecar-first:kubernetesVersion" is "one.twenty-nine", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'));
  });

  test('the wait-tools init container\'s name is reserved', () => {
    expect(() => deployment({
      startupGate: StartupGate.POST_START, waitToolImage: 'busybox:1.36-musl', initContainers: [{ name: 'sidecar-first-wait-tools', image: 'x' }],
    }).chart.toJson()).toThrow(
      'test/web: container name "sidecar-first-wait-tools" is used twice (waitToolImage\'s init container and initContainers[0]). Container names must be unique within a pod (containers, init containers and sidecars); rename one');
  });
});
