/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Real single-node Kubernetes clusters for the tests (test/cluster/cluster.sh): etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler and a kubelet registered with
 * them, on containerd with a CNI bridge, all of one release. ONE CLUSTER PER VERSION PER
 * TEST RUN, shared by every test file that asks for it: the first asks starts it (about
 * 15-25 s warm), the others reuse it, and the run's globalTeardown stops it
 * (./global-teardown.ts -> stopClusters()). A run that never asks starts none.
 *
 * ```ts
 * import { describeEachCluster } from '../support/cluster';
 * import { playManifest } from '../support/standin-pods';
 *
 * describeEachCluster('my workloads', (version, cluster) => {
 *   let ns: string;
 *   beforeAll(async () => { ns = await cluster().newNamespace('mine'); }, 60_000);
 *   afterAll(async () => { await cluster().deleteNamespace(ns); }, 180_000);
 *   test('rolls out', async () => {
 *     await cluster().kubectl(['apply', '-n', ns, '-f', dirOfPlayedManifests]);
 *     await cluster().kubectl(['rollout', 'status', '-n', ns, 'deployment/web', '--timeout=300s']);
 *     const pods = JSON.parse(await cluster().kubectl(['get', 'pods', '-n', ns, '-o', 'json']));
 *   }, 600_000);
 * });
 * ```
 *
 * - `describeEachCluster(title, body, versions?)`: one `describe` per CLUSTER_VERSIONS
 *   entry (1.37.2, 1.30.14; those of SIDECAR_FIRST_KUBELET_VERSIONS if set, and those
 *   `versions` keeps) whose beforeAll gets the shared cluster; without
 *   the prerequisites a printed skip, under CI=true an error (as describeEachKubelet).
 * - `sharedCluster(version)`: the same, for any other arrangement.
 * - A Cluster: `kubectl(args, {input?, timeoutMs?})` runs the installed kubectl of the
 *   nearest minor version (kubectl.1.33 for 1.37) as the cluster's admin and resolves to
 *   its stdout (rejects with its stderr); `watch(args, file)` one that runs until stopped
 *   (`get pods --watch -o json`), its output in a file; `newNamespace(prefix)` makes a namespace of
 *   your own, its default ServiceAccount ready; `deleteNamespace(name)` removes it and
 *   waits for its pods to go (do it: every test file shares the 2-core node).
 * - Images: the node's containerd holds only the stand-in images (./standin-pods.ts:
 *   `playManifest(doc)` plays a synthesized document); nothing is ever pulled.
 * - What the cluster lacks: kube-proxy (Service ClusterIPs lead nowhere), cluster DNS,
 *   a route from pods to the API server; see docs/cluster-tests.md.
 * - The clusters live in the run's temporary directory (./global-setup.ts sets TMPDIR), so
 *   `jest` with this project's configuration is required (npm run test:node does it).
 */
import { execFile, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { API_SERVER_VERSIONS } from './api-servers';
import { nearestKubectl } from './kubectl-oracle';
import { cacheDir, kubeletVersions, missingPrerequisite as missingForNode } from './real-node';

const exec = promisify(execFile);
const CLUSTER_SH = path.join(__dirname, '..', 'cluster', 'cluster.sh');

/** The releases clusters run: the API server oracle's (./api-servers.ts), whose binaries .ci/run builds. */
export const CLUSTER_VERSIONS = API_SERVER_VERSIONS;

/** A running cluster; see the top of this file. */
export interface Cluster {
  /** The release of every component, e.g. 1.37.2. */
  readonly version: string;
  /** The directory that holds all of it (logs: DIR/kube-apiserver.log, DIR/node/kubelet.log, ...). */
  readonly dir: string;
  /** An admin's kubeconfig (O=system:masters). */
  readonly kubeconfig: string;
  /** The node's name (sfn-ID). */
  readonly nodeName: string;
  /** The kubectl `kubectl()` runs. */
  readonly kubectlPath: string;
  /** cluster.sh's NAME=VALUE settings: API_SERVER, BRIDGE, SUBNET, HOST_IP, CONTAINERD_SOCKET, ... */
  readonly env: { readonly [name: string]: string };
  /** Runs kubectl as the admin; resolves to stdout, rejects with stderr. @default timeoutMs 120_000 */
  kubectl(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<string>;
  /**
   * Starts a kubectl that runs until stopped (`get --watch`), its stdout written to `file`;
   * `stop()` ends it (SIGTERM) and resolves once its output is complete.
   */
  watch(args: string[], file: string): { stop(): Promise<void> };
  /** Creates a namespace named PREFIX-RANDOM and waits for its default ServiceAccount; resolves to its name. */
  newNamespace(prefix: string): Promise<string>;
  /** Deletes a namespace and waits until it (with its pods) is gone. */
  deleteNamespace(name: string): Promise<void>;
}

/** Why a cluster of `version` cannot run here, or undefined when it can (after prepare.sh). */
export function missingForCluster(version: string): string | undefined {
  const node = missingForNode(version);
  if (node) return node;
  const bin = path.join(cacheDir(), 'kubernetes', `v${version}`);
  for (const binary of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    if (!fs.existsSync(path.join(bin, binary))) return `no ${binary} ${version} in ${bin} (bash test/node/build-kubernetes.sh ${version})`;
  }
  for (const tool of ['etcd', 'openssl', 'curl']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `no ${tool}`;
    }
  }
  if (!nearestKubectl(minorOf(version))) return 'no kubectl (apt-get install kubectl)';
  return undefined;
}

/** The cluster of `version` this test run shares, started by the first caller. */
export async function sharedCluster(version: string): Promise<Cluster> {
  const run = fs.realpathSync(os.tmpdir());
  if (!/\/sidecar-first-test-[^/]*$/.test(run)) {
    throw new Error(`no test run directory (TMPDIR is ${run}): run jest with this project's configuration, whose globalSetup makes one`);
  }
  const dir = path.join(run, `sfn-cluster-${version}`);
  const failed = `${dir}.failed`;
  const ready = path.join(dir, 'ready');
  // One starter: mkdir is atomic; others wait for its `ready` (or `.failed`).
  let starter = false;
  try {
    fs.mkdirSync(dir);
    starter = true;
  } catch (e: any) {
    if (e.code !== 'EEXIST') throw e;
  }
  if (starter) {
    fs.writeFileSync(path.join(dir, 'owner.pid'), `${process.pid}\n`);
    const started = Date.now();
    try {
      await exec('bash', [CLUSTER_SH, 'start', dir, version], { maxBuffer: 16 * 1024 * 1024 });
    } catch (e: any) {
      fs.writeFileSync(failed, `${e.stderr ?? e.message}`);
      await exec('bash', [CLUSTER_SH, 'stop', dir]).catch(() => undefined);
      throw new Error(`cluster ${version} did not start:\n${e.stderr ?? e.message}`);
    }
    fs.writeFileSync(ready, `${Date.now() - started}\n`);
    console.log(`cluster ${version} started in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`);
  }
  for (const deadline = Date.now() + 600_000; !fs.existsSync(ready); await sleep(500)) {
    if (fs.existsSync(failed)) throw new Error(`cluster ${version} did not start:\n${fs.readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`cluster ${version} not ready after 600 s (${dir})`);
  }
  return clusterAt(dir, version);
}

function clusterAt(dir: string, version: string): Cluster {
  const env: { [name: string]: string } = Object.fromEntries(fs.readFileSync(path.join(dir, 'cluster.env'), 'utf8')
    .split('\n').filter(l => l.includes('=')).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const kubectlPath = nearestKubectl(minorOf(version))!;
  // kubectl as the admin, with nothing of this process's environment but PATH and HOME.
  const argv = (args: string[]) => ['--kubeconfig', env.KUBECONFIG, ...args];
  const kubectlEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  const kubectl = async (args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> => {
    const child = exec(kubectlPath, argv(args), { maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000, env: kubectlEnv });
    if (options.input !== undefined) child.child.stdin!.end(options.input);
    try {
      return (await child).stdout;
    } catch (e: any) {
      throw new Error(`kubectl ${args.join(' ')} (cluster ${version}): ${(e.stderr || e.message).trim()}`);
    }
  };
  const watch = (args: string[], file: string) => {
    const out = fs.openSync(file, 'w');
    const child = spawn(kubectlPath, argv(args), { stdio: ['ignore', out, 'inherit'], env: kubectlEnv });
    // A kubectl that could not start ends the watch too: its output stays empty, and the test says what it missed.
    const closed = new Promise<void>(resolve => {
      child.once('close', () => resolve());
      child.once('error', e => {
        console.error(`kubectl ${args.join(' ')} (cluster ${version}): ${e.message}`);
        resolve();
      });
    }).then(() => fs.closeSync(out));
    return {
      async stop() {
        child.kill('SIGTERM');
        await closed;
      },
    };
  };
  return {
    version,
    dir,
    kubeconfig: env.KUBECONFIG,
    nodeName: env.NODE_NAME,
    kubectlPath,
    env,
    kubectl,
    watch,
    async newNamespace(prefix: string): Promise<string> {
      const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
      await kubectl(['create', 'namespace', name]);
      // The ServiceAccount admission plugin rejects pods until the controller manager made it.
      for (const deadline = Date.now() + 60_000; ; await sleep(250)) {
        try {
          await kubectl(['get', 'serviceaccount', 'default', '-n', name]);
          return name;
        } catch (e) {
          if (Date.now() > deadline) throw e;
        }
      }
    },
    async deleteNamespace(name: string): Promise<void> {
      await kubectl(['delete', 'namespace', name, '--wait=true', '--timeout=170s'], { timeoutMs: 180_000 });
    },
  };
}

/** Stops every cluster of this test run (globalTeardown; at exit after a crash). */
export async function stopClusters(): Promise<void> {
  await Promise.all(runClusters().map(dir => exec('bash', [CLUSTER_SH, 'stop', dir], { maxBuffer: 16 * 1024 * 1024 })));
}

/** stopClusters, synchronously: for process.on('exit'). */
export function stopClustersSync(): void {
  for (const dir of runClusters()) {
    try {
      execFileSync('bash', [CLUSTER_SH, 'stop', dir], { stdio: 'inherit' });
    } catch {
      // Best effort at exit; `cluster.sh sweep` (test/node/prepare.sh runs it) stops it later.
    }
  }
}

function runClusters(): string[] {
  const run = os.tmpdir();
  if (!/\/sidecar-first-test-[^/]*$/.test(run) || !fs.existsSync(run)) return [];
  return fs.readdirSync(run).filter(f => f.startsWith('sfn-cluster-') && !f.endsWith('.failed')).map(f => path.join(run, f));
}

/**
 * One `describe` per cluster version (CLUSTER_VERSIONS among the node tests' kubeletVersions(),
 * narrowed by `versions`), its
 * beforeAll getting the shared cluster. Without the prerequisites the describes are
 * skipped with a printed reason; under CI=true that is an error.
 */
export function describeEachCluster(
  title: string,
  body: (version: string, cluster: () => Cluster) => void,
  versions: (v: string) => boolean = () => true,
): void {
  const chosen = CLUSTER_VERSIONS.filter(v => kubeletVersions().includes(v) && versions(v));
  if (chosen.length === 0) {
    // jest refuses a file without tests: say why there are none (a skip, so CI=true notices).
    describe.skip(title, () => test(`no cluster of ${CLUSTER_VERSIONS.join(', ')} among kubelets ${kubeletVersions().join(', ')}`, () => undefined));
  }
  for (const version of chosen) {
    const missing = missingForCluster(version);
    if (missing && process.env.CI === 'true') {
      throw new Error(`cluster tests cannot run under CI=true: ${missing}`);
    }
    if (missing) {
      console.log(`SKIP ${title} on cluster ${version}: ${missing}`);
      describe.skip(`${title} (cluster ${version})`, () => body(version, () => undefined as never));
      continue;
    }
    describe(`${title} (cluster ${version})`, () => {
      let cluster: Cluster | undefined;
      beforeAll(async () => {
        cluster = await sharedCluster(version);
      }, 600_000);
      body(version, () => cluster!);
    });
  }
}

function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
