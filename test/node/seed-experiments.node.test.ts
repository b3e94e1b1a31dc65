/**
 * The experiments behind the README's "The problem" table, on a real kubelet:
 * a native sidecar that becomes ready 5 s after it starts, declared by hand four
 * ways. Does the app wait for it?
 *
 * | native sidecar with     | app waits? |
 * | readinessProbe only     | no: starts in parallel (R2, R6) |
 * | livenessProbe only      | no (R6) |
 * | startupProbe (exec)     | yes (R3) |
 * | postStart loop          | yes (R4) |
 */
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { describeEachKubelet, minorOf, PodOutcome, STANDIN_IMAGE, standinArgs } from '../support/real-node';

const READY_AFTER_MS = 5000;

/** A native sidecar ready READY_AFTER_MS after it starts, with `extra`, and an app. */
function seedPod(extra: object): ManifestPodSpec {
  return {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 5,
    initContainers: [{
      name: 'sidecar',
      image: STANDIN_IMAGE,
      restartPolicy: 'Always',
      args: standinArgs({ http: 8080, readyAfterMs: READY_AFTER_MS }),
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
}, version => minorOf(version) >= 29);
