/**
 * Every pod of examples/dist/ as a static pod on a real kubelet, its images played by the
 * stand-in (../support/standin-pods.ts): a sidecar serves the ports its probes check and
 * becomes ready after 1.5 s, an app records its start (a Job's app exits after 2 s), an
 * ordinary init container exits after 300 ms. Every app must start after every sidecar is
 * ready. (cluster-rollout.node.test.ts applies the same files to a whole cluster.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { podSpecOf } from '../support/manifests';
import { appsStarted, completed, describeEachKubelet, minorOf, PodOutcome } from '../support/real-node';
import { playPodSpec } from '../support/standin-pods';

const DIST = path.join(__dirname, '..', '..', 'examples', 'dist');

interface ExamplePod {
  readonly name: string;
  readonly spec: ManifestPodSpec;
  readonly sidecars: string[];
  readonly apps: string[];
  readonly job: boolean;
  readonly native: boolean;
}

/** The pods of examples/dist/, played by the stand-in (../support/standin-pods.ts), as static pods. */
function examplePods(): ExamplePod[] {
  return fs.readdirSync(DIST).filter(f => f.endsWith('.k8s.yaml')).sort().flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(DIST, file), 'utf8')).map(d => d.toJS()).flatMap((doc, i) => {
      const spec = podSpecOf(doc);
      if (!spec) return [];
      const played = playPodSpec(spec);
      const name = `${file.replace('.k8s.yaml', '')}-${i}`.slice(0, 50);
      return [{
        ...played,
        name,
        spec: {
          ...played.spec,
          serviceAccountName: undefined,
          // A static pod cannot read ConfigMaps or Secrets.
          volumes: spec.volumes?.map((v: any) => v.configMap || v.secret ? { name: v.name, emptyDir: {} } : v),
        },
      }];
    }));
}

describeEachKubelet('the examples on a real kubelet', (version, node) => {
  const pods = examplePods().filter(p => minorOf(version) >= 29 || !p.native);

  test(`GIVEN the ${pods.length} pods of examples/dist/ that this kubelet runs WHEN they start side by side THEN every app starts after every sidecar is ready, and the Job completes`, async () => {
    // WHEN
    const runs = pods.map(p => ({ name: p.name, spec: p.spec, until: p.job ? completed : appsStarted }));
    const outcomes = await node().run(runs, { timeoutMs: 180_000 });

    // THEN
    const rows = outcomes.map((pod: PodOutcome, i) => {
      const { sidecars, apps, job } = pods[i];
      expect({ pod: pod.name, timedOut: pod.timedOut }).toEqual({ pod: pod.name, timedOut: false });
      const lastReady = Math.max(...sidecars.map(s => pod.containers[s].readies[0]));
      const firstApp = Math.min(...apps.map(a => pod.containers[a].starts[0]));
      expect({ pod: pod.name, appAfterSidecars: firstApp > lastReady }).toEqual({ pod: pod.name, appAfterSidecars: true });
      if (job) expect({ pod: pod.name, phase: pod.status.phase }).toEqual({ pod: pod.name, phase: 'Succeeded' });
      return `| ${pod.name} | ${sidecars.join(', ')} | ${apps.join(', ')} | ${(firstApp - lastReady).toFixed(0)} |`;
    });
    console.log(`kubelet ${version}, examples:\n| pod | sidecars | apps | last sidecar ready -> first app started, ms |\n|---|---|---|---|\n${rows.join('\n')}`);
  }, 300_000);
});
