/**
 * The experiments behind the README's "The problem" table (README.md#the-problem), on a real kubelet:
 * a native sidecar that becomes ready 5 s after it starts, declared by hand four
 * ways. Does the app wait for it?
 *
 * | native sidecar with     | app waits? |
 * | readinessProbe only     | no: starts in parallel (R2, R6) |
 * | livenessProbe only      | no (R6) |
 * | startupProbe (exec)     | yes (R3) |
 * | postStart loop          | yes (R4) |
 * | startupProbe, default period (10 s) | yes, up to about 13 s late |
 */
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { describeEachKubelet, minorOf, PodOutcome, STANDIN_IMAGE, standinArgs } from '../support/real-node';

const READY_AFTER_MS = 5000;

/** A native sidecar ready `readyAfterMs` after it starts, with `extra`, and an app. */
function seedPod(extra: object, readyAfterMs = READY_AFTER_MS): ManifestPodSpec {
  return {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 5,
    initContainers: [{
      name: 'sidecar',
      image: STANDIN_IMAGE,
      restartPolicy: 'Always',
      args: standinArgs({ http: 8080, readyAfterMs }),
      ...extra,
    }],
    containers: [{ name: 'app', image: STANDIN_IMAGE, args: standinArgs() }],
  };
}

const EXPERIMENTS: { name: string; sidecar: object; appWaits: boolean }[] = [
  { name: 'readiness', sidecar: { readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }, appWaits: false },
  { name: 'liveness', sidecar: { livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 } }, appWaits: false },
  // The check itself takes its time: an exec `sleep` that outlasts the sidecar's start-up.
  { name: 'startup-exec-sleep', sidecar: { startupProbe: { exec: { command: ['sleep', '6'] }, periodSeconds: 1, timeoutSeconds: 10 } }, appWaits: true },
  {
    name: 'poststart-loop',
    sidecar: { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'until wget -q -O /dev/null http://127.0.0.1:8080/; do sleep 1; done'] } } } },
    appWaits: true,
  },
];

describeEachKubelet('the seed experiments', (version, node) => {
  test('GIVEN a native sidecar ready after 5 s WHEN it has only a readinessProbe, only a livenessProbe, an exec startupProbe, or a postStart loop THEN the app starts in parallel, in parallel, after it, after it', async () => {
    // WHEN
    const pods = await node().run(EXPERIMENTS.map(e => ({ name: `seed-${e.name}`, spec: seedPod(e.sidecar) })), { timeoutMs: 90_000 });

    // THEN
    const waited = (pod: PodOutcome) => pod.containers.app.starts[0] > pod.containers.sidecar.readies[0];
    const rows = pods.map((pod, i) => `${EXPERIMENTS[i].name}: sidecar ready ${pod.containers.sidecar.readies[0]?.toFixed(0)} ms, app started ${pod.containers.app.starts[0]?.toFixed(0)} ms`);
    console.log(`kubelet ${version}, seed experiments (ms after the manifest):\n${rows.join('\n')}`);
    expect(pods.map(p => p.timedOut)).toEqual(EXPERIMENTS.map(() => false));
    expect(pods.map(waited)).toEqual(EXPERIMENTS.map(e => e.appWaits));
    // The exec sleep holds the app for its own 6 s, counted from the sidecar's start.
    const sleep = pods[2].containers;
    expect(sleep.app.starts[0] - sleep.sidecar.starts[0]).toBeGreaterThanOrEqual(6000);
  }, 240_000);

  test('GIVEN 10 native sidecars with an HTTP startupProbe at the default period (10 s) WHEN they start THEN each app waits, some seconds late', async () => {
    // GIVEN: ready times spread over the period. Each probe worker also starts at a random
    // phase (worker.go), so with 10 pods at least one waits well over 4 s (each about 0.6 likely).
    const delays = Array.from({ length: 10 }, (_, i) => 5000 + i * 1000);
    const pods = delays.map((delay, i) => ({ name: `seed-default-period-${i}`, spec: seedPod({ startupProbe: { httpGet: { path: '/', port: 8080 } } }, delay) }));

    // WHEN
    const outcomes = await node().run(pods, { timeoutMs: 120_000 });

    // THEN
    const latencies = outcomes.map(pod => pod.containers.app.starts[0] - pod.containers.sidecar.readies[0]);
    console.log(`kubelet ${version}, startupProbe at the default period: sidecar ready -> app started, ms: ${latencies.map(l => l.toFixed(0)).join(', ')}`);
    expect(outcomes.map(p => p.timedOut)).toEqual(delays.map(() => false));
    expect(Math.min(...latencies)).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeGreaterThan(4000);
  }, 240_000);
}, version => minorOf(version) >= 29);
