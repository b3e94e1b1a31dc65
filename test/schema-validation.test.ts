import { kubectlFor, kubectlProblems } from './support/kubectl-oracle';
import { schemaProblems } from './support/schema';

/** The validator every manifest goes through must itself be able to fail. */
describe('schema validation of test manifests', () => {
  const pod = (spec: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });

  test('accepts a valid native sidecar for 1.29 and 1.33', () => {
    // GIVEN
    const doc = pod({
      initContainers: [{ name: 'proxy', image: 'nginx', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } }],
      containers: [{ name: 'app', image: 'app' }],
    });

    // THEN
    expect([...schemaProblems([doc], '1.29'), ...schemaProblems([doc], '1.33')]).toEqual([]);
  });

  test('rejects fields a version does not know, wrong types, missing required fields and V1-V4', () => {
    // GIVEN
    const doc = pod({
      initContainers: [
        { name: 'proxy', image: 'nginx', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } },
        { name: 'once', image: 'x', restartPolicy: 'OnFailure', readinessProbe: { exec: { command: ['true'] } } },
      ],
      containers: [{ image: 'app', ports: [{ containerPort: '80' }], restartPolicy: 'Always', startupProbe: { grpc: { port: 1 }, periodSeconds: -1 }, bogus: true }],
    });

    // WHEN
    const problems = schemaProblems([doc], '1.27');

    // THEN
    expect(problems).toEqual([
      'Pod/p: /spec/containers/0 must have required property name {"missingProperty":"name"}',
      'Pod/p: /spec/containers/0/ports/0/containerPort must be integer {"type":"integer"}',
      'Pod/p: /spec/initContainers/0/restartPolicy is not a field in Kubernetes 1.27',
      'Pod/p: /spec/initContainers/1/restartPolicy is not a field in Kubernetes 1.27',
      'Pod/p: /spec/containers/0/restartPolicy is not a field in Kubernetes 1.27',
      'Pod/p: /spec/containers/0/bogus is not a field in Kubernetes 1.27',
      'Pod/p: V1: containers "undefined" has restartPolicy, which only init containers may have',
      'Pod/p: V4: "undefined" startupProbe.periodSeconds is -1; it must be a whole number >= 0',
      'Pod/p: V4: "proxy" startupProbe.successThreshold must be 1 (or 0, which means 1)',
      'Pod/p: V2: initContainers "once" has restartPolicy OnFailure; the only accepted value is Always',
      'Pod/p: V3: initContainers "once" has readinessProbe, which is rejected on init containers without restartPolicy: Always',
    ]);
  });
});

/** The real API types (kubectl.1.XX, no server) must be able to fail too. */
describe('decoding with each version\'s kubectl', () => {
  const withKubectl = ['1.27', '1.28', '1.29'].every(v => kubectlFor(v)) ? test : test.skip;
  const deployment = (spec: object) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } },
  });
  const sidecar = {
    name: 'proxy',
    image: 'nginx',
    restartPolicy: 'Always',
    startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 1, failureThreshold: 120 },
    lifecycle: { preStop: { sleep: { seconds: 5 } } },
    resources: { limits: { cpu: '1000m', memory: '512Mi' } },
  };

  withKubectl('finds the fields a version drops, and values its types cannot hold, but not canonical quantities', () => {
    // GIVEN
    const valid = deployment({ initContainers: [sidecar], containers: [{ name: 'app', image: 'app' }] });
    const unknown = deployment({ initContainers: [{ ...sidecar, bogus: true }], containers: [{ name: 'app', image: 'app' }] });
    const overflowing = { ...sidecar, startupProbe: { ...sidecar.startupProbe, failureThreshold: 2 ** 31 } };
    const overflow = deployment({ initContainers: [overflowing], containers: [] });

    // WHEN
    const problems = [
      kubectlProblems([valid], '1.27'),
      kubectlProblems([valid], '1.28'),
      kubectlProblems([valid, unknown], '1.29'),
      kubectlProblems([overflow], '1.29'),
    ];

    // THEN
    expect(problems).toEqual([
      [
        'Deployment/web: /spec/template/spec/initContainers/0/restartPolicy is dropped in Kubernetes 1.27\'s API types',
        'Deployment/web: /spec/template/spec/initContainers/0/lifecycle/preStop/sleep is dropped in Kubernetes 1.27\'s API types',
      ],
      ['Deployment/web: /spec/template/spec/initContainers/0/lifecycle/preStop/sleep is dropped in Kubernetes 1.28\'s API types'],
      ['Deployment/web: /spec/template/spec/initContainers/0/bogus is dropped in Kubernetes 1.29\'s API types'],
      ['kubectl 1.29: error: unable to decode "STDIN": json: cannot unmarshal number 2147483648 into Go struct field '
        + 'Probe.spec.template.spec.initContainers.startupProbe.failureThreshold of type int32'],
    ]);
  });
});
