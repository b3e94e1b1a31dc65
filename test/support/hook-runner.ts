/**
 * Runs generated postStart wait hooks with real shells and real tools, against
 * local servers, as the kubelet would exec them inside a sidecar: where this
 * machine allows it (root, `unshare`), in a PID namespace of their own whose
 * PID 1 never reaps, like most sidecars' PID 1, so leftover processes and
 * zombies can be counted.
 */
import { ChildProcess, fork, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { decodeWaitHook, encodeWaitHook } from '../../src/private/compiler/hook-arguments';

/** Finds a program (a file, not a shell builtin) on the machine's PATH. */
export function which(program: string): string | undefined {
  const found = (process.env.PATH ?? '').split(':').map(dir => path.join(dir, program)).find(file => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
  return found && fs.realpathSync(found);
}

export const BUSYBOX = which('busybox');

/** Every temporary file of the hook runs; `removeHookFiles()` in afterAll. */
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-hooks-'));
let files = 0;
export function hookFile(name: string): string {
  return path.join(ROOT, `${++files}-${name}`);
}
export function removeHookFiles(): void {
  fs.rmSync(ROOT, { recursive: true, force: true, maxRetries: 5 });
}

/**
 * The shells a sidecar image's /bin/sh may be (Debian packages them all),
 * each run through a link named `sh`, as the kubelet runs /bin/sh: bash, zsh,
 * mksh and yash then take their POSIX (sh) modes, busybox its sh applet.
 */
export const SHELLS: Array<[name: string, argv0: string[]]> = ([
  ['dash', 'dash'], ['bash', 'bash'], ['busybox sh', 'busybox'], ['mksh', 'mksh'],
  ['posh', 'posh'], ['yash', 'yash'], ['zsh', 'zsh'], ['ksh93', 'ksh93'],
] as const).flatMap(([name, program]) => {
  const binary = which(program);
  if (!binary) {
    return [];
  }
  const dir = hookFile(program);
  fs.mkdirSync(dir);
  fs.symlinkSync(binary, path.join(dir, 'sh'));
  return [[name, [path.join(dir, 'sh')]] as [string, string[]]];
});
export const ALL_SHELLS = ['dash', 'bash', 'busybox sh', 'mksh', 'posh', 'yash', 'zsh', 'ksh93'];

/**
 * A directory to use as PATH, holding only the given programs (name -> file),
 * so a test decides exactly which tools the "image" has. posh has no kill
 * builtin: images with posh as sh have procps' kill, so every toolbox does.
 */
export function toolbox(tools: { [name: string]: string | undefined }): string {
  const dir = hookFile('tools');
  fs.mkdirSync(dir);
  for (const [name, target] of Object.entries({ kill: which('kill') ?? BUSYBOX, ...tools })) {
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
  /** What the hook wrote to the container's terminationMessagePath ('' for nothing). */
  readonly message: string;
  /** In a PID namespace: what the hook wrote to its PID 1's stderr (the container's log). */
  readonly containerStderr?: string;
  /** In a PID namespace: processes other than PID 1 left after the hook exited, and how many are zombies. */
  readonly leftovers?: { readonly processes: number; readonly zombies: number };
}

/** Whether hooks run in PID namespaces of their own here (root and a working `unshare`). */
export const PID_NAMESPACES = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0
  && which('nsenter') !== undefined;

const SLEEP = which('sleep')!;
const NSENTER = which('nsenter');

/**
 * Runs `command` (a postStart exec command as synthesized) with `shell`
 * standing in for its `/bin/sh`, PATH set to `pathDir` only, `env` added,
 * and its terminationMessagePath moved to a file of its own.
 */
export function runHook(command: string[], shell: string[], pathDir: string, env: { [name: string]: string } = {}): Promise<HookRun> {
  const args = decodeWaitHook(command);
  if (command[0] !== '/bin/sh' || !args) {
    throw new Error(`expected a /bin/sh wait hook, got ${command.slice(0, 2).join(' ')}`);
  }
  const messagePath = hookFile('termination-log');
  return runArgv([...shell, ...encodeWaitHook({ ...args, terminationMessagePath: messagePath }).slice(1)], pathDir, env, messagePath);
}

/** Runs an argv with PATH set to `pathDir` only, in a PID namespace of its own where possible. */
export async function runArgv(argv: string[], pathDir: string, env: { [name: string]: string } = {}, messagePath?: string): Promise<HookRun> {
  const pod = PID_NAMESPACES ? await PodNamespace.start() : undefined;
  try {
    const startedAt = Date.now();
    const child = pod
      ? spawn(NSENTER!, ['-t', String(pod.pid1), '-p', '-m', '--', ...argv], { env: { PATH: pathDir, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(argv[0], argv.slice(1), { env: { PATH: pathDir, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const { code, signal, exitedAt, stderr } = await exited(child);
    const message = messagePath && fs.existsSync(messagePath) ? fs.readFileSync(messagePath, 'utf8') : '';
    return {
      code,
      signal,
      exitedAt,
      startedAt,
      stderr,
      message,
      ...(pod ? { leftovers: await pod.leftovers(), containerStderr: pod.stderr } : {}),
    };
  } finally {
    await pod?.stop();
  }
}

function exited(child: ChildProcess) {
  let stderr = '';
  child.stderr!.on('data', chunk => (stderr += chunk));
  // The hook returns at 'exit', as the kubelet sees it; its stderr is complete at 'close'.
  let exit: { code: number | null; signal: NodeJS.Signals | null; exitedAt: number };
  child.on('exit', (code, signal) => (exit = { code, signal, exitedAt: Date.now() }));
  return new Promise<typeof exit & { stderr: string }>(resolve => child.on('close', () => resolve({ ...exit, stderr })));
}

/** A PID namespace whose PID 1 (`sleep infinity`) never reaps: a sidecar's, as far as the hook can tell. */
class PodNamespace {
  public static async start(): Promise<PodNamespace> {
    // PID 1's stderr is a file: node's pipes are sockets, which /proc/1/fd/2 cannot open (a container's stdio are pipes).
    const log = hookFile('container-log');
    const fd = fs.openSync(log, 'w');
    const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', SLEEP, 'infinity'], { stdio: ['ignore', 'ignore', fd] });
    fs.closeSync(fd);
    const pod = new PodNamespace(unshare, log);
    for (let tries = 0; pod.pid1 === 0 && tries < 200; tries++) {
      await sleep(5);
      const children = readOr(`/proc/${unshare.pid}/task/${unshare.pid}/children`).trim();
      const pid1 = Number(children.split(' ')[0]);
      // PID 1 is ready once it is `sleep` in its own /proc (the fork runs unshare's code first).
      if (pid1 > 0 && readOr(`/proc/${pid1}/comm`).trim() === 'sleep') {
        pod.pid1 = pid1;
      }
    }
    if (pod.pid1 === 0) {
      throw new Error('the PID namespace did not start');
    }
    return pod;
  }

  public pid1 = 0;
  private readonly closed: Promise<void>;

  private constructor(unshare: ChildProcess, private readonly log: string) {
    this.closed = new Promise(resolve => unshare.on('close', () => resolve()));
  }

  /** What was written to PID 1's stderr. */
  public get stderr(): string {
    return fs.readFileSync(this.log, 'utf8');
  }

  /** Processes in the namespace but its PID 1, once stragglers had 100 ms to end. */
  public async leftovers(): Promise<{ processes: number; zombies: number }> {
    await sleep(100);
    const ns = fs.readlinkSync(`/proc/${this.pid1}/ns/pid`);
    const pids = fs.readdirSync('/proc').filter(pid => /^\d+$/.test(pid) && Number(pid) !== this.pid1 && readLink(`/proc/${pid}/ns/pid`) === ns);
    const states = pids.map(pid => /\) (\w) /.exec(readOr(`/proc/${pid}/stat`))?.[1]);
    return { processes: pids.length, zombies: states.filter(state => state === 'Z').length };
  }

  public async stop(): Promise<void> {
    process.kill(this.pid1, 'SIGKILL');
    await this.closed;
  }
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}

/** What an HTTP server saw of one request. */
export interface SeenRequest {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** How a test server answers. */
export type Behaviour =
  /** 503 until `ready()`, then 200. */
  | 'normal'
  /** Accepts, reads the request, never answers. */
  | 'hang'
  /** Answers 200 with headers, then drips a body byte every 100 ms, forever. */
  | 'drip'
  /** Redirects every request to itself. */
  | 'redirect-loop'
  /** Redirects to /ready, which answers 200. */
  | 'redirect'
  /** Answers 502 to everything: a proxy that must not be used. */
  | 'proxy';

/**
 * An HTTP server on loopback, served by a process of its own
 * (readiness-server.js says why), one for all servers of a test file.
 */
export class ReadinessServer {
  public static async start(behaviour: Behaviour = 'normal'): Promise<ReadinessServer> {
    const server = new ReadinessServer(++ReadinessServer.ids);
    server.port = (await server.call('start', behaviour)).port!;
    return server;
  }

  /** Ends the servers' process (in afterAll). */
  public static stopAll(): void {
    ReadinessServer.host?.disconnect();
    ReadinessServer.host = undefined;
  }

  private static ids = 0;
  private static host?: ChildProcess;
  private static readonly replies = new Map<number, (reply: ServerReply) => void>();

  /** What the server saw, once closed. */
  public requests: SeenRequest[] = [];
  public readyAt?: number;
  public port = 0;

  private constructor(private readonly id: number) {}

  /** From now on, a `normal` server answers 200. */
  public async ready(): Promise<void> {
    this.readyAt = (await this.call('ready')).readyAt;
  }

  public async close(): Promise<void> {
    this.requests = (await this.call('close')).requests!;
  }

  private call(op: 'start' | 'ready' | 'close', behaviour?: Behaviour): Promise<ServerReply> {
    if (!ReadinessServer.host) {
      const host = fork(path.join(__dirname, 'readiness-server.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      host.on('message', (reply: ServerReply) => {
        ReadinessServer.replies.get(reply.id)?.(reply);
        ReadinessServer.replies.delete(reply.id);
      });
      ReadinessServer.host = host;
    }
    const replied = new Promise<ServerReply>(resolve => ReadinessServer.replies.set(this.id, resolve));
    ReadinessServer.host.send({ op, id: this.id, behaviour });
    return replied;
  }
}

interface ServerReply {
  readonly id: number;
  readonly port?: number;
  readonly readyAt?: number;
  readonly requests?: SeenRequest[];
}

/** A TCP port that refuses connections until `ready()` starts listening on it. */
export class TcpPort {
  /**
   * A free port below the kernel's ephemeral range: a port that `listen(0)`
   * gave out and that was closed again could be given to the next server
   * (the readiness servers' process took one, and a "connection refused" row
   * got a 503), while listen(0) never gives out these.
   */
  public static async reserve(): Promise<TcpPort> {
    const [ephemeralLow] = readOr('/proc/sys/net/ipv4/ip_local_port_range').split(/\s+/).map(Number);
    const low = 10_000;
    const high = (ephemeralLow || 32_768) - 1;
    for (;;) {
      const port = low + Math.floor(Math.random() * (high - low + 1));
      const probe = net.createServer();
      const free = await new Promise<boolean>(resolve => probe.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)));
      if (free) {
        await new Promise(resolve => probe.close(resolve));
        return new TcpPort(port);
      }
    }
  }

  public readyAt?: number;
  private server?: net.Server;
  private readonly sockets: net.Socket[] = [];

  private constructor(public readonly port: number) {}

  /**
   * Listens; with `greeting`, writes it to every connection once the client
   * has sent something, and then holds the connection open, saying nothing more.
   */
  public async ready(greeting?: Buffer): Promise<void> {
    this.server = net.createServer(socket => {
      this.sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => greeting && socket.write(greeting));
    });
    await new Promise<void>(resolve => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.readyAt = Date.now();
  }

  public close(): Promise<void> {
    this.sockets.forEach(socket => socket.destroy());
    return new Promise(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A TLS alert record (handshake failure), what a TLS server says to a plain HTTP request. */
export const TLS_ALERT = Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]);

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
