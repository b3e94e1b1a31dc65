/**
 * Runs generated postStart wait hooks with real shells and real tools, against
 * local servers, as the kubelet would exec them inside a sidecar.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Finds a program on the machine's PATH. */
export function which(program: string): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'which', program], { encoding: 'utf8' }).stdout.trim();
  return found.startsWith('/') ? fs.realpathSync(found) : undefined;
}

export const BUSYBOX = which('busybox');

/** Shells the hooks must work with; busybox sh where this machine has it. */
export const SHELLS: Array<[name: string, argv0: string[]]> = [
  ['dash', [which('dash')!]],
  ['bash', [which('bash')!]],
  ...(BUSYBOX ? [['busybox sh', [BUSYBOX, 'sh']] as [string, string[]]] : []),
];

/**
 * A directory to use as PATH, holding only the given programs (name -> file),
 * so a test decides exactly which tools the "image" has.
 */
export function toolbox(tools: { [name: string]: string | undefined }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-tools-'));
  for (const [name, target] of Object.entries(tools)) {
    if (target) {
      fs.symlinkSync(target, path.join(dir, name));
    }
  }
  return dir;
}

export interface HookRun {
  readonly code: number | null;
  /** The signal that ended the hook, if one did (it never should). */
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** When the hook process exited, ms since the epoch. */
  readonly exitedAt: number;
  readonly startedAt: number;
}

/**
 * Runs `command` (a postStart exec command as synthesized) with `shell`
 * standing in for its `/bin/sh`, and PATH set to `pathDir` only.
 */
export function runHook(command: string[], shell: string[], pathDir: string): Promise<HookRun> {
  const [sh, ...rest] = command;
  if (sh !== '/bin/sh') {
    throw new Error(`expected a /bin/sh hook, got ${sh}`);
  }
  return runArgv([...shell, ...rest], pathDir);
}

/** Runs an argv with PATH set to `pathDir` only. */
export function runArgv(argv: string[], pathDir: string): Promise<HookRun> {
  const startedAt = Date.now();
  const child = spawn(argv[0], argv.slice(1), { env: { PATH: pathDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', chunk => (stderr += chunk));
  // The hook returns at 'exit', as the kubelet sees it; its stderr is complete at 'close'.
  let exited: { code: number | null; signal: NodeJS.Signals | null; exitedAt: number };
  child.on('exit', (code, signal) => (exited = { code, signal, exitedAt: Date.now() }));
  return new Promise(resolve => child.on('close', () => resolve({ ...exited, stderr, startedAt })));
}

/** What an HTTP server saw of one request. */
export interface SeenRequest {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** An HTTP server on loopback that answers 503 until `ready()`, then 200. */
export class ReadinessServer {
  public static async start(options: { hang?: boolean } = {}): Promise<ReadinessServer> {
    const server = new ReadinessServer(options.hang ?? false);
    await new Promise<void>(resolve => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  public readonly requests: SeenRequest[] = [];
  public readyAt?: number;
  private readonly server: http.Server;

  private constructor(hang: boolean) {
    this.server = http.createServer((req, res) => {
      this.requests.push({ url: req.url!, headers: req.headers });
      if (hang) {
        return; // accepts, never answers: each attempt must be bounded
      }
      res.writeHead(this.readyAt !== undefined ? 200 : 503).end();
    });
  }

  public get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  public ready(): void {
    this.readyAt = Date.now();
  }

  public close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise(resolve => this.server.close(() => resolve()));
  }
}

/** A TCP port that refuses connections until `ready()` starts listening on it. */
export class TcpPort {
  public static async reserve(): Promise<TcpPort> {
    const probe = net.createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise(resolve => probe.close(resolve));
    return new TcpPort(port);
  }

  public readyAt?: number;
  private server?: net.Server;

  private constructor(public readonly port: number) {}

  public async ready(): Promise<void> {
    this.server = net.createServer(socket => socket.on('error', () => undefined));
    await new Promise<void>(resolve => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.readyAt = Date.now();
  }

  public close(): Promise<void> {
    return new Promise(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
