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
      'Pod/p: V4: "proxy" startupProbe.successThreshold must be 1',
      'Pod/p: V2: initContainers "once" has restartPolicy OnFailure; the only accepted value is Always',
      'Pod/p: V3: initContainers "once" has readinessProbe, which is rejected on init containers without restartPolicy: Always',
    ]);
  });
});
