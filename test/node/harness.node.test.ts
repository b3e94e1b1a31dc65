/**
 * The harness itself (test/support/real-node.ts): a node starts, runs a pod of the
 * library's output (STARTUP_PROBE; POST_START on kubelets before 1.29), reports times
 * and status, and leaves nothing behind.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { StartupGate } from '../../src';
import { gatedPod } from '../support/node-pods';
import { appsStarted, kubeletVersions, minorOf, missingPrerequisite, RealNode } from '../support/real-node';

const version = kubeletVersions()[0];
const gate = minorOf(version) >= 29 ? StartupGate.STARTUP_PROBE : StartupGate.POST_START;
const missing = missingPrerequisite(version);
if (missing && process.env.CI === 'true') {
  throw new Error(`real-node tests cannot run under CI=true: ${missing}`);
}
if (missing) console.log(`SKIP real-node tests: ${missing}`);
const describeNode = missing ? describe.skip : describe;

describeNode(`real node, kubelet ${version}`, () => {
  test(`GIVEN a ${gate} pod whose sidecar is ready after 2 s WHEN it runs THEN the app starts after the sidecar is ready, and the node leaves nothing behind`, async () => {
    const node = await RealNode.start(version);
    let stopped = false;
    try {
      // WHEN
      // (The stamps come before the kubelet's status: wait for both.)
      const [pod] = await node.run([{ name: 'harness', spec: gatedPod(gate, 'http', 2000) }], {
        timeoutMs: 90_000,
        until: p => appsStarted(p) && p.containers.app.status?.state?.running !== undefined,
      });

      // THEN
      const { proxy, app } = pod.containers;
      expect(pod.timedOut).toBe(false);
      expect(proxy.init).toBe(gate === StartupGate.STARTUP_PROBE);
      expect(proxy.starts).toHaveLength(1);
      expect(proxy.readies[0] - proxy.starts[0]).toBeGreaterThanOrEqual(2000);
      expect(app.starts).toHaveLength(1);
      expect(app.starts[0]).toBeGreaterThan(proxy.readies[0]);
      expect(proxy.status.started).toBe(true);
      expect(app.status.state.running).toBeDefined();
      // The removed pod's containers got SIGTERM.
      expect(app.terms).toHaveLength(1);
      expect(proxy.terms).toHaveLength(1);
      console.log(`kubelet ${version}: proxy started ${proxy.starts[0].toFixed(0)} ms after the manifest, ready ${proxy.readies[0].toFixed(0)}, app started ${app.starts[0].toFixed(0)}`);

      const dir = node.dir;
      await node.stop();
      stopped = true;
      expect(fs.existsSync(dir)).toBe(false);
      expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
      expect(links()).not.toContain(node.env.BRIDGE);
      expect(fs.readdirSync('/sys/fs/cgroup').filter(h => fs.existsSync(`/sys/fs/cgroup/${h}${node.env.CGROUP_ROOT}`))).toEqual([]);
      expect(processesNaming(dir)).toEqual([]);
    } finally {
      if (!stopped) await node.stop();
    }
  }, 300_000);
});

/** The network links of this machine, by name. */
function links(): string[] {
  return execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').map(l => l.split(': ')[1]?.split('@')[0]).filter(Boolean);
}

/** Processes whose command line names `text`. */
function processesNaming(text: string): string[] {
  return fs.readdirSync('/proc').filter(p => /^\d+$/.test(p) && Number(p) !== process.pid).filter(p => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}
