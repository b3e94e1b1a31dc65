/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as kplus34 from 'cdk8s-plus-34';
import { ReadinessCheck, SidecarFirst, SidecarFirstDeployment, SidecarFirstOptions, SidecarProps, StartupGate } from '../src';
import { newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';
import { decodeWaitHook } from '../src/private/compiler/hook-arguments';

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

describe('every field the library reads or writes is checked as the API server would, at declaration', () => {
  test.each<[string, { [field: string]: any }, string]>([
    ['a sidecar portNumber above 65535, with a check on its own port', { portNumber: 65536, readinessCheck: ReadinessCheck.tcpSocket() },
      'test/web: sidecar "proxy": portNumber is 65536, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['a sidecar port above 65535 in ports, with a check that names another port', { portNumber: undefined, ports: [{ number: 70000 }], readinessCheck: ReadinessCheck.tcpSocket({ port: 9901 }) },
      'test/web: sidecar "proxy": ports[0].number is 70000, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['a NaN portNumber, reported as NaN (not as null)', { portNumber: NaN },
      'test/web: sidecar "proxy": portNumber is NaN, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['a NaN check port', { readinessCheck: ReadinessCheck.tcpSocket({ port: NaN }) },
      'test/web: sidecar "proxy": readinessCheck port is NaN, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['a hostPort outside 1-65535', { ports: [{ number: 8443, hostPort: 0 }] },
      'test/web: sidecar "proxy": ports[0].hostPort is 0, outside 1-65535. Use a whole TCP port number from 1 to 65535'],
    ['ports that are not a list', { ports: 8443 },
      'test/web: sidecar "proxy": ports are 8443, which is not a list. Give an array of ports, e.g. ports: [{ number: 8443, name: \'https\' }]'],
    ['volumeMounts that are not a list', { volumeMounts: 5 },
      'test/web: sidecar "proxy": volumeMounts are 5, which is not a list. Give an array, e.g. volumeMounts: [{ path: \'/tmp\', volume: Volume.fromEmptyDir(scope, \'tmp\', \'tmp\') }]'],
    ['a volume mount of a volume by name in volumeMounts', { volumeMounts: [{ path: '/data', volume: 'data' }] },
      'test/web: sidecar "proxy": volumeMounts[0] is {"path":"/data","volume":"data"}, which is not a volume mount (a path and a cdk8s-plus-28 Volume). '
      + 'Give an object, e.g. volumeMounts: [{ path: \'/tmp\', volume: Volume.fromEmptyDir(scope, \'tmp\', \'tmp\') }]; to mount a volume of the workload by name, use appVolumeMounts'],
    ['a workingDir that is not a string, which the API server cannot decode', { workingDir: 7 },
      'test/web: sidecar "proxy": workingDir is 7, which is not a string. Give a directory as a string, e.g. workingDir: \'/app\''],
    ['an imagePullPolicy that is no policy', { imagePullPolicy: 'Sometimes' },
      'test/web: sidecar "proxy": imagePullPolicy is "Sometimes", which is not an image pull policy. Use ImagePullPolicy.ALWAYS, IF_NOT_PRESENT or NEVER from cdk8s-plus'],
    ['args that are not a list of strings', { args: '--port=80' },
      'test/web: sidecar "proxy": args is "--port=80", which is not a list of strings. Give an array of strings, e.g. args: [\'--port=8080\']'],
    ['envVariables that are a string, whose characters cdk8s-plus would make variables "0", "1", ...', { envVariables: 'A=b' },
      'test/web: sidecar "proxy": envVariables is "A=b", which is not a map from names to values. Give an object, e.g. envVariables: { LOG_LEVEL: EnvValue.fromValue(\'info\') }'],
    ['a jobExit that is not a string', { jobExit: 42 },
      'test/web: sidecar "proxy": jobExit is 42, which is not a string. Say in words how the sidecar exits once the app is done, e.g. jobExit: \'the app calls POST http://localhost:15020/quitquitquit\''],
    ['a startupTimeout of NaN seconds', { startupTimeout: Duration.seconds(NaN) },
      'test/web: sidecar "proxy": startupTimeout cannot be used: \'NaN seconds\' cannot be converted into a whole number of millis. Give a finite Duration of whole milliseconds, e.g. startupTimeout: Duration.minutes(2)'],
    ['a drainTime of Infinity', { drainTime: Duration.seconds(Infinity) },
      'test/web: sidecar "proxy": drainTime cannot be used: \'Infinity seconds\' cannot be converted into a whole number of millis. Give a finite Duration of whole milliseconds, e.g. drainTime: Duration.seconds(10)'],
    ['a startupTimeout given as NaN', { startupTimeout: NaN },
      'test/web: sidecar "proxy": startupTimeout is NaN, which is not a Duration. Give a cdk8s Duration, e.g. startupTimeout: Duration.minutes(2)'],
    ['appVolumeMounts that are not a list', { appVolumeMounts: { volume: 'data', path: '/data' } },
      'test/web: sidecar "proxy": appVolumeMounts are {"volume":"data","path":"/data"}, which is not a list. Give an array, e.g. appVolumeMounts: [{ volume: \'data\', path: \'/data\' }]'],
    ['an app volume mount without a volume name', { appVolumeMounts: [{ path: '/data' }] },
      'test/web: sidecar "proxy": appVolumeMounts[0].volume is undefined, which is not a volume name. Give the name of a volume of the pod (an RFC 1123 label, as in the pod\'s spec.volumes), e.g. volume: \'data\''],
    ['an app volume mount at a relative path', { appVolumeMounts: [{ volume: 'data', path: 'data' }] },
      'test/web: sidecar "proxy": appVolumeMounts[0].path is "data", which is not an absolute path. Give where to mount it in the sidecar, e.g. path: \'/data\''],
    ['an app volume mount whose subPath leaves the volume', { appVolumeMounts: [{ volume: 'data', path: '/data', subPath: '../etc' }] },
      'test/web: sidecar "proxy": appVolumeMounts[0].subPath is "../etc", which is not a relative path inside the volume. Give a relative path without \'..\', e.g. subPath: \'config\', or leave it out'],
    ['an app volume mount with readOnly as a string', { appVolumeMounts: [{ volume: 'data', path: '/data', readOnly: 'yes' }] },
      'test/web: sidecar "proxy": appVolumeMounts[0].readOnly is "yes", which is not a boolean. Use true or false, or leave it out'],
  ])('%s', (_case, sidecar, message) => {
    expect(declare(sidecar)).toThrow(new Error(message));
  });

  test.each<[string, { [field: string]: any }, string]>([
    ['an empty waitToolImage, which would mount a volume that is not there', { startupGate: StartupGate.POST_START, waitToolImage: '' },
      'test/web: waitToolImage is "", which is not an image name. Give an image with a static busybox at /bin/busybox, e.g. waitToolImage: \'busybox:1.36-musl\', or leave it out'],
    ['a waitToolImage that is not a string', { startupGate: StartupGate.POST_START, waitToolImage: 5 },
      'test/web: waitToolImage is 5, which is not an image name. Give an image with a static busybox at /bin/busybox, e.g. waitToolImage: \'busybox:1.36-musl\', or leave it out'],
    ['an unknown startupGate string, which would give half-legacy output', { startupGate: 'POSTSTART' },
      'test/web: startupGate is "POSTSTART", which is not a StartupGate. Use StartupGate.STARTUP_PROBE or StartupGate.POST_START (the strings "STARTUP_PROBE" or "POST_START"), or leave it out to choose from kubernetesVersion'],
    ['a pollInterval of NaN milliseconds', { pollInterval: Duration.millis(NaN) },
      'test/web: pollInterval cannot be used: NaN must be a whole number of millis. Give a finite Duration of whole milliseconds, e.g. pollInterval: Duration.millis(250)'],
    ['sidecars that are not a list', { sidecars: NGINX },
      `test/web: sidecars is ${JSON.stringify(NGINX)}, which is not a list. Give an array, e.g. sidecars: [{ name: '...', image: '...', ... }], or leave it out`],
    ['a null sidecar', { sidecars: [null] },
      'test/web: sidecars[0] is null, which is not a sidecar. Give an object, e.g. { name: \'proxy\', image: \'envoyproxy/envoy:v1.31\', readinessCheck: ReadinessCheck.tcpSocket({ port: 9901 }) }'],
    ['an undefined sidecar after a good one', { sidecars: [NGINX, undefined] },
      'test/web: sidecars[1] is undefined, which is not a sidecar. Give an object, e.g. { name: \'proxy\', image: \'envoyproxy/envoy:v1.31\', readinessCheck: ReadinessCheck.tcpSocket({ port: 9901 }) }'],
    ['a null dependent init container', { dependentInitContainers: [null] },
      'test/web: dependentInitContainers[0] is null, which is not an init container. Give an object, e.g. { name: \'migrate\', image: \'migrations:3\', needs: [\'cloud-sql-proxy\'] }'],
  ])('%s', (_case, options, message) => {
    expect(() => new SidecarFirstDeployment(newChart(), 'web', { containers: [APP], ...options } as SidecarFirstOptions)).toThrow(new Error(message));
  });

  test('props null, a wrong type cdk8s-plus trips over, addSidecar(null), attach(undefined), patch of a non-ApiObject', () => {
    const chart = newChart();
    expect(() => new SidecarFirstDeployment(chart, 'a', null as any)).toThrow(new Error(
      'test/a: props is null, which is not an object of props. Give an object, e.g. { containers: [...], sidecars: [...] }'));
    expect(() => new SidecarFirstDeployment(chart, 'b', { containers: 5 as any })).toThrow(new Error(
      'test/b: props was rejected by cdk8s-plus (TypeError: props.containers.forEach is not a function). Check the type of every field against cdk8s-plus\'s documentation of these props'));
    expect(() => new SidecarFirstDeployment(chart, 'c', { containers: [APP] }).addSidecar(null as any)).toThrow(new Error(
      'test/c: sidecars[0] is null, which is not a sidecar. Give an object, e.g. { name: \'proxy\', image: \'envoyproxy/envoy:v1.31\', readinessCheck: ReadinessCheck.tcpSocket({ port: 9901 }) }'));
    expect(() => SidecarFirst.attach(undefined as any)).toThrow(new Error(
      'SidecarFirst.attach: workload is undefined, which is not a construct. Pass the workload construct (a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod of any cdk8s-plus version), or its ApiObject'));
    expect(() => SidecarFirst.attach(new kplus.Deployment(chart, 'd', { containers: [APP] }), null as any)).toThrow(new Error(
      'test/d: options is null, which is not sidecar-first options. Give an object, e.g. { sidecars: [...] }'));
    expect(() => SidecarFirst.patch({ kind: 'Deployment' } as any)).toThrow(new Error(
      'SidecarFirst.patch: apiObject is {"kind":"Deployment"}, which is not a cdk8s ApiObject. Pass an ApiObject with a pod template (e.g. one of Include.apiObjects), or use SidecarFirst.attach() for a construct'));
  });

  test('an app container port above 65535 (which cdk8s-plus would also probe) fails synthesis, naming the container', () => {
    // GIVEN
    const chart = newChart();
    new SidecarFirstDeployment(chart, 'web', { containers: [{ ...APP, portNumber: 65536 }], sidecars: [NGINX] });

    // WHEN / THEN
    expect(() => synth(chart)).toThrow(new Error('test/web: containers[0] "app": ports[0].number is 65536, outside 1-65535. Use a whole TCP port number from 1 to 65535'));
  });

  test('an app volume a sidecar mounts by name must be a volume of the pod when the app is synthesized', () => {
    // GIVEN a cdk8s-plus-34 workload with one volume, and a sidecar that mounts another by name
    const chart = newChart();
    const web = new kplus34.Deployment(chart, 'web', {
      containers: [{ ...APP, volumeMounts: [{ path: '/cache', volume: kplus34.Volume.fromEmptyDir(chart, 'cache', 'cache') }] }],
    });
    SidecarFirst.attach(web, { sidecars: [{ ...NGINX, appVolumeMounts: [{ volume: 'data', path: '/data' }] }] });

    // WHEN / THEN
    expect(() => synth(chart)).toThrow(new Error('test/web: sidecar "proxy": appVolumeMounts volume "data" is not a volume of the pod (it has "cache"). '
      + 'Name a volume the workload declares (its Volume\'s name, as in spec.volumes), or add the volume to the workload before synthesis'));
  });

  test('an app volume mounted by name at a path the sidecar already mounts is an error', () => {
    // GIVEN
    const chart = newChart();
    const web = new kplus34.Deployment(chart, 'web', {
      containers: [{ ...APP, volumeMounts: [{ path: '/cache', volume: kplus34.Volume.fromEmptyDir(chart, 'cache', 'cache') }] }],
    });
    const tmp = kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp');
    SidecarFirst.attach(web, { sidecars: [{ ...NGINX, volumeMounts: [{ path: '/cache', volume: tmp }], appVolumeMounts: [{ volume: 'cache', path: '/cache' }] }] });

    // WHEN / THEN
    expect(() => synth(chart)).toThrow(new Error('test/web: sidecar "proxy": appVolumeMounts path "/cache" is already a mount path of this sidecar. '
      + 'Mount each volume at its own path: the API server rejects two mounts at one path'));
  });

  test('an app volume mounted by name, read-only with a subPath, is in the output and the pod keeps one volume of that name', () => {
    // GIVEN
    const chart = newChart();
    const web = new kplus34.Deployment(chart, 'web', {
      containers: [{ ...APP, volumeMounts: [{ path: '/cache', volume: kplus34.Volume.fromEmptyDir(chart, 'cache', 'cache') }] }],
    });

    // WHEN
    SidecarFirst.attach(web, { sidecars: [{ ...NGINX, appVolumeMounts: [{ volume: 'cache', path: '/var/cache/nginx', readOnly: true, subPath: 'nginx' }] }] });

    // THEN
    const { docs, pod } = synth(chart);
    expect(pod.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
    expect((pod.initContainers![0] as any).volumeMounts).toEqual([{ name: 'cache', mountPath: '/var/cache/nginx', readOnly: true, subPath: 'nginx' }]);
    expectValidManifests(docs);
  });
});

describe('app container names the API server would reject are errors, in the sidecars\' words', () => {
  const LONG = 'a'.repeat(300);
  const fix = (example: string) => `Use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (an RFC 1123 label), e.g. '${example}'`;
  const BAD_NAMES: Array<[string, string, string]> = [
    ['upper case and "_"', 'My_App', `name is "My_App", which is not a valid container name. ${fix('my-app')}`],
    ['300 characters', LONG, `name is "${LONG}", which is not a valid container name. ${fix('a'.repeat(63))}`],
    ['a letter outside ASCII', 'äpp', `name is "äpp", which is not a valid container name. ${fix('app')}`],
  ];

  test.each(BAD_NAMES)('an app container named with %s fails when a sidecar is declared', (_case, name, message) => {
    // GIVEN / WHEN the workload is built with a sidecar / THEN
    expect(() => new SidecarFirstDeployment(newChart(), 'web', { containers: [{ ...APP, name }], sidecars: [NGINX] }))
      .toThrow(new Error(`test/web: containers[0]: ${message}`));
  });

  test.each(BAD_NAMES)('an app container named with %s, added after the sidecars, fails synthesis', (_case, name, message) => {
    // GIVEN a valid workload, then an app container added later
    const chart = newChart();
    const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [NGINX] });
    web.addContainer({ ...APP, name, portNumber: undefined });

    // WHEN / THEN
    expect(() => synth(chart)).toThrow(new Error(`test/web: containers[1]: ${message}`));
  });

  test.each(BAD_NAMES)('a workload without sidecars whose init container is named with %s fails synthesis', (_case, name, message) => {
    // GIVEN
    const chart = newChart();
    new SidecarFirstDeployment(chart, 'web', { containers: [APP], initContainers: [{ name, image: 'migrations:3' }] });

    // WHEN / THEN
    expect(() => synth(chart)).toThrow(new Error(`test/web: initContainers[0]: ${message}`));
  });

  test('an attached workload of another cdk8s-plus major is checked the same way', () => {
    // GIVEN
    const chart = newChart();
    const web = new kplus34.Deployment(chart, 'web', { containers: [{ ...APP, name: 'My_App' }] });

    // WHEN / THEN
    expect(() => SidecarFirst.attach(web, { sidecars: [NGINX] })).toThrow(new Error(
      `test/web: containers[0]: name is "My_App", which is not a valid container name. ${fix('my-app')}`));
  });

  test('a container without a name in a patched manifest is an error too', () => {
    // GIVEN someone else's Deployment whose only container has no name
    const chart = newChart();
    const shop = new ApiObject(chart, 'shop', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'shop' },
      spec: { selector: { matchLabels: { app: 'shop' } }, template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ image: 'my/app:1' }] } } },
    });

    // WHEN / THEN
    expect(() => SidecarFirst.patch(shop, { sidecars: [NGINX] })).toThrow(new Error(
      `test/shop: containers[0]: name is undefined, which is not a valid container name. ${fix('app')}`));
  });

  test('app container names of 63 characters and with digits and "-" pass, and the API types accept them', () => {
    // GIVEN
    const chart = newChart();
    const long = `a${'-9'.repeat(30)}z1`;

    // WHEN
    new SidecarFirstDeployment(chart, 'web', { containers: [{ ...APP, name: long }, { name: '0-app', image: 'my/app:1' }], sidecars: [NGINX] });
    const { docs, pod } = synth(chart);

    // THEN
    expect(long).toHaveLength(63);
    expect(pod.containers.map(c => c.name)).toEqual([long, '0-app']);
    expectValidManifests(docs);
  });
});

describe('httpGet with an empty host: the kubelet-faithful meaning, the pod IP', () => {
  test('the startupProbe keeps host "" (the kubelet probes the pod IP), and the POST_START hook checks 127.0.0.1, never http://:PORT/', () => {
    // GIVEN
    const check = ReadinessCheck.httpGet('/', { host: '' });

    // WHEN
    const native = newChart();
    new SidecarFirstDeployment(native, 'web', { containers: [APP], sidecars: [{ ...NGINX, readinessCheck: check }] });
    const legacy = newChart();
    new SidecarFirstDeployment(legacy, 'web', { containers: [APP], startupGate: StartupGate.POST_START, sidecars: [{ ...NGINX, readinessCheck: check }] });

    // THEN
    expect(synth(native).pod.initContainers![0].startupProbe!.httpGet).toEqual({ host: '', path: '/', port: 80, scheme: 'HTTP' });
    const hook = decodeWaitHook(synth(legacy).pod.containers[0].lifecycle!.postStart!.exec!.command as string[]);
    expect(hook?.check).toEqual({ kind: 'httpGet', url: 'http://127.0.0.1:80/', headers: [] });
  });
});
