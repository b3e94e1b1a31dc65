/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The library's output applied to a real cluster as a user applies it: `kubectl apply -f`
 * of examples/dist/ (every image played by the stand-in, ../support/standin-pods.ts) on a
 * single-node cluster of each version (../support/cluster.ts). Every Deployment,
 * StatefulSet and DaemonSet must roll out and every Job complete; a CronJob runs once as
 * `kubectl create job --from=cronjob/NAME` and must complete. The older minor (1.30) is
 * where native sidecars are beta: the rollouts there are the proof they work as shipped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { Cluster, describeEachCluster } from '../support/cluster';
import { playManifest } from '../support/standin-pods';

const DIST = path.join(__dirname, '..', '..', 'examples', 'dist');
const ROLLED_OUT = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** examples/dist/'s documents by file. */
function examples(): Map<string, any[]> {
  return new Map(fs.readdirSync(DIST).filter(f => f.endsWith('.k8s.yaml')).sort().map(file =>
    [file, parseAllDocuments(fs.readFileSync(path.join(DIST, file), 'utf8')).map(d => d.toJS())]));
}

/** `kind/name` of every workload of examples/dist/ that this test must see run. */
function workloads(): string[] {
  return [...examples().values()].flat()
    .filter(d => [...ROLLED_OUT, 'Job', 'CronJob'].includes(d.kind))
    .map(d => `${d.kind.toLowerCase()}/${d.metadata.name}`);
}

/** Waits for `kind/name` to run: rolled out, or (a Job, a CronJob's Job) complete. */
async function runOf(cluster: Cluster, ns: string, workload: string): Promise<string> {
  const [kind, name] = workload.split('/');
  const timeout = '--timeout=300s';
  if (kind === 'cronjob') {
    // The job a schedule would make, now: the template exactly as the CronJob holds it.
    const job = `${name.slice(0, 52)}-manual`;
    await cluster.kubectl(['create', 'job', '-n', ns, `--from=cronjob/${name}`, job]);
    return cluster.kubectl(['wait', '-n', ns, '--for=condition=complete', `job/${job}`, timeout], { timeoutMs: 310_000 });
  }
  if (kind === 'job') {
    return cluster.kubectl(['wait', '-n', ns, '--for=condition=complete', workload, timeout], { timeoutMs: 310_000 });
  }
  return cluster.kubectl(['rollout', 'status', '-n', ns, workload, timeout], { timeoutMs: 310_000 });
}

describeEachCluster('examples/dist/ applied with kubectl', (version, cluster) => {
  let ns: string;
  let dir: string;
  beforeAll(async () => {
    ns = await cluster().newNamespace('examples');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
  }, 120_000);
  afterAll(async () => {
    if (ns) await cluster().deleteNamespace(ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 200_000);

  test(`GIVEN a registered ${version} kubelet WHEN the cluster runs THEN its Node is Ready, of that version, and namespaces get the root CA`, async () => {
    // WHEN
    const node = JSON.parse(await cluster().kubectl(['get', 'node', cluster().nodeName, '-o', 'json']));
    const rootCa = JSON.parse(await cluster().kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', ns, '-o', 'json']));

    // THEN
    expect({
      kubelet: node.status.nodeInfo.kubeletVersion,
      ready: node.status.conditions.find((c: any) => c.type === 'Ready')?.status,
      address: node.status.addresses.find((a: any) => a.type === 'InternalIP')?.address,
    }).toEqual({ kubelet: `v${version}`, ready: 'True', address: cluster().env.HOST_IP });
    expect(rootCa.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
  }, 60_000);

  test(`GIVEN examples/dist/ with stand-in images WHEN \`kubectl apply -f\` applies it on ${version} THEN every workload rolls out and every Job completes`, async () => {
    // GIVEN
    for (const [file, docs] of examples()) {
      fs.writeFileSync(path.join(dir, file), docs.map(d => stringify(playManifest(d))).join('---\n'));
    }
    const expected = workloads();
    expect(expected.length).toBeGreaterThan(0);

    // WHEN
    const started = Date.now();
    await cluster().kubectl(['apply', '-n', ns, '-f', dir]);
    const results = await Promise.allSettled(expected.map(w => runOf(cluster(), ns, w)));

    // THEN
    const failed = results.flatMap((r, i) => r.status === 'rejected' ? [`${expected[i]}: ${r.reason.message}`] : []);
    if (failed.length > 0) {
      const pods = await cluster().kubectl(['get', 'pods', '-n', ns, '-o', 'wide']).catch(e => e.message);
      const events = await cluster().kubectl(['get', 'events', '-n', ns, '--sort-by=.lastTimestamp']).catch(e => e.message);
      throw new Error(`on ${version}:\n${failed.join('\n')}\n\npods:\n${pods}\nevents:\n${events}`);
    }
    console.log(`cluster ${version}: ${expected.join(', ')} ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Pods with a service-account token (those that do not opt out) got a real one.
    const pods = JSON.parse(await cluster().kubectl(['get', 'pods', '-n', ns, '-o', 'json'])).items;
    const tokened = pods.filter((p: any) => p.spec.automountServiceAccountToken !== false);
    expect(tokened.length).toBeGreaterThan(0);
    for (const pod of tokened) {
      expect({ pod: pod.metadata.name, token: pod.spec.volumes.some((v: any) => v.projected?.sources?.some((s: any) => s.serviceAccountToken)) })
        .toEqual({ pod: pod.metadata.name, token: true });
    }
  }, 600_000);
});
