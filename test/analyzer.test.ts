/**
 * The analyzer, rule by rule (SEMANTICS.md R1-R7, V1-V5), on hand-written manifests.
 */
import { SidecarAnalyzer, SidecarReport } from '../src';

/* eslint-disable @typescript-eslint/no-explicit-any */

const app = { name: 'app', image: 'app' };
const pod = (spec: any, annotations?: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec });
const report = (spec: any, options = {}) => SidecarAnalyzer.analyzePodSpec(spec, options);
const verdict = (name: string, fields: Partial<SidecarReport>): SidecarReport => ({
  name, placement: 'native', gate: 'none', startsBeforeApp: 'in-parallel', appWaitsForReady: false, ifCheckNeverPasses: 'no-check', findings: [], ...fields,
});

describe('native sidecars (init containers with restartPolicy: Always)', () => {
  test('R3: a startupProbe holds the app until it passes; if it never does, the app never starts', () => {
    expect(report({
      initContainers: [{ name: 'proxy', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 15021 }, periodSeconds: 1 }, readinessProbe: { tcpSocket: { port: 15021 } } }],
      containers: [app],
    })).toEqual([verdict('proxy', { gate: 'startupProbe', startsBeforeApp: 'yes', appWaitsForReady: true, ifCheckNeverPasses: 'app-never-starts' })]);
  });

  test('R2, R6: with only a readinessProbe the app starts almost in parallel', () => {
    expect(report({ initContainers: [{ name: 'proxy', restartPolicy: 'Always', readinessProbe: { httpGet: { path: '/', port: 80 } } }], containers: [app] }))
      .toEqual([verdict('proxy', { ifCheckNeverPasses: 'app-runs-sidecar-not-ready', findings: ['readinessProbe does not delay the app'] })]);
  });

  test('R6, R7: with only a livenessProbe the sidecar is restarted, the app runs on', () => {
    expect(report({ initContainers: [{ name: 'proxy', restartPolicy: 'Always', livenessProbe: { tcpSocket: { port: 80 } } }], containers: [app] }))
      .toEqual([verdict('proxy', { ifCheckNeverPasses: 'app-runs-sidecar-restarted', findings: ['livenessProbe does not delay the app'] })]);
  });

  test('no check at all', () => {
    expect(report({ initContainers: [{ name: 'log-shipper', restartPolicy: 'Always' }], containers: [app] })).toEqual([verdict('log-shipper', {})]);
  });

  test('startupProbe findings: a slow period, an initial delay, a different port than the readinessProbe', () => {
    expect(report({
      initContainers: [{
        name: 'proxy',
        restartPolicy: 'Always',
        startupProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 30, initialDelaySeconds: 5 },
        readinessProbe: { httpGet: { path: '/', port: 9090 } },
      }],
      containers: [app],
    })[0].findings).toEqual([
      'startupProbe periodSeconds 30 adds up to 30 s to every start',
      'startupProbe initialDelaySeconds 5 delays every start by at least that long',
      'startupProbe checks a different port (8080) than the readinessProbe (9090)',
    ]);
  });

  test('an unset startupProbe period is the 10 s default', () => {
    expect(report({ initContainers: [{ name: 'p', restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } }], containers: [app] })[0].findings)
      .toEqual(['startupProbe periodSeconds 10 adds up to 10 s to every start']);
  });

  test('R4: a waiting postStart hook holds the app; a failed one restarts the sidecar, the app never starts', () => {
    expect(report({
      initContainers: [{ name: 'agent', restartPolicy: 'Always', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'until wget -q -O- localhost:8200/health; do sleep 1; done'] } } } }],
      containers: [app],
    })).toEqual([verdict('agent', { gate: 'postStart', startsBeforeApp: 'yes', appWaitsForReady: true, ifCheckNeverPasses: 'app-never-starts' })]);
  });

  test('R5: an httpGet postStart hook is one request, not a poll', () => {
    expect(report({ initContainers: [{ name: 'a', restartPolicy: 'Always', lifecycle: { postStart: { httpGet: { path: '/', port: 80 } } } }], containers: [app] })[0].findings)
      .toEqual(['postStart httpGet is a single request, not a poll: it fails if the sidecar is not ready at that instant']);
  });

  test('a version before 1.29 has no native sidecars', () => {
    expect(report({ initContainers: [{ name: 'p', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 1 }, periodSeconds: 1 } }], containers: [app] }, { kubernetesVersion: '1.28' })[0].findings)
      .toEqual(['restartPolicy on an init container needs Kubernetes 1.29+ (1.28 has native sidecars off by default and drops the field)']);
  });

  test('R1: an ordinary init container named as a sidecar never lets the app start while it runs', () => {
    expect(report({ initContainers: [{ name: 'helper' }], containers: [app] }, { sidecars: ['helper'] })).toEqual([verdict('helper', {
      startsBeforeApp: 'yes',
      ifCheckNeverPasses: 'app-never-starts',
      findings: ['an init container without restartPolicy: Always must exit before the app starts; a long-running helper keeps the pod in Init forever'],
    })]);
  });
});

describe('legacy sidecars (in spec.containers)', () => {
  test('an Istio-style injected pod: proxy first, with a postStart that waits', () => {
    // GIVEN what istio-injection produces with holdApplicationUntilProxyStarts
    const spec = {
      containers: [
        { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', lifecycle: { postStart: { exec: { command: ['pilot-agent', 'wait'] } } }, readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 } } },
        app,
      ],
    };

    // THEN
    expect(report(spec)).toEqual([verdict('istio-proxy', {
      placement: 'legacy', gate: 'postStart', startsBeforeApp: 'yes', appWaitsForReady: true, ifCheckNeverPasses: 'app-starts-anyway',
    })]);
  });

  test('a hook that polls slowly, a sleep, a tcpSocket hook', () => {
    const sidecar = (name: string, postStart: any) => ({ name, lifecycle: { postStart } });
    expect(report({
      containers: [
        sidecar('slow', { exec: { command: ['sh', '-c', 'until nc -z localhost 80; do sleep 5; done'] } }),
        sidecar('sleepy', { sleep: { seconds: 5 } }),
        sidecar('tcp', { tcpSocket: { port: 80 } }),
        app,
      ],
    }).map(r => [r.name, r.gate, r.appWaitsForReady, r.ifCheckNeverPasses, r.findings])).toEqual([
      ['slow', 'postStart', true, 'app-starts-anyway', ['postStart polls every 5 s']],
      ['sleepy', 'postStart', false, 'app-starts-anyway', ['postStart sleeps 5 s: a fixed delay, not a wait for the sidecar to be ready']],
      ['tcp', 'postStart', false, 'app-starts-anyway', ['postStart hook uses tcpSocket, which always fails at run time']],
    ]);
  });

  test('R4: a hook holds only the containers after it', () => {
    expect(report({ containers: [app, { name: 'proxy', lifecycle: { postStart: { exec: { command: ['wait'] } } } }, { name: 'last' }] })).toEqual([verdict('proxy', {
      placement: 'legacy',
      gate: 'postStart',
      ifCheckNeverPasses: 'app-starts-anyway',
      findings: ['listed after app container "app", which starts before it: a sidecar in spec.containers must come first'],
    })]);
  });

  test('named by --sidecar or the pod annotation: a startupProbe in spec.containers holds nothing', () => {
    // GIVEN
    const spec = { containers: [{ name: 'proxy', startupProbe: { tcpSocket: { port: 80 } }, readinessProbe: { tcpSocket: { port: 80 } } }, app] };
    const expected = [verdict('proxy', {
      placement: 'legacy',
      ifCheckNeverPasses: 'app-runs-sidecar-not-ready',
      findings: ['startupProbe on a container in spec.containers does not delay the other containers', 'readinessProbe does not delay the app'],
    })];

    // THEN
    expect(report(spec)).toEqual([]);
    expect(report(spec, { sidecars: ['proxy'] })).toEqual(expected);
    expect(SidecarAnalyzer.analyzeManifests([pod(spec, { 'sidecar-first.dev/sidecars': 'proxy, unknown' })])[0].sidecars).toEqual(expected);
  });
});

describe('API rules (V1-V5), reported per workload', () => {
  test.each<[string, any, string[], string | undefined]>([
    ['V1 restartPolicy on a regular container', { containers: [{ ...app, restartPolicy: 'Always' }] },
      ['V1: containers "app" has restartPolicy, which only init containers may have'], undefined],
    ['V2 a restartPolicy other than Always on an init container', { initContainers: [{ name: 'i', restartPolicy: 'Never' }], containers: [app] },
      ['V2: initContainers "i" has restartPolicy Never; the only accepted value is Always'], undefined],
    ['V3 probes on an ordinary init container', { initContainers: [{ name: 'i', readinessProbe: { exec: { command: ['true'] } } }], containers: [app] },
      ['V3: initContainers "i" has readinessProbe, which is rejected on init containers without restartPolicy: Always'], undefined],
    ['V4 negative numbers and startup successThreshold', { containers: [{ ...app, startupProbe: { exec: { command: ['true'] }, periodSeconds: -1, successThreshold: 2 } }] },
      ['V4: "app" startupProbe.periodSeconds is -1; it must be a whole number >= 0', 'V4: "app" startupProbe.successThreshold must be 1'], undefined],
    ['V4 terminationGracePeriodSeconds on a readinessProbe', { containers: [{ ...app, readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 } }] },
      ['V4: "app" readinessProbe.terminationGracePeriodSeconds is forbidden'], undefined],
    ['V5 a sleep hook of 0 before 1.33', { containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 0 } } } }] },
      ['V5: "app" preStop.sleep.seconds is 0; it must be > 0'], '1.30'],
    ['V5 a sleep hook of 0 on 1.33', { containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 0 } } } }] }, [], '1.33'],
    ['V5 a sleep longer than the grace period', { terminationGracePeriodSeconds: 10, containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 20 } } } }] },
      ['V5: "app" preStop.sleep.seconds 20 exceeds terminationGracePeriodSeconds'], undefined],
    ['V5 a tcpSocket hook', { containers: [{ ...app, lifecycle: { preStop: { tcpSocket: { port: 80 } } } }] },
      ['V5: "app" preStop uses tcpSocket, which always fails at run time'], undefined],
  ])('%s', (_rule, spec, findings, kubernetesVersion) => {
    expect(SidecarAnalyzer.analyzeManifests([pod(spec)], { kubernetesVersion })[0].findings).toEqual(findings);
  });
});

describe('analyzeManifests', () => {
  test('kinds, List, skipped kinds, namespaces, the JSON shape', () => {
    // GIVEN
    const template = (spec: any) => ({ template: { spec } });
    const gated = { initContainers: [{ name: 'nginx', restartPolicy: 'Always', startupProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 } }], containers: [app] };
    const docs = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'myapp' }, spec: template(gated) },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'skipped' } },
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'jobs' }, spec: { jobTemplate: { spec: template(gated) } } },
          { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: template({ containers: [app] }) },
        ],
      },
    ];

    // WHEN
    const reports = SidecarAnalyzer.analyzeManifests(docs);

    // THEN
    const nginx = { name: 'nginx', placement: 'native', gate: 'startupProbe', startsBeforeApp: 'yes', appWaitsForReady: true, ifCheckNeverPasses: 'app-never-starts', findings: [] };
    expect(reports).toEqual([
      { document: 0, kind: 'Deployment', name: 'myapp', namespace: undefined, sidecars: [nginx], findings: [] },
      { document: 2, kind: 'CronJob', name: 'c', namespace: 'jobs', sidecars: [nginx], findings: [] },
      { document: 2, kind: 'ReplicationController', name: 'rc', namespace: undefined, sidecars: [], findings: [] },
    ]);
  });

  test('values of any type in probes and hooks are reported, not thrown on (found by the property test)', () => {
    // GIVEN an object with no string form where numbers belong
    const odd = { toString: undefined };
    const spec = {
      terminationGracePeriodSeconds: odd,
      initContainers: [{ name: 'a', restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] }, periodSeconds: odd, initialDelaySeconds: odd, terminationGracePeriodSeconds: odd } }],
      containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: odd } } } }],
    };

    // WHEN
    const [workload] = SidecarAnalyzer.analyzeManifests([pod(spec)]);

    // THEN
    expect(workload.sidecars.map(s => [s.name, s.gate, s.findings])).toEqual([['a', 'startupProbe', ['startupProbe periodSeconds 10 adds up to 10 s to every start']]]);
    expect(workload.findings).toEqual([
      'V5: "app" preStop.sleep.seconds is {}; it must be > 0',
      'V4: "a" startupProbe.initialDelaySeconds is {}; it must be a whole number >= 0',
      'V4: "a" startupProbe.periodSeconds is {}; it must be a whole number >= 0',
      'V4: "a" startupProbe.terminationGracePeriodSeconds must be > 0',
    ]);
  });

  test('a pod whose containers are not a list is reported invalid, not thrown', () => {
    expect(SidecarAnalyzer.analyzeManifests([pod({ containers: 'app' })])).toEqual([
      { document: 0, kind: 'Pod', name: 'p', namespace: undefined, sidecars: [], findings: [], invalid: 'containers is not a list' },
    ]);
    expect(() => SidecarAnalyzer.analyzePodSpec({ containers: [{ image: 'x' }] })).toThrow(new Error('cannot analyze this pod spec: containers[0] is not a container with a name'));
    expect(() => report({ containers: [app] }, { kubernetesVersion: 'next' })).toThrow(new Error(
      'kubernetesVersion is "next", which is not a Kubernetes version (e.g. 1.29, v1.28.3, 1.28.3-eks-abc)'));
  });
});
