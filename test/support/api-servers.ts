/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The real kube-apiservers every synthesized manifest is dry-run against
 * (./server-dry-run.ts): the newest release and an older one, built by
 * test/node/build-kubernetes.sh, each on its own etcd, started once per test
 * run by global-setup.ts (./api-server.sh) and stopped by global-teardown.ts.
 * Workers find them through environment variables set before they start.
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { homedir } from 'os';
import { dirname, join } from 'path';
import { nearestKubectl } from './kubectl-oracle';

/** The releases the servers run: the newest, and an older one (1.31.14 cannot be built: the module proxy refuses k8s.io/kube-scheduler v0.31.14). */
export const API_SERVER_VERSIONS = ['1.37.2', '1.30.14'];

export interface ApiServer {
  /** The release, e.g. 1.37.2. */
  readonly version: string;
  /** Its minor version, e.g. 1.37. */
  readonly minor: string;
  readonly kubeconfig: string;
  /** The installed kubectl of the nearest minor version (the newest packaged talks to newer servers). */
  readonly kubectl: string;
}

const envName = (version: string) => `SIDECAR_FIRST_APISERVER_${version.replace(/\./g, '_')}`;
const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

/** The audit log of a server (api-server.sh --audit-log): every Pod request, level Metadata. */
export function auditLogOf(server: ApiServer): string {
  return join(dirname(server.kubeconfig), 'audit.log');
}

/** The servers this run started (in a worker: from the variables global-setup.ts set). */
export function runningApiServers(): ApiServer[] {
  return API_SERVER_VERSIONS.filter(v => process.env[envName(v)]).map(version => ({
    version,
    minor: minorOf(version),
    kubeconfig: process.env[envName(version)]!,
    kubectl: nearestKubectl(minorOf(version))!,
  }));
}

/** Why the servers cannot run here, if they cannot. */
export function missingForApiServers(): string | undefined {
  const cache = process.env.SIDECAR_FIRST_CACHE ?? join(homedir(), '.cache', 'sidecar-first');
  const unbuilt = API_SERVER_VERSIONS.filter(v => !existsSync(join(cache, 'kubernetes', `v${v}`, 'kube-apiserver')));
  if (unbuilt.length > 0) {
    return `kube-apiserver ${unbuilt.join(', ')} not built (needs Go: bash test/node/build-kubernetes.sh VERSION, 4-8 min each with empty Go caches)`;
  }
  const path = (process.env.PATH ?? '').split(':');
  if (!path.some(dir => existsSync(join(dir, 'etcd')))) {
    return 'no etcd (apt-get install etcd-server)';
  }
  const noKubectl = API_SERVER_VERSIONS.find(v => !nearestKubectl(minorOf(v)));
  if (noKubectl) {
    return `no kubectl for kube-apiserver ${noKubectl} (apt-get install kubectl)`;
  }
  return undefined;
}

/** The scripts this process started; on globalThis, which global-setup.ts and global-teardown.ts share. */
const started: ChildProcess[] = ((globalThis as any).sidecarFirstApiServers ??= []);

/** Starts every server (in parallel) and publishes its kubeconfig to the workers. */
export async function startApiServers(): Promise<void> {
  await Promise.all(API_SERVER_VERSIONS.map(async version => {
    process.env[envName(version)] = await startApiServer(version);
  }));
}

function startApiServer(version: string): Promise<string> {
  const script = join(__dirname, 'api-server.sh');
  // The audit log: test/admission-policy-server.test.ts reads the admission policy's Audit annotations from it.
  const child = spawn('bash', [script, version, '--audit-log'], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', chunk => {
      stdout += chunk;
      const ready = /^ready (.*)$/m.exec(stdout);
      if (ready) {
        resolve(ready[1]);
      }
    });
    child.stderr!.on('data', chunk => {
      stderr += chunk;
    });
    child.on('exit', code => reject(new Error(`kube-apiserver ${version} exited (${code}):\n${stderr}`)));
  });
}

/** Stops every server this process started; each removes its own files. */
export async function stopApiServers(): Promise<void> {
  await Promise.all(started.splice(0).map(child => new Promise<void>(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  })));
}
