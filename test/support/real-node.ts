/**
 * A real Kubernetes node for tests: containerd + a standalone kubelet of a given
 * version (test/node/node.sh), running pods side by side and reporting, per
 * container, when it started, became ready, got SIGTERM and exited, and the
 * kubelet's own status.
 *
 * ```ts
 * const node = await RealNode.start('1.37.2');      // needs `bash test/node/prepare.sh` first
 * try {
 *   const [pod] = await node.run([{ name: 'web', spec }], {
 *     until: p => p.containers.app?.starts.length > 0,  // or completed(), ...
 *     timeoutMs: 60_000,
 *   });
 *   pod.containers.app.starts[0] - pod.containers.proxy.readies[0]; // ms, sub-ms resolution
 * } finally {
 *   await node.stop();                               // removes every trace of the node
 * }
 * ```
 *
 * - `spec` is a pod spec as synthesized (e.g. `podSpecOf(doc)`); `run` makes a static pod
 *   of it in its own namespace, with images `sidecar-first.test/standin:1` (STANDIN_IMAGE)
 *   and pull policy IfNotPresent; `resources` are dropped (cdk8s-plus requests 1 CPU per
 *   container, which would keep all but one pod off a 2-core node).
 * - Every container gets a hostPath volume at /stamps and `STANDIN_NAME=<its name>`
 *   (./stamps.ts): the stand-in (test/node/standin, `standinArgs()`) appends CLOCK_MONOTONIC
 *   stamps to /stamps/NAME.{start,ready,term,exit}, the host's clock too. Times in the outcome are ms
 *   since the pod's manifest was written. A container that is not the stand-in can write
 *   them too (`cat /proc/uptime` is the same clock at 10 ms).
 * - `run` returns once every pod meets `until` (or at `timeoutMs`, with `timedOut`), takes
 *   the kubelet's status (read-only port, `/pods`), removes the pods, waits until their
 *   containers are gone, and reads the stamps again (so `terms`/`exits` show shutdown).
 * - One `run` at a time per node; the pods of one `run` start together.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { readStamps, withStamps } from './stamps';
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';

const exec = promisify(execFile);
const NODE_DIR = path.join(__dirname, '..', 'node');

/** The stand-in image (busybox + /bin/standin + /bin/grpc_health_probe, user 65532). */
export const STANDIN_IMAGE = 'sidecar-first.test/standin:1';

/** Where prepare.sh leaves its builds. */
export function cacheDir(): string {
  return process.env.SIDECAR_FIRST_CACHE ?? path.join(os.homedir(), '.cache', 'sidecar-first');
}

/** The kubelet versions the node tests run on: SIDECAR_FIRST_KUBELET_VERSIONS, else test/node/kubelet-versions.txt. */
export function kubeletVersions(): string[] {
  const list = process.env.SIDECAR_FIRST_KUBELET_VERSIONS ?? fs.readFileSync(path.join(NODE_DIR, 'kubelet-versions.txt'), 'utf8');
  return list.split(/\s+/).filter(v => v !== '');
}

/** Why the node tests cannot run here, or undefined when they can (after prepare.sh). */
export function missingPrerequisite(version: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const kubelet = kubeletPath(version);
  if (!fs.existsSync(kubelet)) return `no kubelet ${version} at ${kubelet} (run test/node/prepare.sh)`;
  if (!fs.existsSync(imagesPath())) return `no stand-in images at ${imagesPath()} (run test/node/prepare.sh)`;
  for (const tool of ['containerd', 'runc', 'ctr']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `no ${tool} (run test/node/prepare.sh)`;
    }
  }
  return undefined;
}

function kubeletPath(version: string): string {
  return path.join(cacheDir(), 'kubernetes', `v${version.replace(/^v/, '')}`, 'kubelet');
}

function imagesPath(): string {
  return path.join(cacheDir(), 'node', 'images.tar');
}

/** What the stand-in does (test/node/standin/main.go). */
export interface StandinOptions {
  /** Serve HTTP here: 503 before ready, 200 after. */
  readonly http?: number;
  /** Open this TCP port once ready. */
  readonly tcp?: number;
  /** Serve gRPC health here: NOT_SERVING before ready, SERVING after. */
  readonly grpc?: number;
  /** Become ready after this many ms, or never. @default 0 */
  readonly readyAfterMs?: number | 'never';
  /** Create this file when ready (for command checks). */
  readonly readyFile?: string;
  /** Exit after this many ms (a Job's app). */
  readonly exitAfterMs?: number;
  /** Exit code with exitAfterMs. @default 0 */
  readonly exitCode?: number;
  /** On SIGTERM, wait this many ms before exiting. */
  readonly termDelayMs?: number;
  /** Exit 0 once this file exists (e.g. `/stamps/app.exit`: a legacy sidecar told by a Job's app that it is done). */
  readonly exitWhen?: string;
}

/** The stand-in's arguments (its image's entrypoint is /bin/standin). */
export function standinArgs(options: StandinOptions = {}): string[] {
  const args: string[] = [];
  if (options.http !== undefined) args.push(`-http=${options.http}`);
  if (options.tcp !== undefined) args.push(`-tcp=${options.tcp}`);
  if (options.grpc !== undefined) args.push(`-grpc=${options.grpc}`);
  if (options.readyAfterMs !== undefined) args.push(`-ready-after=${options.readyAfterMs === 'never' ? 'never' : `${options.readyAfterMs}ms`}`);
  if (options.readyFile !== undefined) args.push(`-ready-file=${options.readyFile}`);
  if (options.exitAfterMs !== undefined) args.push(`-exit-after=${options.exitAfterMs}ms`);
  if (options.exitCode !== undefined) args.push(`-exit-code=${options.exitCode}`);
  if (options.termDelayMs !== undefined) args.push(`-term-delay=${options.termDelayMs}ms`);
  if (options.exitWhen !== undefined) args.push(`-exit-when=${options.exitWhen}`);
  return args;
}

/** One container as the kubelet reported it (`/pods`), plus the stamps it wrote. */
export interface ContainerOutcome {
  readonly init: boolean;
  /** ms since the manifest was written, one entry per occurrence (a restart adds one). */
  readonly starts: number[];
  readonly readies: number[];
  readonly terms: number[];
  readonly exits: number[];
  /** The kubelet's ContainerStatus (state, lastState, ready, started, restartCount), if any. */
  readonly status?: any;
}

/** One pod of a run. */
export interface PodOutcome {
  readonly name: string;
  /** The static pod's name on the node (name-NODENAME). */
  readonly podName: string;
  readonly timedOut: boolean;
  /** The kubelet's pod status when the run ended (phase, conditions, ...). */
  readonly status?: any;
  readonly containers: { [name: string]: ContainerOutcome };
}

/** A pod to run. */
export interface PodRun {
  /** Unique within the node's life; [a-z0-9-]. */
  readonly name: string;
  readonly spec: ManifestPodSpec;
  /** Done when this holds (checked every 200 ms); overrides the run's. */
  readonly until?: (pod: PodOutcome) => boolean;
}

export interface RunOptions {
  /** Done when this holds for a pod. @default every regular container started */
  readonly until?: (pod: PodOutcome) => boolean;
  readonly timeoutMs: number;
}

/** Every regular container of the pod has a start stamp. */
export function appsStarted(pod: PodOutcome): boolean {
  const apps = Object.values(pod.containers).filter(c => !c.init);
  return apps.length > 0 && apps.every(c => c.starts.length > 0);
}

/** The pod's phase is Succeeded or Failed. */
export function completed(pod: PodOutcome): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export class RealNode {
  /** Starts containerd and the kubelet of `version` under a fresh temporary directory. */
  public static async start(version: string): Promise<RealNode> {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'sfn-node-'));
    // `node.sh sweep` stops the node if this process dies without stopping it.
    fs.writeFileSync(path.join(dir, 'owner.pid'), `${process.pid}\n`);
    const node = new RealNode(version, dir);
    RealNode.live.add(node);
    try {
      const { stdout } = await exec('bash', [path.join(NODE_DIR, 'node.sh'), 'start', dir, kubeletPath(version), imagesPath()], { maxBuffer: 16 * 1024 * 1024 });
      node.env = Object.fromEntries(stdout.split('\n').filter(l => l.includes('=')).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    } catch (e) {
      await node.stop();
      throw e;
    }
    return node;
  }

  /** Nodes not yet stopped: stopped on process exit and on SIGINT/SIGTERM. */
  private static readonly live = new Set<RealNode>();
  private static hooked = false;

  /** NAME=VALUE settings of node.sh (NAMESPACE, NODE_NAME, SUBNET, KUBELET_READ_ONLY_PORT, ...). */
  public env: { [key: string]: string } = {};
  private readonly written = new Map<string, bigint>();
  private stopped = false;

  private constructor(public readonly version: string, public readonly dir: string) {
    if (!RealNode.hooked) {
      RealNode.hooked = true;
      const stopAll = () => {
        for (const node of RealNode.live) node.stopSync();
      };
      process.once('exit', stopAll);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          stopAll();
          process.exit(130);
        });
      }
    }
  }

  /** The kubelet's log so far (for a failing test's message). */
  public kubeletLog(): string {
    return fs.readFileSync(path.join(this.dir, 'kubelet.log'), 'utf8');
  }

  /** Runs `pods` side by side; see the top of this file. */
  public async run(pods: PodRun[], options: RunOptions): Promise<PodOutcome[]> {
    const namespace = this.env.NAMESPACE;
    for (const pod of pods) {
      if (this.written.has(pod.name)) throw new Error(`pod name ${pod.name} already used on this node`);
      const stamps = path.join(this.env.STAMPS, pod.name);
      const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod.name, namespace }, spec: staticSpec(pod.spec, stamps) };
      const file = path.join(this.env.MANIFESTS, `${pod.name}.yaml`);
      fs.writeFileSync(path.join(this.env.MANIFESTS, `.${pod.name}.tmp`), JSON.stringify(manifest, undefined, 1));
      this.written.set(pod.name, process.hrtime.bigint());
      fs.renameSync(path.join(this.env.MANIFESTS, `.${pod.name}.tmp`), file);
    }
    const deadline = Date.now() + options.timeoutMs;
    let outcomes: PodOutcome[];
    for (;;) {
      const statuses = await this.podStatuses();
      outcomes = pods.map(pod => this.outcome(pod, statuses, false));
      const done = outcomes.map((o, i) => (pods[i].until ?? options.until ?? appsStarted)(o));
      if (done.every(d => d)) break;
      if (Date.now() > deadline) {
        outcomes = outcomes.map((o, i) => ({ ...o, timedOut: !done[i] }));
        break;
      }
      await sleep(200);
    }
    for (const pod of pods) fs.rmSync(path.join(this.env.MANIFESTS, `${pod.name}.yaml`));
    await this.waitForNoContainers(120_000);
    // Stamps again, for shutdown; the status is the one from before the removal.
    return outcomes.map((o, i) => this.outcome(pods[i], new Map([[o.podName, o.status]]), o.timedOut));
  }

  /** Stops the node and removes everything it made (node.sh stop). */
  public async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    RealNode.live.delete(this);
    await exec('bash', [path.join(NODE_DIR, 'node.sh'), 'stop', this.dir], { maxBuffer: 16 * 1024 * 1024 });
  }

  private stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    RealNode.live.delete(this);
    try {
      execFileSync('bash', [path.join(NODE_DIR, 'node.sh'), 'stop', this.dir], { stdio: 'inherit' });
    } catch {
      // Best effort at exit; node.sh stop DIR can be run again by hand.
    }
  }

  private outcome(pod: PodRun, pods: Map<string, any>, timedOut: boolean): PodOutcome {
    const podName = `${pod.name}-${this.env.NODE_NAME}`;
    const status = pods.get(podName);
    const t0 = this.written.get(pod.name)!;
    const stampDir = path.join(this.env.STAMPS, pod.name);
    const containers: { [name: string]: ContainerOutcome } = {};
    const statuses = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
    const statusOf = (name: string) => statuses.find((s: any) => s.name === name);
    for (const [list, init] of [[pod.spec.initContainers ?? [], true], [pod.spec.containers, false]] as const) {
      for (const c of list) {
        const stamps = readStamps(stampDir, c.name, t0);
        containers[c.name] = { init, starts: stamps.start, readies: stamps.ready, terms: stamps.term, exits: stamps.exit, status: statusOf(c.name) };
      }
    }
    return { name: pod.name, podName, timedOut, status, containers };
  }

  /** The kubelet's pods by name, from its read-only port. */
  private async podStatuses(): Promise<Map<string, any>> {
    const body = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: Number(this.env.KUBELET_READ_ONLY_PORT), path: '/pods' }, res => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', chunk => data += chunk);
        res.on('end', () => resolve(data));
      }).on('error', reject);
    });
    const list = JSON.parse(body);
    return new Map((list.items ?? []).map((p: any) => [p.metadata.name, p.status]));
  }

  private async waitForNoContainers(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await exec('ctr', ['-a', this.env.CONTAINERD_SOCKET, '-n', 'k8s.io', 'tasks', 'ls']);
      const running = stdout.split('\n').slice(1).filter(l => /\bRUNNING\b/.test(l));
      if (running.length === 0) return;
      if (Date.now() > deadline) throw new Error(`containers still running ${timeoutMs} ms after their pods were removed:\n${stdout}`);
      await sleep(250);
    }
  }
}

/** The pod spec as a static pod on this node: local images, no resources, the stamps volume. */
function staticSpec(spec: ManifestPodSpec, stamps: string): ManifestPodSpec {
  const container = (c: any) => ({ ...c, imagePullPolicy: 'IfNotPresent', resources: undefined });
  const local = { ...spec, initContainers: spec.initContainers?.map(container), containers: spec.containers.map(container) };
  return withStamps(local, stamps);
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * One `describe` per kubelet version (kubeletVersions()), each with its own node,
 * started before its tests and stopped after them. Without the prerequisites the
 * describes are skipped with a printed reason; under CI=true that is an error.
 * `versions` narrows the list (e.g. to kubelets with native sidecars).
 */
export function describeEachKubelet(
  title: string,
  body: (version: string, node: () => RealNode) => void,
  versions: (v: string) => boolean = () => true,
): void {
  const chosen = kubeletVersions().filter(versions);
  if (chosen.length === 0) {
    // jest refuses a file without tests: say why there are none (a skip, so CI=true notices).
    describe.skip(title, () => test(`no kubelet of ${kubeletVersions().join(', ')} fits`, () => undefined));
  }
  for (const version of chosen) {
    const missing = missingPrerequisite(version);
    if (missing && process.env.CI === 'true') {
      throw new Error(`real-node tests cannot run under CI=true: ${missing}`);
    }
    if (missing) {
      console.log(`SKIP ${title} on kubelet ${version}: ${missing}`);
      describe.skip(`${title} (kubelet ${version})`, () => body(version, () => undefined as never));
      continue;
    }
    describe(`${title} (kubelet ${version})`, () => {
      let node: RealNode | undefined;
      beforeAll(async () => {
        node = await RealNode.start(version);
      }, 180_000);
      afterAll(async () => {
        await node?.stop();
      }, 180_000);
      body(version, () => node!);
    });
  }
}

/** The minor version of `version` ('1.31.14' -> 31). */
export function minorOf(version: string): number {
  return Number(version.replace(/^v/, '').split('.')[1]);
}
