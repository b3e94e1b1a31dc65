/**
 * Runs the CLI in-process, as the tests of its formats and options need it:
 * manifests, temporary directories (removed after the tests) and standard
 * input in chunks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../src/cli/main';

export const NATIVE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: myapp
spec:
  selector: {}
  template:
    spec:
      initContainers:
        - name: nginx
          image: nginx
          restartPolicy: Always
          startupProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 }
      containers:
        - name: app
          image: app
`;
export const UNGATED = `apiVersion: v1
kind: Pod
metadata:
  name: blog-post
  namespace: demo
spec:
  initContainers:
    - name: proxy
      image: envoy
      restartPolicy: Always
      readinessProbe: { httpGet: { path: /ready, port: 9901 } }
  containers:
    - name: app
      image: app
`;
/** Istio without holdApplicationUntilProxyStarts: the proxy after the app, found by its name. */
export const ISTIO_LAST = `apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
    - name: hello
      image: hello
    - name: istio-proxy
      image: docker.io/istio/proxyv2:1.22.0
      readinessProbe: { httpGet: { path: /healthz/ready, port: 15021 } }
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

/** Writes files into a fresh directory (removed after the tests); returns its path. */
export function tree(files: { [name: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Standard input in chunks of `size` characters, to split lines and markers anywhere. */
async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) {
    yield text.slice(i, i + size);
  }
}

/**
 * Runs `sidecar-first ARGV` with `stdin` in chunks of `chunkSize`, in working directory `cwd`.
 */
export async function run(argv: string[], stdin = '', chunkSize = 65536, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: t => (stdout += t), stderr: t => (stderr += t), stdin: () => chunked(stdin, chunkSize), ...(cwd ? { cwd } : {}) };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

