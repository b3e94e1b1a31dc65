/**
 * Property tests: the compiler and the analyzer share the kubelet's rules, so
 * whatever a user declares, the analyzer must find that the app waits; and
 * no manifest, however odd, makes the analyzer throw.
 */
import { Chart, Cron, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Finding, ReadinessCheck, Severity, SidecarAnalyzer, SidecarFirstCronJob, SidecarFirstDaemonSet, SidecarFirstDeployment, SidecarFirstJob,
  SidecarFirstOptions, SidecarFirstPod, SidecarFirstStatefulSet, SidecarProps, StartupGate,
} from '../src';
import { podSpecOf } from './support/manifests';
import { startsAfterGate } from '../src/private/rules/kubelet-rules';

/* eslint-disable @typescript-eslint/no-explicit-any */

const APP = { name: 'app', image: 'my/app:1', portNumber: 8080 };
const WORKLOADS = [
  (c: Chart, o: SidecarFirstOptions) => new SidecarFirstDeployment(c, 'w', { containers: [APP], ...o }),
  (c: Chart, o: SidecarFirstOptions) => new SidecarFirstStatefulSet(c, 'w', { containers: [APP], ...o }),
  (c: Chart, o: SidecarFirstOptions) => new SidecarFirstDaemonSet(c, 'w', { containers: [APP], ...o }),
  (c: Chart, o: SidecarFirstOptions) => new SidecarFirstJob(c, 'w', { containers: [APP], ...o }),
  (c: Chart, o: SidecarFirstOptions) => new SidecarFirstCronJob(c, 'w', { containers: [APP], schedule: Cron.daily(), ...o }),
  (c: Chart, o: SidecarFirstOptions) => new SidecarFirstPod(c, 'w', { containers: [APP], ...o }),
];

const port = fc.integer({ min: 1, max: 65535 });
const check = fc.oneof(
  fc.record({ path: fc.webPath().map(p => `/${p.replace(/^\/+/, '')}`), port }).map(c => ReadinessCheck.httpGet(c.path, { port: c.port })),
  port.map(p => ReadinessCheck.tcpSocket({ port: p })),
  fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }).map(argv => ReadinessCheck.command(argv)),
  fc.record({ port, service: fc.option(fc.string(), { nil: undefined }) })
    .map(c => ReadinessCheck.grpc({ ...c, grpcHealthProbe: '/bin/grpc_health_probe' })),
);

/** 1-4 sidecars with unique names; each may depend on sidecars declared before or after it, without cycles. */
const sidecarSpec = fc.record({ check, timeout: fc.integer({ min: 1, max: 900 }), deps: fc.array(fc.nat(), { maxLength: 2 }) });
const sidecars = fc.array(sidecarSpec, { minLength: 1, maxLength: 4 })
  .chain(specs => fc.shuffledSubarray(specs.map((_, i) => i), { minLength: specs.length }).map(rank => specs.map((s, i): SidecarProps => ({
    name: `sidecar-${i}`,
    image: `example/sidecar-${i}:1`,
    readinessCheck: s.check,
    startupTimeout: Duration.seconds(s.timeout),
    jobExit: 'it exits when the app is done',
    // Only sidecars of lower rank: acyclic whatever the declaration order.
    dependsOn: [...new Set(s.deps.map(d => d % specs.length).filter(d => rank[d] < rank[i]).map(d => `sidecar-${d}`))],
  }))));

test('whatever sidecars are declared, under either gate, the analyzer finds that the app waits for each', () => {
  fc.assert(fc.property(
    sidecars, fc.constantFrom(StartupGate.STARTUP_PROBE, StartupGate.POST_START), fc.nat(WORKLOADS.length - 1),
    fc.integer({ min: 10, max: 1000 }), fc.boolean(),
    (declared, gate, kind, pollMs, tools) => {
      // GIVEN / WHEN
      const chart = new Chart(Testing.app(), 'test');
      WORKLOADS[kind](chart, {
        startupGate: gate, sidecars: declared, pollInterval: Duration.millis(pollMs), waitToolImage: tools ? 'busybox:1.36-musl' : undefined,
      });
      const docs = Testing.synth(chart);

      // THEN
      const [workload] = SidecarAnalyzer.analyzeManifests(docs);
      // Notes on what depends on the version (info) are fine; errors and warnings are not (S3 in a Job
      // included: the library records each sidecar's jobExit in the pod, where the analyzer reads it).
      const problems = (findings: Finding[]) => findings.filter(f => f.severity !== Severity.INFO);
      expect(problems(workload.findings)).toEqual([]);
      expect(workload.sidecars.map(s => [s.name, s.appWaitsForReady, problems(s.findings)])).toEqual(
        expect.arrayContaining(declared.map(s => [s.name, true, []])));
      expect(workload.sidecars).toHaveLength(declared.length);
      const pod = docs.map(podSpecOf).find(p => p !== undefined)!;
      for (const s of declared) {
        expect(startsAfterGate(pod, 'app', s.name!)).toBe(true);
        for (const dep of s.dependsOn!) {
          expect(startsAfterGate(pod, s.name!, dep)).toBe(true);
        }
      }
    },
  ), { numRuns: 150 });
});

/** Values a pod spec field might hold in a manifest written by anyone. */
const junk = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom('Always', 'Never', 0, -1, 30, null, [], {}));
const handler = fc.record({
  exec: fc.option(fc.record({ command: fc.oneof(fc.array(fc.string()), junk) }), { nil: undefined }),
  httpGet: fc.option(fc.record({ port: fc.oneof(port, fc.string(), junk), path: fc.oneof(fc.string(), junk) }), { nil: undefined }),
  tcpSocket: fc.option(fc.record({ port: fc.oneof(port, junk) }), { nil: undefined }),
  sleep: fc.option(fc.record({ seconds: junk }), { nil: undefined }),
  periodSeconds: fc.option(junk, { nil: undefined }),
  successThreshold: fc.option(junk, { nil: undefined }),
  terminationGracePeriodSeconds: fc.option(junk, { nil: undefined }),
}, { requiredKeys: [] });
const container = fc.record({
  name: fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'c', 'app'), weight: 20 }, { arbitrary: junk, weight: 1 }),
  restartPolicy: fc.option(fc.oneof(fc.constantFrom('Always', 'OnFailure'), junk), { nil: undefined }),
  startupProbe: fc.option(fc.oneof(handler, junk), { nil: undefined }),
  readinessProbe: fc.option(fc.oneof(handler, junk), { nil: undefined }),
  livenessProbe: fc.option(fc.oneof(handler, junk), { nil: undefined }),
  lifecycle: fc.option(
    fc.oneof(fc.record({ postStart: fc.oneof(handler, junk), preStop: fc.oneof(handler, junk) }, { requiredKeys: [] }), junk),
    { nil: undefined },
  ),
}, { requiredKeys: [] });
const manifest = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constantFrom('Pod', 'Deployment', 'CronJob', 'List', 'ConfigMap', 'Job'),
  metadata: fc.oneof(fc.record({ name: fc.string(), annotations: fc.option(fc.dictionary(fc.string(), fc.string()), { nil: undefined }) }), junk),
  spec: fc.oneof(
    {
      arbitrary: fc.record({
        containers: fc.oneof({ arbitrary: fc.array(container, { minLength: 1, maxLength: 4 }), weight: 10 }, { arbitrary: junk, weight: 1 }),
        initContainers: fc.option(
          fc.oneof({ arbitrary: fc.array(container, { maxLength: 3 }), weight: 10 }, { arbitrary: junk, weight: 1 }),
          { nil: undefined },
        ),
        terminationGracePeriodSeconds: fc.option(junk, { nil: undefined }),
      }, { requiredKeys: ['containers'] }).map(spec => ({ ...spec, template: { spec }, jobTemplate: { spec: { template: { spec } } } })),
      weight: 10,
    },
    { arbitrary: junk, weight: 1 },
  ),
  // Any object whose items is an array is a List (as kubectl reads it): most manifests have none, so that their pods are judged.
  items: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.array(junk, { maxLength: 2 }), weight: 1 }),
}, { requiredKeys: [] });

test('no manifest, however odd, makes the analyzer throw', () => {
  let judged = 0;
  const documents = fc.array(fc.oneof({ arbitrary: manifest, weight: 5 }, { arbitrary: junk, weight: 1 }), { maxLength: 3 });
  // Names of the generated containers too: only native sidecars, known helpers and polling hooks are found without a name.
  const named = fc.option(fc.array(fc.oneof(fc.string(), fc.constantFrom('a', 'b', 'c')), { maxLength: 2 }), { nil: undefined });
  fc.assert(fc.property(documents, named, (docs, extra) => {
    judged += SidecarAnalyzer.analyzeManifests(docs, { sidecars: extra, kubernetesVersion: '1.28' }).flatMap(w => w.sidecars).length;
  }), { numRuns: 2000 });
  // The generator must reach the rules, not only the shape checks.
  expect(judged).toBeGreaterThan(100);
});
