/**
 * `BENCH_ONLY=wait-hook npm run bench`: how late the postStart wait hook
 * notices a server that becomes ready, in real shells with real tools: dash
 * with Debian's curl and sleep, and busybox sh with its own wget and sleep.
 * The hook polls every 0.25 s (the default pollInterval). The server answers
 * 503, then 200 from a moment drawn at random 1 to 1.25 s after the hook
 * starts; "late" is the hook's exit minus that moment. Side by side in one
 * run, alternating: the hook of this tree, and `BENCH_HOOK_BASELINE` (a
 * wait-hook.sh to compare with, e.g. `git show HEAD~1:src/private/compiler/wait-hook.sh > /tmp/old.sh`).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

/* eslint-disable no-console */

const SCRIPT = fs.readFileSync(path.join(__dirname, '..', 'src', 'private', 'compiler', 'wait-hook.sh'), 'utf8');
const which = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || undefined;

interface Setup { readonly name: string; readonly shell: string[]; readonly busybox: string; readonly tools: { [name: string]: string | undefined } }

const BUSYBOX = which('busybox');
const SETUPS: Setup[] = [
  { name: 'dash + curl (Debian)', shell: [which('dash')!], busybox: '', tools: { curl: which('curl'), sleep: which('sleep'), kill: which('kill') } },
  ...(BUSYBOX ? [{ name: 'busybox sh + wget', shell: [BUSYBOX, 'sh'], busybox: BUSYBOX, tools: { kill: which('kill') } }] : []),
];

/** A directory holding only the given programs, as the hook's PATH. */
function toolbox(dir: string, tools: Setup['tools']): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(tools)) {
    if (target) {
      fs.symlinkSync(target, path.join(dir, name));
    }
  }
  return dir;
}

/** One run: ms from the server's ready moment to the hook's exit. */
async function lateness(script: string, setup: Setup, pathDir: string, dir: string): Promise<number> {
  let readyAt = Infinity;
  const server = http.createServer((_req, res) => {
    res.statusCode = Date.now() >= readyAt ? 200 : 503;
    res.end();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const args = ['-c', script, 'sidecar-first-wait', 'bench', 'httpGet', '30', '0.25', setup.busybox, path.join(dir, 'termination-log'),
      `http://127.0.0.1:${port}/ready`];
    const start = Date.now();
    readyAt = start + 1000 + Math.random() * 250;
    const child = spawn(setup.shell[0], [...setup.shell.slice(1), ...args], { env: { PATH: pathDir }, stdio: 'ignore' });
    const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
    if (code !== 0) {
      throw new Error(`${setup.name}: the hook exited ${code}`);
    }
    return Date.now() - readyAt;
  } finally {
    server.close();
  }
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

export async function benchWaitHook(): Promise<void> {
  const runs = Number(process.env.BENCH_HOOK_RUNS ?? 20);
  const baselineFile = process.env.BENCH_HOOK_BASELINE;
  const hooks: Array<[string, string]> = [['this tree', SCRIPT], ...(baselineFile ? [['baseline', fs.readFileSync(baselineFile, 'utf8')] as [string, string]] : [])];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-hook-bench-'));
  try {
    console.log(`## The wait hook: ms from a server becoming ready to the hook's exit (pollInterval 0.25 s, ${runs} runs each, alternating; load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')})`);
    console.log('shell + tools              hook        median  p95    max');
    for (const [i, setup] of SETUPS.entries()) {
      const pathDir = toolbox(path.join(dir, `tools-${i}`), setup.tools);
      const late: number[][] = hooks.map(() => []);
      for (let r = 0; r < runs; r++) {
        for (let k = 0; k < hooks.length; k++) {
          const h = (k + r) % hooks.length;
          late[h].push(await lateness(hooks[h][1], setup, pathDir, dir));
        }
      }
      for (const [h, [name]] of hooks.entries()) {
        console.log(`${setup.name.padEnd(27)}${name.padEnd(12)}${String(Math.round(quantile(late[h], 0.5))).padEnd(8)}`
          + `${String(Math.round(quantile(late[h], 0.95))).padEnd(7)}${Math.round(Math.max(...late[h]))}`);
      }
    }
    console.log('');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchWaitHook();
}
