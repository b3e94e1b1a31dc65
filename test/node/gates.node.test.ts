/**
 * The library's output on a real kubelet, for both gates and every check kind:
 * the app starts only after the sidecar is ready (figures from 20 starts each),
 * a check that never passes, several sidecars in dependency order, an init
 * container after a sidecar, Jobs, and shutdown order.
 */
import { Duration } from 'cdk8s';
import { SidecarFirstJob, StartupGate } from '../../src';
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { newChart, synth } from '../support/manifests';
import { CHECK_KINDS, declaredPod, gatedPod, standinSidecar } from '../support/node-pods';
import { appsStarted, completed, describeEachKubelet, minorOf, PodOutcome, STANDIN_IMAGE, standinArgs } from '../support/real-node';
import { BATCH, readyToStarted, runInBatches, summary } from '../support/start-figures';

const STARTS = 20;
const GATES = [StartupGate.STARTUP_PROBE, StartupGate.POST_START];

/** The gates a kubelet of `version` runs: native sidecars from 1.29 (1.28 rejects them, see below). */
function gatesOf(version: string): StartupGate[] {
  return minorOf(version) >= 29 ? GATES : [StartupGate.POST_START];
}

describeEachKubelet('the library on a real kubelet', (version, node) => {
  // Declared for the kubelet's own version: it picks, e.g., the preStop form of drainTime (sleep action from 1.30).
  const target = { kubernetesVersion: version };
  const figures: string[] = [];
  afterAll(() => {
    if (figures.length > 0) {
      console.log(`kubelet ${version}: sidecar ready -> app started, ${STARTS} starts each (${BATCH} at once), ms\n`
        + `| gate | check | median | p95 | max | load average before/after |\n|---|---|---|---|---|---|\n${figures.join('\n')}`);
    }
  });

  for (const gate of gatesOf(version)) {
    for (const kind of CHECK_KINDS) {
      test(`GIVEN ${STARTS} pods under ${gate} with a ${kind} check, sidecar ready after 1-2 s WHEN they start side by side THEN every app starts after its sidecar is ready`, async () => {
        // GIVEN: ready delays spread over a second, so the probe ticks meet them at every phase.
        const pods = Array.from({ length: STARTS }, (_, i) => ({
          name: `${gate.toLowerCase().replace('_', '')}-${kind}-${i}`,
          spec: gatedPod(gate, kind, 1000 + (i * 97) % 1000, {}, target),
        }));

        // WHEN
        const { outcomes, load } = await runInBatches(node(), pods);

        // THEN
        const latencies = outcomes.map(readyToStarted);
        const s = summary(latencies);
        figures.push(`| ${gate} | ${kind} | ${s.median.toFixed(0)} | ${s.p95.toFixed(0)} | ${s.max.toFixed(0)} | ${load} |`);
        expect(Math.min(...latencies)).toBeGreaterThan(0);
        // Each figure includes creating and starting the app's container, seconds on a loaded
        // machine; the bound only catches what a default 10 s probe period would add.
        expect(s.median).toBeLessThan(10_000);
      }, 300_000);
    }
  }

  test('GIVEN sidecars whose check never passes, startupTimeout 5 s WHEN the pods start THEN native: the app never starts and the sidecar is restarted; legacy: the app starts after the timeout and the hook\'s reason is the sidecar\'s last termination message', async () => {
    // GIVEN
    const sidecar = { startupTimeout: Duration.seconds(5) };
    const pods = gatesOf(version).flatMap(gate => CHECK_KINDS.map(kind => ({
      gate,
      kind,
      name: `never-${gate.toLowerCase().replace('_', '')}-${kind}`,
      spec: gatedPod(gate, kind, 'never', sidecar, target),
      until: gate === StartupGate.STARTUP_PROBE
        ? (p: PodOutcome) => p.containers.proxy.starts.length >= 2
        : (p: PodOutcome) => appsStarted(p) && p.containers.proxy.status?.lastState?.terminated !== undefined,
    })));

    // WHEN
    const outcomes = await node().run(pods, { timeoutMs: 120_000 });

    // THEN
    outcomes.forEach((pod, i) => {
      const { proxy, app } = pod.containers;
      expect(pod.timedOut).toBe(false);
      expect(proxy.readies).toEqual([]);
      if (pods[i].gate === StartupGate.STARTUP_PROBE) {
        expect(app.starts).toEqual([]);
        expect(pod.status.phase).toBe('Pending');
        // Killed after 5 failed 1 s probes, the first of them up to a period after the container's
        // start (R3); the stand-in's own start stamp comes a little later than the runtime's.
        expect(proxy.terms[0] - proxy.starts[0]).toBeGreaterThan(3000);
        expect(proxy.starts[1]).toBeGreaterThan(proxy.exits[0]);
        console.log(`kubelet ${version}, ${pod.name}: killed ${(proxy.terms[0] - proxy.starts[0]).toFixed(0)} ms after its start, restarted ${(proxy.starts[1] - proxy.exits[0]).toFixed(0)} ms after it exited`);
      } else {
        expect(app.starts[0] - proxy.starts[0]).toBeGreaterThan(5000);
        expect(app.starts[0]).toBeGreaterThan(proxy.exits[0]);
        console.log(`kubelet ${version}, ${pod.name}: app started ${(app.starts[0] - proxy.starts[0]).toFixed(0)} ms after the sidecar, ${(app.starts[0] - proxy.exits[0]).toFixed(0)} ms after the sidecar was killed`);
        expect(proxy.status.lastState.terminated.message).toContain('sidecar-first: sidecar "proxy" is not ready after 5 s');
      }
    });
  }, 300_000);

  for (const gate of gatesOf(version)) {
    test(`GIVEN three sidecars a <- b <- c (dependsOn) under ${gate} WHEN the pod starts THEN each starts after the one it depends on is ready, and the app after c`, async () => {
      // GIVEN: declared out of order; the library orders them.
      const spec = declaredPod({
        ...target,
        startupGate: gate,
        containers: [{ name: 'app', image: STANDIN_IMAGE, args: standinArgs() }],
        sidecars: [
          standinSidecar('c', 'http', 500, { port: 8082, dependsOn: ['b'] }),
          standinSidecar('b', 'tcp', 500, { port: 8081, dependsOn: ['a'] }),
          standinSidecar('a', 'command', 500),
        ],
      });

      // WHEN
      const [pod] = await node().run([{ name: `order-${gate.toLowerCase().replace('_', '')}`, spec }], { timeoutMs: 120_000 });

      // THEN
      const { a, b, c, app } = pod.containers;
      expect(pod.timedOut).toBe(false);
      expect(b.starts[0]).toBeGreaterThan(a.readies[0]);
      expect(c.starts[0]).toBeGreaterThan(b.readies[0]);
      expect(app.starts[0]).toBeGreaterThan(c.readies[0]);
    }, 300_000);

  }

  for (const gate of gatesOf(version).filter(g => g === StartupGate.STARTUP_PROBE)) {
    // Under POST_START the library refuses `needs` at declaration: init containers run before any regular container.
    test(`GIVEN an init container that needs the sidecar under ${gate} WHEN the pod starts THEN it runs after the sidecar is ready and before the app`, async () => {
      // GIVEN
      const spec = declaredPod({
        ...target,
        startupGate: gate,
        containers: [{ name: 'app', image: STANDIN_IMAGE, args: standinArgs() }],
        sidecars: [standinSidecar('proxy', 'http', 1500)],
        dependentInitContainers: [{ name: 'migrate', image: STANDIN_IMAGE, args: standinArgs({ exitAfterMs: 500 }), needs: ['proxy'] }],
      });

      // WHEN
      const [pod] = await node().run([{ name: `init-after-${gate.toLowerCase().replace('_', '')}`, spec }], { timeoutMs: 120_000 });

      // THEN
      const { proxy, migrate, app } = pod.containers;
      expect(pod.timedOut).toBe(false);
      expect(migrate.starts[0]).toBeGreaterThan(proxy.readies[0]);
      expect(app.starts[0]).toBeGreaterThan(migrate.exits[0]);
    }, 300_000);
  }

  test('GIVEN a Job whose app exits after 2 s WHEN it runs THEN the pod succeeds: native, the kubelet stops the sidecar; legacy, the sidecar exits as its jobExit says', async () => {
    // GIVEN
    const job = (gate: StartupGate): ManifestPodSpec => {
      const chart = newChart();
      new SidecarFirstJob(chart, 'job', {
        ...target,
        startupGate: gate,
        containers: [{ name: 'app', image: STANDIN_IMAGE, args: standinArgs({ exitAfterMs: 2000 }) }],
        sidecars: [standinSidecar('proxy', 'http', 1000, gate === StartupGate.POST_START
          ? { jobExit: 'exits when the app has exited', standin: { exitWhen: '/stamps/app.exit' } }
          : {})],
      });
      return synth(chart).pod;
    };
    const gates = gatesOf(version);

    // WHEN
    const outcomes = await node().run(gates.map(gate => ({ name: `job-${gate.toLowerCase().replace('_', '')}`, spec: job(gate) })), { until: completed, timeoutMs: 120_000 });

    // THEN
    outcomes.forEach((pod, i) => {
      const { proxy, app } = pod.containers;
      expect(pod.timedOut).toBe(false);
      expect(pod.status.phase).toBe('Succeeded');
      expect(app.starts[0]).toBeGreaterThan(proxy.readies[0]);
      expect(proxy.exits[0]).toBeGreaterThan(app.exits[0]);
      if (gates[i] === StartupGate.STARTUP_PROBE) {
        expect(proxy.terms).toHaveLength(1); // stopped by the kubelet (S2)
      } else {
        expect(proxy.terms).toEqual([]); // exited by itself (S3)
      }
    });
  }, 300_000);

  test('GIVEN a running pod whose app takes 2 s to stop WHEN the pod is removed THEN native: the sidecar gets SIGTERM only after the app exited (S1); legacy with drainTime 3 s: 3 s after the app', async () => {
    // GIVEN
    const spec = (gate: StartupGate) => declaredPod({
      ...target,
      startupGate: gate,
      terminationGracePeriod: Duration.seconds(20),
      containers: [{ name: 'app', image: STANDIN_IMAGE, args: standinArgs({ termDelayMs: 2000 }) }],
      sidecars: [standinSidecar('proxy', 'http', 500, gate === StartupGate.POST_START ? { drainTime: Duration.seconds(3) } : {})],
    });
    const gates = gatesOf(version);

    // WHEN: run() removes the pods once the apps run.
    const outcomes = await node().run(gates.map(gate => ({ name: `shutdown-${gate.toLowerCase().replace('_', '')}`, spec: spec(gate) })), { timeoutMs: 120_000 });

    // THEN
    outcomes.forEach((pod, i) => {
      const { proxy, app } = pod.containers;
      expect(app.terms).toHaveLength(1);
      expect(proxy.terms).toHaveLength(1);
      expect(app.exits[0] - app.terms[0]).toBeGreaterThanOrEqual(2000);
      if (gates[i] === StartupGate.STARTUP_PROBE && minorOf(version) >= 29) {
        expect(proxy.terms[0]).toBeGreaterThan(app.exits[0]);
      } else {
        expect(proxy.terms[0] - app.terms[0]).toBeGreaterThanOrEqual(3000);
      }
      expect(proxy.exits[0]).toBeGreaterThan(app.exits[0]);
    });
  }, 300_000);
});

describeEachKubelet('native sidecars on a kubelet without them', (version, node) => {
  test('GIVEN the STARTUP_PROBE output and the POST_START output WHEN they run on a 1.28 kubelet (SidecarContainers off) THEN the native sidecar\'s pod never runs its app, and POST_START holds the app until the sidecar is ready', async () => {
    // WHEN
    const [native, legacy] = await node().run([
      { name: 'k128-native', spec: gatedPod(StartupGate.STARTUP_PROBE, 'http', 1000) },
      { name: 'k128-legacy', spec: gatedPod(StartupGate.POST_START, 'http', 1000) },
    ], { timeoutMs: 30_000, until: p => p.name === 'k128-legacy' ? appsStarted(p) : p.status?.phase === 'Failed' });

    // THEN
    console.log(`kubelet ${version}, native sidecar pod: ${JSON.stringify({ phase: native.status?.phase, reason: native.status?.reason, message: native.status?.message })}`);
    expect(native.containers.app.starts).toEqual([]);
    expect({ phase: native.status?.phase, reason: native.status?.reason }).toEqual({ phase: 'Failed', reason: 'InitContainerRestartPolicyForbidden' });
    expect(legacy.containers.app.starts[0]).toBeGreaterThan(legacy.containers.proxy.readies[0]);
  }, 300_000);
}, version => minorOf(version) < 29);
