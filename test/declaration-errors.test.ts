/* eslint-disable @typescript-eslint/no-explicit-any */
import { Duration } from 'cdk8s';
import { ReadinessCheck, SidecarFirstDeployment, SidecarFirstOptions, SidecarProps, StartupGate } from '../src';
import { newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';

const APP = { name: 'app', image: 'my/app:1', portNumber: 8080 };
const NGINX: SidecarProps = {
  name: 'proxy',
  image: 'nginx:1.27',
  portNumber: 80,
  readinessCheck: ReadinessCheck.httpGet('/healthz', { port: 80 }),
};

/** Declares one sidecar (overriding NGINX's fields), as a JavaScript caller might: no type checking. */
const declare = (sidecar: { [field: string]: any }, options: { [field: string]: any } = {}) => () =>
  new SidecarFirstDeployment(newChart(), 'web', { containers: [APP], ...options, sidecars: [{ ...NGINX, ...sidecar } as SidecarProps] });

describe('the API server accepts everything the library emits: values it would reject are errors at declaration', () => {
  test.each<[string, { [field: string]: any }, string]>([
    ['a startupTimeout whose failureThreshold overflows int32', { startupTimeout: Duration.seconds(2 ** 31) },
      'test/web: sidecar "proxy": startupTimeout is 2147483648 s, more than the startupProbe\'s failureThreshold can count. Use at most Duration.seconds(2147483647) (failureThreshold is a 32-bit integer and the probe period 1 s)'],
    ['a header name with "_", which IsHTTPHeaderName rejects', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: { X_Token: 'v' } }) },
      'test/web: sidecar "proxy": readinessCheck header name "X_Token" is not a header name Kubernetes accepts. Use ASCII letters, digits and \'-\' only (the API server\'s IsHTTPHeaderName), e.g. X-Health-Token'],
    ['a header name with an RFC 9110 token character, which IsHTTPHeaderName rejects', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: { 'X.Token': 'v' } }) },
      'test/web: sidecar "proxy": readinessCheck header name "X.Token" is not a header name Kubernetes accepts. Use ASCII letters, digits and \'-\' only (the API server\'s IsHTTPHeaderName), e.g. X-Health-Token'],
    ['a header value with a control character', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: { 'X-Token': 'a\x01b' } }) },
      'test/web: sidecar "proxy": readinessCheck header X-Token has the value "a\\u0001b", which contains a control character. HTTP header values are one line of visible characters, spaces and tabs (RFC 9110); remove the control characters'],
  ])('%s', (_case, sidecar, message) => {
    expect(declare(sidecar)).toThrow(new Error(message));
  });

  test('the largest startupTimeout, a header value with a tab and every header-name character pass, and the API types decode them', () => {
    // GIVEN
    const chart = newChart();
    const headers = { 'X-Token-09az-AZ': 'a\tb' };

    // WHEN
    new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      sidecars: [{ ...NGINX, startupTimeout: Duration.seconds(2 ** 31 - 1), readinessCheck: ReadinessCheck.httpGet('/healthz', { headers }) }],
    });
    const { docs, pod } = synth(chart);

    // THEN
    expect(pod.initContainers![0].startupProbe).toEqual(expect.objectContaining({
      failureThreshold: 2147483647,
      httpGet: expect.objectContaining({ httpHeaders: [{ name: 'X-Token-09az-AZ', value: 'a\tb' }] }),
    }));
    expectValidManifests(docs);
  });
});

describe('JavaScript callers (no type checking) get a declaration error, not a TypeError or an invalid manifest', () => {
  test.each<[string, { [field: string]: any }, string]>([
    ['a plain object instead of a ReadinessCheck', { readinessCheck: { httpGet: { path: '/healthz', port: 80 } } },
      'test/web: sidecar "proxy": readinessCheck is {"httpGet":{"path":"/healthz","port":80}}, which is not a ReadinessCheck. Build it with ReadinessCheck.httpGet(), tcpSocket(), command() or grpc(), e.g. ReadinessCheck.httpGet(\'/healthz\', { port: 8080 })'],
    ['a number instead of a Duration for startupTimeout', { startupTimeout: 120 },
      'test/web: sidecar "proxy": startupTimeout is 120, which is not a Duration. Give a cdk8s Duration, e.g. startupTimeout: Duration.seconds(120) or Duration.millis(120)'],
    ['a number instead of a Duration for drainTime', { drainTime: 10 },
      'test/web: sidecar "proxy": drainTime is 10, which is not a Duration. Give a cdk8s Duration, e.g. drainTime: Duration.seconds(10) or Duration.millis(10)'],
    ['a string instead of a Duration', { drainTime: '10s' },
      'test/web: sidecar "proxy": drainTime is "10s", which is not a Duration. Give a cdk8s Duration, e.g. drainTime: Duration.seconds(10)'],
    ['an HttpScheme that does not exist', { readinessCheck: ReadinessCheck.httpGet('/healthz', { scheme: 'https' as any }) },
      'test/web: sidecar "proxy": readinessCheck scheme is "https", which is not an HttpScheme. Use HttpScheme.HTTP or HttpScheme.HTTPS (the strings "HTTP" or "HTTPS")'],
    ['a port number instead of the options object', { readinessCheck: ReadinessCheck.httpGet('/healthz', 8080 as any) },
      'test/web: sidecar "proxy": readinessCheck options are 8080, which is not an object. Pass the options as an object, e.g. ReadinessCheck.httpGet(\'/healthz\', { port: 8080 })'],
    ['null options', { readinessCheck: ReadinessCheck.tcpSocket(null as any) },
      'test/web: sidecar "proxy": readinessCheck options are null, which is not an object. Pass the options as an object, e.g. ReadinessCheck.tcpSocket({ port: 8080 })'],
    ['a port as a string', { readinessCheck: ReadinessCheck.httpGet('/healthz', { port: '8080' as any }) },
      'test/web: sidecar "proxy": readinessCheck port is "8080", which is not a number. Use a whole TCP port number from 1 to 65535'],
    ['a host that is not a string', { readinessCheck: ReadinessCheck.httpGet('/healthz', { host: 5 as any }) },
      'test/web: sidecar "proxy": readinessCheck host is 5, which is not a string. Give host as a string, or leave it out'],
    ['a gRPC service that is not a string', { readinessCheck: ReadinessCheck.grpc({ port: 9090, service: 1 as any }) },
      'test/web: sidecar "proxy": readinessCheck service is 1, which is not a string. Give service as a string, or leave it out'],
    ['headers as an array', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: ['X-Token'] as any }) },
      'test/web: sidecar "proxy": readinessCheck headers are ["X-Token"], which is not an object of names and values. Give the headers as an object, e.g. headers: { \'X-Health-Token\': \'abc\' }'],
    ['a header value that is not a string', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: { 'X-Token': 5 as any } }) },
      'test/web: sidecar "proxy": readinessCheck header X-Token has the value 5, which is not a string. Give the value as a string, e.g. \'5\''],
    ['a command as one string, which would be spread into characters', { readinessCheck: ReadinessCheck.command('pg_isready' as any) },
      'test/web: sidecar "proxy": readinessCheck is ReadinessCheck.command("pg_isready"), whose argument is not a list of strings. Give the program and its arguments as an array, e.g. ReadinessCheck.command([\'pg_isready\'])'],
    ['a command with a non-string argument', { readinessCheck: ReadinessCheck.command(['sleep', 1] as any) },
      'test/web: sidecar "proxy": readinessCheck is ReadinessCheck.command(["sleep",1]), whose argument is not a list of strings. Give the program and its arguments as an array, e.g. ReadinessCheck.command([\'pg_isready\', \'-h\', \'127.0.0.1\'])'],
    ['dependsOn as one string', { dependsOn: 'vault' },
      'test/web: sidecar "proxy": dependsOn is "vault", which is not a list of container names. Give an array of names, e.g. dependsOn: [\'vault\']'],
    ['an image that is not a string', { image: 5 },
      'test/web: sidecar "proxy": image is 5, which is not an image name. Give the container image as a string, e.g. image: \'envoyproxy/envoy:v1.31\''],
    ['no image', { image: undefined },
      'test/web: sidecar "proxy": image is undefined, which is not an image name. Give the container image as a string, e.g. image: \'envoyproxy/envoy:v1.31\''],
    ['a name that is not a string', { name: 5 },
      'test/web: sidecars[0]: name is 5, which is not a valid container name. Use at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit (an RFC 1123 label), e.g. \'proxy\''],
  ])('%s', (_case, sidecar, message) => {
    expect(declare(sidecar)).toThrow(new Error(message));
  });

  test.each<[string, { [field: string]: any }, string]>([
    ['a number instead of a Duration for pollInterval', { pollInterval: 250 },
      'test/web: pollInterval is 250, which is not a Duration. Give a cdk8s Duration, e.g. pollInterval: Duration.seconds(250) or Duration.millis(250)'],
    ['needs as one string', { dependentInitContainers: [{ name: 'migrate', image: 'migrations:3', needs: 'proxy' }] },
      'test/web: init container "migrate": needs is "proxy", which is not a list of container names. Give an array of names, e.g. needs: [\'proxy\']'],
    ['a dependent init container whose image is not a string', { dependentInitContainers: [{ name: 'migrate', image: ['migrations:3'], needs: ['proxy'] }] },
      'test/web: init container "migrate": image is ["migrations:3"], which is not an image name. Give the container image as a string, e.g. image: \'migrations:3\''],
  ])('%s', (_case, options, message) => {
    expect(declare({}, { startupGate: StartupGate.STARTUP_PROBE, ...options } as SidecarFirstOptions)).toThrow(new Error(message));
  });
});
