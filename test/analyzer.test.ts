/**
 * The analyzer, rule by rule (docs/kubelet-semantics.md R1-R7, V1-V5, S3), on hand-written manifests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ContainerRole, Finding, Gate, IfCheckNeverPasses, Placement, Severity, SidecarAnalyzer, SidecarReport, StartsBeforeApp } from '../src';
import { FINDINGS, FindingId } from '../src/private/rules/findings';

/* eslint-disable @typescript-eslint/no-explicit-any */

const app = { name: 'app', image: 'app' };
const pod = (spec: any, annotations?: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec });
const report = (spec: any, options = {}) => SidecarAnalyzer.analyzePodSpec(spec, options);
/** Judged on a version where nothing depends on it, unless a test says otherwise. */
const on = (version: string) => ({ kubernetesVersion: version });
const NOW = on('1.35');
const F = (id: FindingId, message: string): Finding => ({ id, severity: FINDINGS[id].severity, rule: FINDINGS[id].rule, message });
const verdict = (name: string, fields: Partial<SidecarReport>): SidecarReport => ({
  name,
  placement: Placement.NATIVE,
  gate: Gate.NONE,
  startsBeforeApp: StartsBeforeApp.IN_PARALLEL,
  appWaitsForReady: false,
  ifCheckNeverPasses: IfCheckNeverPasses.NO_CHECK,
  findings: [],
  ...fields,
});
/** SF116, for any hook that polls for ever. */
const NO_DEADLINE = F('SF116', 'postStart polls with no deadline of its own, and the kubelet sets a hook none: if the sidecar never becomes ready, the hook never returns and the app never starts (give up after a while: timeout N, a counter, linkerd-await --timeout)');
const GATED = {
  gate: Gate.STARTUP_PROBE, startsBeforeApp: StartsBeforeApp.YES, appWaitsForReady: true, ifCheckNeverPasses: IfCheckNeverPasses.APP_NEVER_STARTS,
};
const native = (name: string, fields: any = {}) => ({ name, restartPolicy: 'Always', ...fields });
const HTTP_READY = { httpGet: { path: '/healthz/ready', port: 15021 } };

describe('native sidecars (init containers with restartPolicy: Always)', () => {
  test('R3: a startupProbe that checks what readiness checks holds the app until it passes; if it never does, the app never starts', () => {
    expect(report({ initContainers: [native('proxy', { startupProbe: { ...HTTP_READY, periodSeconds: 1 }, readinessProbe: HTTP_READY })], containers: [app] }, NOW))
      .toEqual([verdict('proxy', GATED)]);
  });

  test('R2, R6: with only a readinessProbe the app starts almost in parallel', () => {
    expect(report({ initContainers: [native('proxy', { readinessProbe: HTTP_READY })], containers: [app] }, NOW)).toEqual([verdict('proxy', {
      ifCheckNeverPasses: IfCheckNeverPasses.APP_RUNS_SIDECAR_NOT_READY, findings: [F('SF102', 'readinessProbe does not delay the app')],
    })]);
  });

  test('R6, R7: with only a livenessProbe the sidecar is restarted, the app runs on', () => {
    expect(report({ initContainers: [native('proxy', { livenessProbe: { tcpSocket: { port: 80 } } })], containers: [app] }, NOW)).toEqual([verdict('proxy', {
      ifCheckNeverPasses: IfCheckNeverPasses.APP_RUNS_SIDECAR_RESTARTED, findings: [F('SF103', 'livenessProbe does not delay the app')],
    })]);
  });

  test('R2: no check at all', () => {
    expect(report({ initContainers: [native('log-shipper')], containers: [app] }, NOW)).toEqual([verdict('log-shipper', {
      findings: [F('SF104', 'nothing holds the app back: no startupProbe and no postStart hook that waits')],
    })]);
  });

  test('startupProbe costs: a slow period (10 s when unset), an initial delay', () => {
    expect(report({ initContainers: [native('proxy', { startupProbe: { ...HTTP_READY, periodSeconds: 30, initialDelaySeconds: 5 } })], containers: [app] }, NOW)[0].findings).toEqual([
      F('SF113', 'startupProbe periodSeconds 30 adds up to 30 s to every start'),
      F('SF114', 'startupProbe initialDelaySeconds 5 delays every start by at least that long'),
    ]);
    expect(report({ initContainers: [native('p', { startupProbe: { exec: { command: ['true'] } } })], containers: [app] }, NOW)[0].findings)
      .toEqual([F('SF113', 'startupProbe periodSeconds 10 adds up to 10 s to every start')]);
  });

  describe('a startupProbe that checks less than readiness: the app waits for the startup check, not for ready', () => {
    test.each<[string, any, any, Finding]>([
      ['TCP where readiness is HTTP (cdk8s-plus adds it for portNumber)', { tcpSocket: { port: 15090 } }, HTTP_READY,
        F('SF111', 'startupProbe only checks that port 15090 is open, the readinessProbe is httpGet on port 15021: the app waits for the startup check, not for ready')],
      ['TCP where readiness is gRPC', { tcpSocket: { port: 9000 } }, { grpc: { port: 9000 } },
        F('SF111', 'startupProbe only checks that port 9000 is open, the readinessProbe is grpc on port 9000: the app waits for the startup check, not for ready')],
      ['TCP where readiness is a command', { tcpSocket: { port: 9000 } }, { exec: { command: ['ready'] } },
        F('SF111', 'startupProbe only checks that port 9000 is open, the readinessProbe is exec: the app waits for the startup check, not for ready')],
      ['another port', { httpGet: { path: '/ready', port: 8080 } }, { httpGet: { path: '/ready', port: 9090 } },
        F('SF111', 'startupProbe checks port 8080, the readinessProbe port 9090: the app waits for the startup check, not for ready')],
      ['another port behind a probe proxy (Kuma virtual probes)', { httpGet: { path: '/8081/metrics', port: 9000 } }, { httpGet: { path: '/3001/metrics', port: 9000 } },
        F('SF111', 'startupProbe checks port 9000/8081, the readinessProbe port 9000/3001: the app waits for the startup check, not for ready')],
    ])('%s', (_case, startupProbe, readinessProbe, expected) => {
      expect(report({ initContainers: [native('proxy', { startupProbe: { ...startupProbe, periodSeconds: 1 }, readinessProbe })], containers: [app] }, NOW))
        .toEqual([verdict('proxy', { ...GATED, appWaitsForReady: false, findings: [expected] })]);
    });

    test.each<[string, any, any, Finding[]]>([
      ['another path on the same port: a warning, not a verdict change', { httpGet: { path: '/startup', port: 9801 } }, { httpGet: { path: '/readiness', port: 9801 } },
        [F('SF112', 'startupProbe checks path /startup, the readinessProbe /readiness on the same port: the app waits for the startup check, which may pass before the sidecar is ready')]],
      ['another command', { exec: { command: ['started'] } }, { exec: { command: ['ready'] } },
        [F('SF112', 'startupProbe runs another command than the readinessProbe: the app waits for the startup check, which may pass before the sidecar is ready')]],
      ['a named port that resolves to the same number', { httpGet: { path: '/ready', port: 'admin' } }, { httpGet: { path: '/ready', port: 15021 } }, []],
    ])('%s', (_case, startupProbe, readinessProbe, findings) => {
      const container = native('proxy', { ports: [{ name: 'admin', containerPort: 15021 }], startupProbe: { ...startupProbe, periodSeconds: 1 }, readinessProbe });
      expect(report({ initContainers: [container], containers: [app] }, NOW)).toEqual([verdict('proxy', { ...GATED, findings })]);
    });
  });

  describe('R4, R5: a postStart hook is a wait only if it polls', () => {
    const hooked = (postStart: any) => report({ initContainers: [native('agent', { lifecycle: { postStart } })], containers: [app] }, NOW)[0];

    test.each<[string, string[]]>([
      ['a for loop that sleeps', ['sh', '-c', 'for i in $(seq 60); do curl -sf localhost:8080/ready && exit 0; sleep 1; done; exit 1']],
      ['a shell loop under timeout', ['timeout', '60', 'sh', '-c', 'until wget -q -O- localhost:8200/health; do sleep 1; done']],
      ['a shell loop under timeout, with options', ['sh', '-c', 'timeout -s KILL 60 sh -c "until wget -q -O- localhost:8200/health; do sleep 1; done"']],
      ['a shell loop that counts', ['sh', '-c', 'n=0; until wget -q -O- localhost:8200/health; do n=$((n+1)); [ $n -ge 60 ] && exit 1; sleep 1; done']],
      ['Istio\'s pilot-agent wait (60 s by default)', ['pilot-agent', 'wait']],
      ['Linkerd\'s linkerd-await --timeout', ['/usr/lib/linkerd/linkerd-await', '--timeout=2m', '--port=4191']],
      ['the library\'s own hook', ['/bin/sh', '-c', 'script', 'sidecar-first-wait', 'agent', 'httpGet', '60', '1', 'http://127.0.0.1:8200/']],
    ])('%s waits, and gives up on its own', (_case, command) => {
      expect(hooked({ exec: { command } })).toEqual(verdict('agent', { ...GATED, gate: Gate.POST_START }));
    });

    test.each<[string, any, Finding]>([
      ['an httpGet hook is one request', { httpGet: { path: '/', port: 80 } },
        F('SF106', 'postStart httpGet is a single request, not a poll: it is not a wait; any HTTP answer passes it, 503 included, and it fails only if nothing answers at that instant')],
      ['a command that runs once', { exec: { command: ['sh', '-c', 'echo started > /tmp/started'] } },
        F('SF109', 'postStart runs "sh -c echo started > /tmp/started" once: it does not poll (no loop, no known waiter such as pilot-agent wait or linkerd-await), so it is not a wait')],
      ['a sleep', { sleep: { seconds: 5 } }, F('SF108', 'postStart sleeps 5 s: a fixed delay, not a wait for the sidecar to be ready')],
      ['a tcpSocket hook', { tcpSocket: { port: 80 } }, F('SF107', 'postStart hook uses tcpSocket, which always fails at run time')],
    ])('%s: not a wait', (_case, postStart, expected) => {
      expect(hooked(postStart)).toEqual(verdict('agent', {
        gate: Gate.POST_START, ifCheckNeverPasses: IfCheckNeverPasses.APP_NEVER_STARTS, findings: [expected],
      }));
    });
  });

  test('R1: an ordinary init container named as a sidecar never lets the app start while it runs', () => {
    expect(report({ initContainers: [{ name: 'helper' }], containers: [app] }, { sidecars: ['helper'] })).toEqual([verdict('helper', {
      placement: Placement.INIT,
      startsBeforeApp: StartsBeforeApp.YES,
      ifCheckNeverPasses: IfCheckNeverPasses.APP_NEVER_STARTS,
      findings: [F('SF101', 'an init container without restartPolicy: Always must exit before the app starts; a long-running helper keeps the pod in Init forever')],
    })]);
  });
});

describe('versions', () => {
  const spec = { initContainers: [native('proxy', { startupProbe: { ...HTTP_READY, periodSeconds: 1 } })], containers: [app] };

  test.each(['1.27', '1.28', 'v1.28.3-eks-abc'])('%s: native sidecars do not run, the app does not wait (an error)', (version) => {
    const shownVersion = version.replace(/^v?(\d+\.\d+).*$/, '$1');
    expect(report(spec, on(version))).toEqual([verdict('proxy', {
      startsBeforeApp: StartsBeforeApp.YES,
      ifCheckNeverPasses: IfCheckNeverPasses.APP_NEVER_STARTS,
      findings: [F('SF201', `native sidecars need Kubernetes 1.29+: on ${shownVersion} the API server drops restartPolicy, so this init container must exit before the app starts (the pod is rejected if it has probes or hooks, else it stays in Init)`)],
    })]);
  });

  test('1.29: native sidecars wait', () => {
    expect(report(spec, on('1.29'))).toEqual([verdict('proxy', GATED)]);
  });

  test('no version: judged for the newest, saying what differs on older versions', () => {
    expect(report(spec)).toEqual([verdict('proxy', {
      ...GATED,
      findings: [F('SF200', 'verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)')],
    })]);
    expect(F('SF200', '').severity).toBe(Severity.INFO);
  });
});

describe('Jobs', () => {
  const job = (restartPolicy: string, initContainers: any[], containers: any[] = [app]) => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy, initContainers, containers } } },
  });
  const gated = (name: string) => native(name, { startupProbe: { ...HTTP_READY, periodSeconds: 1 }, readinessProbe: HTTP_READY });

  // R5: the kubelet sets a hook no deadline; such a hook never fails, so the sidecar is never restarted either.
  test.each<[string, string[]]>([
    ['a shell loop', ['sh', '-c', 'until wget -q -O- localhost:8200/health; do sleep 1; done']],
    ['a while loop that breaks when ready', ['sh', '-c', 'while true; do wget -q -O- localhost:8200/health && break; sleep 1; done']],
    ['a loop whose only timeout is curl\'s, per attempt', ['sh', '-c', 'until curl --connect-timeout 2 -sf localhost:8200/health; do sleep 1; done']],
    ['Linkerd\'s linkerd-await before its charts added --timeout', ['/usr/lib/linkerd/linkerd-await']],
  ])('%s waits with no deadline of its own: in an OnFailure Job too, the app never starts', (_case, command) => {
    const [workload] = SidecarAnalyzer.analyzeManifests([job('OnFailure', [native('agent', { lifecycle: { postStart: { exec: { command } } } })])], NOW);
    expect(workload.sidecars).toEqual([verdict('agent', { ...GATED, gate: Gate.POST_START, findings: [NO_DEADLINE] })]);
  });

  test('R3a: with restartPolicy OnFailure, a check that never passes fails the Job', () => {
    const [workload] = SidecarAnalyzer.analyzeManifests([job('OnFailure', [gated('proxy')])], NOW);
    expect(workload.sidecars).toEqual([verdict('proxy', {
      ...GATED,
      ifCheckNeverPasses: IfCheckNeverPasses.JOB_FAILS,
      findings: [F('SF203', 'in a Job with restartPolicy OnFailure its restarts count toward backoffLimit: if its check never passes, the Job fails')],
    })]);
  });

  const r3b = 'if it exits before its startupProbe passes, in a pod with restartPolicy Never and a probe on "mesh", the kubelet stops probing it and the app never starts, even after it recovers (kubernetes#132826)';
  test.each<[string | undefined, Finding[]]>([
    ['1.32', [F('SF204', `${r3b}, on 1.32 (never fixed there)`)]],
    ['1.33', [F('SF204', `${r3b}, on 1.33 before 1.33.6`)]],
    ['1.34.1', [F('SF204', `${r3b}, on 1.34 before 1.34.2`)]],
    ['1.33.6', []],
    ['1.34.2', []],
    ['1.35.0', []],
    [undefined, [F('SF200', 'verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)'),
      F('SF200', `${r3b}: on kubelets before 1.33.6, 1.34.2 and 1.35.0`)]],
  ])('R3b: restartPolicy Never, a probe on an earlier sidecar, on %s', (kubernetesVersion, findings) => {
    const [workload] = SidecarAnalyzer.analyzeManifests([job('Never', [gated('mesh'), gated('db-proxy')])], { kubernetesVersion });
    expect(workload.sidecars[1]).toEqual(verdict('db-proxy', { ...GATED, findings }));
  });

  test('R3b: restartPolicy Never, a probe on a regular container, even for the first sidecar', () => {
    // GIVEN a Job whose app has a livenessProbe and whose only sidecar is gated
    const probedApp = { ...app, livenessProbe: HTTP_READY };

    // WHEN
    const [workload] = SidecarAnalyzer.analyzeManifests([job('Never', [gated('db-proxy')], [probedApp])], { kubernetesVersion: '1.32' });

    // THEN the kubelet's AddPod stops at the app's probe worker (kubernetes#132826)
    expect(workload.sidecars[0].findings).toEqual([F('SF204', 'if it exits before its startupProbe passes, in a pod with restartPolicy Never and a probe on "app", '
      + 'the kubelet stops probing it and the app never starts, even after it recovers (kubernetes#132826), on 1.32 (never fixed there)')]);
  });

  test('S3: a sidecar in spec.containers keeps the Job running until it exits', () => {
    const proxy = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', lifecycle: { postStart: { exec: { command: ['pilot-agent', 'wait'] } } } };
    const [workload] = SidecarAnalyzer.analyzeManifests([job('Never', [], [proxy, app])], NOW);
    expect(workload.sidecars).toEqual([verdict('istio-proxy', {
      ...GATED,
      placement: Placement.LEGACY,
      gate: Gate.POST_START,
      ifCheckNeverPasses: IfCheckNeverPasses.APP_STARTS_ANYWAY,
      findings: [F('SF205', 'in spec.containers of a pod with restartPolicy Never: the pod (and its Job) runs until this sidecar exits, so it must exit when the app is done')],
    })]);
  });
});

test('S3: a sidecar whose exit the library recorded (jobExit) is not reported as keeping the Job running', () => {
  // GIVEN a Job whose pod records how istio-proxy exits, as the library writes it
  const proxy = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', lifecycle: { postStart: { exec: { command: ['pilot-agent', 'wait'] } } } };
  const annotations = { 'sidecar-first.dev/job-exit': JSON.stringify({ 'istio-proxy': 'the app calls POST http://localhost:15020/quitquitquit' }) };
  const doc = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec: { template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [proxy, app] } } },
  };

  // WHEN
  const [workload] = SidecarAnalyzer.analyzeManifests([doc], NOW);

  // THEN
  expect(workload.sidecars.map(s => [s.name, s.appWaitsForReady, s.findings])).toEqual([['istio-proxy', true, []]]);
});

describe('legacy sidecars (in spec.containers)', () => {
  const LEGACY_GATED = { ...GATED, placement: Placement.LEGACY, gate: Gate.POST_START, ifCheckNeverPasses: IfCheckNeverPasses.APP_STARTS_ANYWAY };
  const istioProxy = (fields: any = {}) => ({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', readinessProbe: HTTP_READY, ...fields });

  test('Istio with holdApplicationUntilProxyStarts: proxy first, with a postStart that waits', () => {
    const spec = { containers: [istioProxy({ lifecycle: { postStart: { exec: { command: ['pilot-agent', 'wait'] } } } }), app] };
    expect(report(spec)).toEqual([verdict('istio-proxy', LEGACY_GATED)]);
  });

  test('a known helper after the app is found without --sidecar: the app does not wait for it', () => {
    // GIVEN Istio without hold: the app first, the proxy last; the app's own hook rewritten by Istio
    const spec = {
      initContainers: [{ name: 'istio-init', image: 'docker.io/istio/proxyv2:1.22.0' }],
      containers: [{ ...app, lifecycle: { postStart: { httpGet: { path: '/app-lifecycle/app/poststartz', port: 15020 } } } }, istioProxy()],
    };

    // THEN
    expect(report(spec)).toEqual([verdict('istio-proxy', {
      placement: Placement.LEGACY,
      ifCheckNeverPasses: IfCheckNeverPasses.APP_RUNS_SIDECAR_NOT_READY,
      findings: [
        F('SF105', 'listed after app container "app", which starts before it: a sidecar in spec.containers must come first'),
        F('SF102', 'readinessProbe does not delay the app'),
      ],
    })]);
  });

  test.each<[string, any]>([
    ['Linkerd', { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge-24.1.1' }],
    ['Kuma', { name: 'kuma-sidecar', image: 'docker.io/kumahq/kuma-dp:2.9.0' }],
    ['Consul', { name: 'consul-dataplane', image: 'hashicorp/consul-dataplane:1.5' }],
    ['App Mesh, by image', { name: 'envoy', image: '840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-envoy:v1.27.0.0-prod' }],
    ['the Cloud SQL Auth Proxy, by image', { name: 'db', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0' }],
    ['Vault Agent', { name: 'vault-agent', image: 'hashicorp/vault:1.15' }],
    ['Dapr', { name: 'daprd', image: 'daprio/daprd:1.13' }],
    ['the OpenTelemetry Operator\'s collector', { name: 'otc-container', image: 'otel/opentelemetry-collector-contrib:0.110.0' }],
    ['a helper named as a sidecar', { name: 'config-sidecar', image: 'alpine' }],
  ])('%s is recognised after the app', (_project, helper) => {
    expect(report({ containers: [app, helper] }).map(s => [s.name, s.placement, s.appWaitsForReady]))
      .toEqual([[helper.name, Placement.LEGACY, false]]);
  });

  test.each<[string, any]>([
    ['ordinary init containers of the same projects', { initContainers: [{ name: 'istio-init', image: 'istio/proxyv2' }, { name: 'linkerd-init', image: 'cr.l5d.io/linkerd/proxy-init' }, { name: 'vault-agent-init', image: 'hashicorp/vault' }], containers: [app] }],
    ['a standalone proxy (no app beside it)', { containers: [{ name: 'cloud-sql-proxy', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2' }] }],
    ['a Vault server (the image alone says nothing)', { containers: [{ name: 'vault', image: 'hashicorp/vault:1.15' }, { name: 'exporter', image: 'exporter' }] }],
    ['an app container\'s own hook that does not poll', { containers: [{ ...app, lifecycle: { postStart: { exec: { command: ['warm-cache'] } } } }, { name: 'worker' }] }],
  ])('%s: no sidecars', (_case, spec) => {
    expect(report(spec)).toEqual([]);
  });

  test('a hook that polls slowly; a hook listed after an app container holds no app', () => {
    const poll = (interval: number) => ({ exec: { command: ['sh', '-c', `until nc -z localhost 80; do sleep ${interval}; done`] } });
    expect(report({ containers: [{ name: 'slow', lifecycle: { postStart: poll(5) } }, app, { name: 'late', lifecycle: { postStart: poll(1) } }, { name: 'last' }] }, { sidecars: ['late'] }))
      .toEqual([
        verdict('slow', { ...LEGACY_GATED, ifCheckNeverPasses: IfCheckNeverPasses.APP_NEVER_STARTS, findings: [F('SF115', 'postStart polls every 5 s'), NO_DEADLINE] }),
        verdict('late', {
          placement: Placement.LEGACY,
          findings: [
            F('SF105', 'listed after app container "app", which starts before it: a sidecar in spec.containers must come first'),
            F('SF104', 'nothing holds the app back: no startupProbe and no postStart hook that waits'),
          ],
        }),
      ]);
  });

  test('named by --sidecar or the pod annotation: a startupProbe in spec.containers holds nothing', () => {
    // GIVEN
    const spec = { containers: [{ name: 'proxy', startupProbe: { tcpSocket: { port: 80 } }, readinessProbe: { tcpSocket: { port: 80 } } }, app] };
    const expected = [verdict('proxy', {
      placement: Placement.LEGACY,
      ifCheckNeverPasses: IfCheckNeverPasses.APP_RUNS_SIDECAR_NOT_READY,
      findings: [
        F('SF110', 'startupProbe on a container in spec.containers does not delay the other containers'),
        F('SF102', 'readinessProbe does not delay the app'),
      ],
    })];

    // THEN
    expect(report(spec)).toEqual([]);
    expect(report(spec, { sidecars: ['proxy'] })).toEqual(expected);
    expect(SidecarAnalyzer.analyzeManifests([pod(spec, { 'sidecar-first.dev/sidecars': 'proxy, unknown' })])[0].sidecars).toEqual(expected);
  });
});

describe('API rules (V1-V5), reported per workload', () => {
  const restartPolicyOnApp = { containers: [{ ...app, restartPolicy: 'Always' }] };
  const neverOnInit = { initContainers: [{ name: 'i', restartPolicy: 'Never' }], containers: [app] };
  test.each<[string, any, Finding[], string | undefined]>([
    ['V1 restartPolicy on a regular container before 1.35', restartPolicyOnApp,
      [F('SF301', 'containers "app" has restartPolicy, which only init containers may have')], '1.34'],
    ['V1 on 1.35 (ContainerRestartRules)', restartPolicyOnApp, [], '1.35'],
    ['V1 without a version', restartPolicyOnApp,
      [F('SF200', 'rejected before Kubernetes 1.35 (V1): containers "app" has restartPolicy, which only init containers may have')], undefined],
    ['V2 a restartPolicy other than Always on an init container before 1.35', neverOnInit,
      [F('SF302', 'initContainers "i" has restartPolicy Never; the only accepted value is Always')], '1.30'],
    ['V2 on 1.35', neverOnInit, [], '1.35'],
    ['V3 probes on an ordinary init container', { initContainers: [{ name: 'i', readinessProbe: { exec: { command: ['true'] } } }], containers: [app] },
      [F('SF303', 'initContainers "i" has readinessProbe, which is rejected on init containers without restartPolicy: Always')], '1.35'],
    ['V4 negative numbers and startup successThreshold', { containers: [{ ...app, startupProbe: { exec: { command: ['true'] }, periodSeconds: -1, successThreshold: 2 } }] },
      [F('SF304', '"app" startupProbe.periodSeconds is -1; it must be a whole number >= 0'), F('SF304', '"app" startupProbe.successThreshold must be 1 (or 0, which means 1)')], '1.35'],
    ['V4 terminationGracePeriodSeconds on a readinessProbe', { containers: [{ ...app, readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 } }] },
      [F('SF304', '"app" readinessProbe.terminationGracePeriodSeconds is forbidden')], '1.35'],
    ['V5 a sleep hook of 0 before 1.33', { containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 0 } } } }] },
      [F('SF305', '"app" preStop.sleep.seconds is 0; it must be > 0')], '1.30'],
    ['V5 a sleep hook of 0 on 1.33', { containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 0 } } } }] }, [], '1.33'],
    ['V5 a sleep hook before 1.30 is dropped', { containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 5 } } } }] },
      [F('SF202', '"app" preStop.sleep is dropped by the API server before Kubernetes 1.30: on 1.29 there is no preStop hook at all')], '1.29'],
    ['V5 a sleep hook without a version', { containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 5 } } } }] },
      [F('SF200', '"app" preStop.sleep is dropped by the API server before Kubernetes 1.30 (SF202)')], undefined],
    ['V5 a sleep longer than the grace period', { terminationGracePeriodSeconds: 10, containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: 20 } } } }] },
      [F('SF305', '"app" preStop.sleep.seconds 20 exceeds terminationGracePeriodSeconds')], '1.35'],
    ['V5 a tcpSocket hook', { containers: [{ ...app, lifecycle: { preStop: { tcpSocket: { port: 80 } } } }] },
      [F('SF305', '"app" preStop uses tcpSocket, which always fails at run time')], '1.35'],
  ])('%s', (_rule, spec, findings, kubernetesVersion) => {
    expect(SidecarAnalyzer.analyzeManifests([pod(spec)], { kubernetesVersion })[0].findings).toEqual(findings);
  });
});

describe('analyzeManifests', () => {
  const gated = { initContainers: [native('nginx', { startupProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 } })], containers: [app] };
  const nginx = verdict('nginx', GATED);

  test('kinds, List, skipped kinds, namespaces (left out when unset)', () => {
    // GIVEN
    const template = (spec: any) => ({ template: { spec } });
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
    const reports = SidecarAnalyzer.analyzeManifests(docs, NOW);

    // THEN
    const gatedStart = [{ name: 'nginx', role: ContainerRole.SIDECAR }, { name: 'app', role: ContainerRole.APP }];
    expect(reports).toStrictEqual([
      { document: 0, kind: 'Deployment', name: 'myapp', podSpecPath: 'spec.template.spec', sidecars: [nginx], startSequence: gatedStart, findings: [] },
      { document: 2, kind: 'CronJob', name: 'c', namespace: 'jobs', podSpecPath: 'spec.jobTemplate.spec.template.spec', sidecars: [nginx], startSequence: gatedStart, findings: [] },
      { document: 2, kind: 'ReplicationController', name: 'rc', podSpecPath: 'spec.template.spec', sidecars: [], startSequence: [{ name: 'app', role: ContainerRole.APP }], findings: [] },
    ]);
  });

  test('pod templates nested at any depth (JobSet, Kubeflow, Ray), one report each with its path; Lists in Lists; Argo Workflows not', () => {
    // GIVEN
    const onFailure = { ...gated, restartPolicy: 'OnFailure' };
    const job = (name: string) => ({ name, template: { spec: { template: { metadata: { labels: { a: 'b' } }, spec: onFailure } } } });
    const docs = [
      { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: { name: 'js' }, spec: { replicatedJobs: [job('leader'), job('workers')] } },
      {
        kind: 'List',
        items: [{
          kind: 'List',
          items: [{ apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'pt' }, spec: { pytorchReplicaSpecs: { Master: { replicas: 1, template: { spec: gated } }, Worker: { replicas: 2, template: { spec: { containers: [app] } } } } } }],
        }],
      },
      { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'ray' }, spec: { headGroupSpec: { template: { spec: gated } }, workerGroupSpecs: [{ groupName: 'g', template: { spec: gated } }] } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'wf' }, spec: { templates: [{ name: 't', container: app, sidecars: [native('nginx', {})] }] } },
    ];

    // WHEN
    const reports = SidecarAnalyzer.analyzeManifests(docs, NOW);

    // THEN a JobSet's pods run under a Job controller: restarts count toward backoffLimit (R3a)
    expect(reports.map(r => [r.document, r.kind, r.name, r.podSpecPath, r.sidecars.map(x => x.ifCheckNeverPasses)])).toEqual([
      [0, 'JobSet', 'js', 'spec.replicatedJobs[0].template.spec.template.spec', [IfCheckNeverPasses.JOB_FAILS]],
      [0, 'JobSet', 'js', 'spec.replicatedJobs[1].template.spec.template.spec', [IfCheckNeverPasses.JOB_FAILS]],
      [1, 'PyTorchJob', 'pt', 'spec.pytorchReplicaSpecs.Master.template.spec', [IfCheckNeverPasses.APP_NEVER_STARTS]],
      [1, 'PyTorchJob', 'pt', 'spec.pytorchReplicaSpecs.Worker.template.spec', []],
      [2, 'RayCluster', 'ray', 'spec.headGroupSpec.template.spec', [IfCheckNeverPasses.APP_NEVER_STARTS]],
      [2, 'RayCluster', 'ray', 'spec.workerGroupSpecs[0].template.spec', [IfCheckNeverPasses.APP_NEVER_STARTS]],
    ]);
  });

  test('any kind with a pod template, found by its shape and reported with its real kind', () => {
    // GIVEN
    const onFailure = { ...gated, restartPolicy: 'OnFailure' };
    const docs = [
      { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'dc' }, spec: { template: { spec: gated } } },
      { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'kn' }, spec: { template: { spec: gated } } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'ro' }, spec: { template: { spec: gated } } },
      { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt' }, template: { spec: gated } },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 'sj' }, spec: { jobTargetRef: { template: { spec: onFailure } } } },
      { apiVersion: 'example.com/v1', kind: 'Batch', metadata: { name: 'b' }, spec: { backoffLimit: 2, template: { spec: onFailure } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } },
    ];

    // WHEN
    const reports = SidecarAnalyzer.analyzeManifests(docs, NOW);

    // THEN the Job-like ones know their sidecar's restarts count toward backoffLimit (R3a)
    expect(reports.map(r => [r.kind, r.name, r.sidecars.map(s => s.ifCheckNeverPasses)])).toEqual([
      ['DeploymentConfig', 'dc', [IfCheckNeverPasses.APP_NEVER_STARTS]],
      ['Service', 'kn', [IfCheckNeverPasses.APP_NEVER_STARTS]],
      ['Rollout', 'ro', [IfCheckNeverPasses.APP_NEVER_STARTS]],
      ['PodTemplate', 'pt', [IfCheckNeverPasses.APP_NEVER_STARTS]],
      ['ScaledJob', 'sj', [IfCheckNeverPasses.JOB_FAILS]],
      ['Batch', 'b', [IfCheckNeverPasses.JOB_FAILS]],
    ]);
  });

  test('a pod of 20,000 containers is judged whole (its time is in npm run bench)', () => {
    // GIVEN 10,000 native sidecars and 10,000 app containers
    const spec = {
      initContainers: Array.from({ length: 10000 }, (_, i) => native(`s${i}`, { startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } })),
      containers: Array.from({ length: 10000 }, (_, i) => ({ name: `a${i}` })),
    };

    // WHEN
    const sidecars = report(spec, NOW);

    // THEN
    expect(sidecars).toHaveLength(10000);
    expect(sidecars.every(s => s.appWaitsForReady)).toBe(true);
  });

  test('values of any type in probes and hooks are reported, not thrown on (found by the property test)', () => {
    // GIVEN an object with no string form where numbers belong
    const odd = { toString: undefined };
    const spec = {
      terminationGracePeriodSeconds: odd,
      initContainers: [native('a', { startupProbe: { exec: { command: ['true'] }, periodSeconds: odd, initialDelaySeconds: odd, terminationGracePeriodSeconds: odd } })],
      containers: [{ ...app, lifecycle: { preStop: { sleep: { seconds: odd } } } }],
    };

    // WHEN
    const [workload] = SidecarAnalyzer.analyzeManifests([pod(spec)], on('1.32'));

    // THEN
    expect(workload.sidecars.map(s => [s.name, s.gate, s.findings])).toEqual([['a', Gate.STARTUP_PROBE, [F('SF113', 'startupProbe periodSeconds 10 adds up to 10 s to every start')]]]);
    expect(workload.findings).toEqual([
      F('SF305', '"app" preStop.sleep.seconds is {}; it must be > 0'),
      F('SF304', '"a" startupProbe.initialDelaySeconds is {}; it must be a whole number >= 0'),
      F('SF304', '"a" startupProbe.periodSeconds is {}; it must be a whole number >= 0'),
      F('SF304', '"a" startupProbe.terminationGracePeriodSeconds must be > 0'),
    ]);
  });

  test('a pod whose containers are not a list is reported invalid, not thrown', () => {
    expect(SidecarAnalyzer.analyzeManifests([pod({ containers: 'app' })])).toEqual([
      { document: 0, kind: 'Pod', name: 'p', podSpecPath: 'spec', sidecars: [], startSequence: [], findings: [], invalid: 'containers is not a list' },
    ]);
    expect(() => SidecarAnalyzer.analyzePodSpec({ containers: [{ image: 'x' }] })).toThrow(new Error(
      'SidecarAnalyzer.analyzePodSpec: spec cannot be analyzed: containers[0] is not a container with a name. Pass a pod spec: an object whose containers are a list of objects with a name'));
    expect(() => report({ containers: [app] }, on('next'))).toThrow(new Error(
      'SidecarAnalyzer.analyzePodSpec: kubernetesVersion is "next", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'));
  });
});

test('every finding the analyzer reports is in the table, errors are what make the app not wait', () => {
  // Each family has one purpose: SF1 verdicts, SF2 versions and Jobs, SF3 the API server.
  expect(Object.keys(FINDINGS).every(id => /^SF[123]\d\d$/.test(id))).toBe(true);
  expect(Object.entries(FINDINGS).filter(([, k]) => k.severity === Severity.INFO).map(([id]) => id)).toEqual(['SF200']);
});

test('docs/cli.md lists every finding with its severity and rule', () => {
  // GIVEN the Findings table of docs/cli.md
  const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'cli.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Findings'), readme.indexOf('\n## ', readme.indexOf('## Findings') + 1));
  const rows = [...section.matchAll(/^\| (SF\d+) \| (\w+) \| ([^|]+) \| ([^|]+) \|$/gm)].map(m => [m[1], m[2], m[3], m[4]]);

  // THEN
  expect(rows).toEqual(Object.entries(FINDINGS).sort(([a], [b]) => a.localeCompare(b)).map(([id, k]) => [id, k.severity, k.rule, k.summary]));
});
