/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The real kube-apiservers (test/support/api-servers.ts) are the judges of API
 * validation: what the library's kubelet rules (V1-V5) and its declaration
 * checks say the server rejects must be what the servers reject, no more, no
 * less. Each row names what the server does on each version; the row is kept
 * as a test of both the model and the server.
 */
import { Duration } from 'cdk8s';
import { ReadinessCheck, Severity, SidecarFirstDeployment, SidecarProps } from '../src';
import { ApiServer, runningApiServers } from './support/api-servers';
import { newChart, synth } from './support/manifests';
import { dryRunProblems } from './support/server-dry-run';
import { apiFindings, ManifestPodSpec } from '../src/private/rules/kubelet-rules';
import { parseKubernetesVersion } from '../src/private/rules/kubernetes-version';

const servers = runningApiServers();
// Without servers (outside CI, not built) global-setup.ts printed why; under CI it failed the run.
const withServers = servers.length > 0 ? describe : describe.skip;

const pod = (spec: object): any => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'app', image: 'app' }], ...spec },
});

/** What the server does with one manifest: accepted, or its rejection (every problem, in one string). */
function verdict(doc: any, on: ApiServer): string {
  const problems = dryRunProblems([doc], on)[0];
  return problems.length === 0 ? 'accepted' : problems.join('\n');
}

/** What the model says: rejected when it finds an error the API server raises (tcpSocket hooks pass validation and fail at run time). */
function modelVerdict(spec: ManifestPodSpec, on: ApiServer): 'accepted' | 'rejected' {
  const errors = apiFindings(spec, parseKubernetesVersion(on.version)).filter(f => f.severity === Severity.ERROR && !f.message.includes('always fails at run time'));
  return errors.length > 0 ? 'rejected' : 'accepted';
}

const SIDECAR = { name: 'proxy', image: 'nginx', restartPolicy: 'Always' };
const probe = (fields: object) => ({ tcpSocket: { port: 80 }, ...fields });
const sidecarWith = (fields: object) => ({ initContainers: [{ ...SIDECAR, ...fields }] });
const appWith = (fields: object) => ({ containers: [{ name: 'app', image: 'app', ...fields }] });
const sleep = (seconds: number) => ({ lifecycle: { preStop: { sleep: { seconds } } } });

type Verdicts = { [minor: string]: 'accepted' | 'rejected' };
const REJECTED: Verdicts = { '1.30': 'rejected', '1.37': 'rejected' };
const ACCEPTED: Verdicts = { '1.30': 'accepted', '1.37': 'accepted' };

/** docs/kubelet-semantics.md V1-V5, each case with what the servers do. */
const RULES: Array<[string, object, Verdicts, RegExp | null]> = [
  ['V1 restartPolicy on a regular container', appWith({ restartPolicy: 'Always' }), { '1.30': 'rejected', '1.37': 'accepted' },
    /spec.containers\[0\].restartPolicy: Forbidden: may not be set for non-init containers/],
  ['V2 restartPolicy OnFailure on an init container', { initContainers: [{ ...SIDECAR, restartPolicy: 'OnFailure' }] }, { '1.30': 'rejected', '1.37': 'accepted' },
    /spec.initContainers\[0\].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"/],
  ['V2 restartPolicy Never on an init container', { initContainers: [{ ...SIDECAR, restartPolicy: 'Never' }] }, { '1.30': 'rejected', '1.37': 'accepted' }, null],
  ['V3 a readinessProbe on an ordinary init container', { initContainers: [{ name: 'once', image: 'x', readinessProbe: probe({}) }] }, REJECTED,
    /spec.initContainers\[0\].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always/],
  ['V3 a startupProbe on an ordinary init container', { initContainers: [{ name: 'once', image: 'x', startupProbe: probe({}) }] }, REJECTED, null],
  ['V3 a livenessProbe on an ordinary init container', { initContainers: [{ name: 'once', image: 'x', livenessProbe: probe({}) }] }, REJECTED, null],
  ['V3 lifecycle on an ordinary init container', { initContainers: [{ name: 'once', image: 'x', lifecycle: { postStart: { exec: { command: ['true'] } } } }] }, REJECTED,
    /spec.initContainers\[0\].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always/],
  ['V3 every probe and both hooks on a native sidecar', sidecarWith({
    startupProbe: probe({}),
    readinessProbe: probe({}),
    livenessProbe: probe({}),
    lifecycle: { postStart: { exec: { command: ['true'] } }, preStop: { exec: { command: ['true'] } } },
  }), ACCEPTED, null],
  ['V4 a negative periodSeconds', sidecarWith({ startupProbe: probe({ periodSeconds: -1 }) }), REJECTED,
    /spec.initContainers\[0\].startupProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0/],
  ['V4 every probe number 0', sidecarWith({
    startupProbe: probe({ initialDelaySeconds: 0, periodSeconds: 0, timeoutSeconds: 0, successThreshold: 0, failureThreshold: 0 }),
  }), ACCEPTED, null],
  ['V4 startupProbe successThreshold 2', sidecarWith({ startupProbe: probe({ successThreshold: 2 }) }), REJECTED,
    /spec.initContainers\[0\].startupProbe.successThreshold: Invalid value: 2: must be 1/],
  ['V4 livenessProbe successThreshold 2', sidecarWith({ livenessProbe: probe({ successThreshold: 2 }) }), REJECTED, null],
  ['V4 livenessProbe successThreshold 0 (defaulted to 1)', sidecarWith({ livenessProbe: probe({ successThreshold: 0 }) }), ACCEPTED, null],
  ['V4 readinessProbe successThreshold 2', sidecarWith({ readinessProbe: probe({ successThreshold: 2 }) }), ACCEPTED, null],
  ['V4 terminationGracePeriodSeconds on a readinessProbe', sidecarWith({ readinessProbe: probe({ terminationGracePeriodSeconds: 5 }) }), REJECTED, null],
  ['V4 terminationGracePeriodSeconds 0 on a livenessProbe', sidecarWith({ livenessProbe: probe({ terminationGracePeriodSeconds: 0 }) }), REJECTED, null],
  ['V4 terminationGracePeriodSeconds 5 on a startupProbe', sidecarWith({ startupProbe: probe({ terminationGracePeriodSeconds: 5 }) }), ACCEPTED, null],
  ['V4 a probe without an action', sidecarWith({ startupProbe: { periodSeconds: 1 } }), REJECTED, null],
  ['V4 a probe with two actions', sidecarWith({ startupProbe: probe({ exec: { command: ['true'] } }) }), REJECTED, null],
  ['V4 the largest failureThreshold', sidecarWith({ startupProbe: probe({ failureThreshold: 2 ** 31 - 1 }) }), ACCEPTED, null],
  ['V5 sleep 0', sidecarWith(sleep(0)), { '1.30': 'rejected', '1.37': 'accepted' }, null],
  ['V5 sleep -1', sidecarWith(sleep(-1)), REJECTED, null],
  ['V5 sleep as long as terminationGracePeriodSeconds', sidecarWith(sleep(30)), ACCEPTED, null],
  ['V5 sleep longer than terminationGracePeriodSeconds', sidecarWith(sleep(31)), REJECTED, null],
  ['V5 a tcpSocket hook (it fails at run time)', sidecarWith({ lifecycle: { postStart: { tcpSocket: { port: 80 } } } }), ACCEPTED, null],
];

withServers('a server-side dry run fails what the server rejects and what it drops', () => {
  test('an unknown field, an int32 overflow, a field behind a feature gate that is off; not a valid pod', () => {
    // GIVEN
    const docs = [
      pod(appWith({ bogus: true })),
      pod(sidecarWith({ startupProbe: probe({ failureThreshold: 2 ** 31 }) })),
      // ContainerStopSignals: alpha (off) in 1.33 and still off in 1.37.2; 1.30 does not know the field.
      pod({ os: { name: 'linux' }, ...appWith({ lifecycle: { stopSignal: 'SIGUSR1' } }) }),
      pod(sidecarWith({ startupProbe: probe({ periodSeconds: 1 }) })),
    ];

    // WHEN
    const problems = servers.map(on => [on.minor, dryRunProblems(docs, on)]);

    // THEN
    const rejected = (on: string, why: string) => [expect.stringMatching(new RegExp(`^Pod/p: rejected by kube-apiserver ${on}\\.\\d+: BadRequest: .*${why}`))];
    const dropped = (on: string) => [`Pod/p: /spec/containers/0/lifecycle is dropped by kube-apiserver ${servers.find(s => s.minor === on)!.version}`];
    const expected: { [minor: string]: any[] } = {
      '1.37': [rejected('1.37', 'strict decoding error: unknown field "spec.containers\\[0\\].bogus"'),
        rejected('1.37', 'cannot unmarshal number 2147483648 into Go struct field .*failureThreshold of type int32'), dropped('1.37'), []],
      '1.30': [rejected('1.30', 'strict decoding error: unknown field "spec.containers\\[0\\].bogus"'),
        rejected('1.30', 'cannot unmarshal number 2147483648 into Go struct field .*failureThreshold of type int32'),
        rejected('1.30', 'strict decoding error: unknown field "spec.containers\\[0\\].lifecycle.stopSignal"'), []],
    };
    expect(problems).toEqual(servers.map(on => [on.minor, expected[on.minor]]));
  });
});

withServers('the kubelet rules V1-V5 reject exactly what the API server rejects', () => {
  test.each(RULES)('%s', (_case, spec, expected, message) => {
    // GIVEN
    const doc = pod(spec);

    // WHEN
    const verdicts = servers.map(on => [on.minor, verdict(doc, on), modelVerdict(doc.spec, on)]);

    // THEN: the server does what the row says, and the model agrees.
    expect(verdicts.map(([minor, server]) => [minor, server.startsWith('Pod/p: rejected') ? 'rejected' : server])).toEqual(
      servers.map(on => [on.minor, expected[on.minor]]));
    expect(verdicts.map(([minor, , model]) => [minor, model])).toEqual(servers.map(on => [on.minor, expected[on.minor]]));
    if (message) {
      const rejections = verdicts.filter(([minor]) => expected[minor] === 'rejected').map(([, server]) => server);
      rejections.forEach(rejection => expect(rejection).toMatch(message));
    }
  });
});

const NGINX: SidecarProps = { name: 'proxy', image: 'nginx:1.27', portNumber: 80, readinessCheck: ReadinessCheck.httpGet('/healthz', { port: 80 }) };

/** The sidecar's container in the Deployment the library synthesizes for `sidecar`. */
function synthesized(sidecar: Partial<SidecarProps>): { doc: any; container: (doc: any) => any } {
  const chart = newChart();
  new SidecarFirstDeployment(chart, 'web', { containers: [{ name: 'app', image: 'my/app:1' }], sidecars: [{ ...NGINX, ...sidecar }] });
  const doc = synth(chart).docs.find(d => d.kind === 'Deployment');
  return { doc, container: (d: any) => d.spec.template.spec.initContainers[0] };
}

withServers('the declaration checks refuse exactly the values the API server rejects', () => {
  // The last value the library accepts, and the first it refuses, put into the manifest as it would have emitted it.
  test.each<[string, Partial<SidecarProps>, (container: any) => void, RegExp]>([
    ['a container name of 63 characters, not 64', { name: 'a'.repeat(63) }, c => c.name = 'a'.repeat(64),
      /spec.template.spec.initContainers\[0\].name: Invalid value: "a{64}": must be no more than 63 characters/],
    ['a container name of lower-case letters, not upper-case', { name: 'proxy-1' }, c => c.name = 'Proxy-1',
      /spec.template.spec.initContainers\[0\].name: Invalid value: "Proxy-1": a lowercase RFC 1123 label must consist of/],
    ['a port of 65535, not 65536', { portNumber: 65535, readinessCheck: ReadinessCheck.httpGet('/healthz', { port: 65535 }) },
      c => c.startupProbe.httpGet.port = 65536, /startupProbe.httpGet.port: Invalid value: 65536: must be between 1 and 65535, inclusive/],
    ['a port of 1, not 0', { portNumber: 1, readinessCheck: ReadinessCheck.tcpSocket({ port: 1 }) },
      c => c.startupProbe.tcpSocket.port = 0, /startupProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive/],
    ['a header name of letters, digits and "-", not "_"', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: { 'X-Token-09az-AZ': 'v' } }) },
      c => c.startupProbe.httpGet.httpHeaders[0].name = 'X_Token', /httpHeaders.*: Invalid value: "X_Token": a valid HTTP header must consist of alphanumeric characters or '-'/],
    ['a header name of letters, digits and "-", not "."', { readinessCheck: ReadinessCheck.httpGet('/healthz', { headers: { 'X-Token': 'v' } }) },
      c => c.startupProbe.httpGet.httpHeaders[0].name = 'X.Token', /httpHeaders.*: Invalid value: "X.Token"/],
    ['a startupTimeout of 2^31-1 s, not 2^31 (failureThreshold is an int32)', { startupTimeout: Duration.seconds(2 ** 31 - 1) },
      c => c.startupProbe.failureThreshold = 2 ** 31, /failureThreshold.*2147483648|cannot unmarshal number 2147483648/],
  ])('%s', (_case, sidecar, refused, message) => {
    // GIVEN
    const { doc, container } = synthesized(sidecar);
    const beyond = JSON.parse(JSON.stringify(doc));
    refused(container(beyond));

    // WHEN
    const verdicts = servers.map(on => [verdict(doc, on), verdict(beyond, on)]);

    // THEN
    for (const [accepted, rejected] of verdicts) {
      expect(accepted).toEqual('accepted');
      expect(rejected).toMatch(message);
    }
  });
});

withServers('app container names: the check refuses exactly the names the API server rejects', () => {
  test.each<[string, string, RegExp]>([
    ['upper case and "_"', 'My_App', /spec.template.spec.containers\[0\].name: Invalid value: "My_App": a lowercase RFC 1123 label must consist of/],
    ['300 characters', 'a'.repeat(300), /spec.template.spec.containers\[0\].name: Invalid value: "a{300}"/],
    ['a letter outside ASCII', 'äpp', /spec.template.spec.containers\[0\].name: Invalid value: "äpp": a lowercase RFC 1123 label must consist of/],
  ])('%s', (_case, name, message) => {
    // GIVEN the Deployment the library emits for an app container of the longest name it accepts, and the same with `name`
    const chart = newChart();
    new SidecarFirstDeployment(chart, 'web', { containers: [{ name: 'a'.repeat(63), image: 'my/app:1' }], sidecars: [NGINX] });
    const doc = synth(chart).docs.find(d => d.kind === 'Deployment');
    const beyond = JSON.parse(JSON.stringify(doc));
    beyond.spec.template.spec.containers[0].name = name;

    // WHEN
    const verdicts = servers.map(on => [verdict(doc, on), verdict(beyond, on)]);

    // THEN every server accepts the first and rejects the second, which the library refuses at declaration
    for (const [accepted, rejected] of verdicts) {
      expect(accepted).toEqual('accepted');
      expect(rejected).toMatch(message);
    }
    expect(() => new SidecarFirstDeployment(newChart(), 'web', { containers: [{ name, image: 'my/app:1' }], sidecars: [NGINX] }))
      .toThrow(`test/web: containers[0]: name is ${JSON.stringify(name)}, which is not a valid container name.`);
  });
});
