/**
 * The POST_START gate's wait hook, run for real: every shell a sidecar's
 * /bin/sh may be, with the tools real images have, against local servers
 * that misbehave in every way we know; where the machine allows it (root),
 * each run in a PID namespace whose PID 1 never reaps, counting leftovers.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { HttpScheme, ReadinessCheck, SidecarFirstDeployment, SidecarFirstOptions, SidecarProps, StartupGate } from '../src';
import {
  ALL_SHELLS, Behaviour, BUSYBOX, hookFile, HookRun, PID_NAMESPACES, ReadinessServer, removeHookFiles, runArgv, runHook,
  SHELLS, sleep, TcpPort, TLS_ALERT, toolbox, which,
} from './support/hook-runner';
import { newChart, synth } from './support/manifests';
import { decodeWaitHook, encodeWaitHook } from '../src/private/compiler/hook-arguments';

jest.setTimeout(30_000);
afterAll(() => {
  ReadinessServer.stopAll();
  removeHookFiles();
});

const POLL_MS = 250;
/**
 * Added to every time bound: starting nsenter, the shell and each tool on a
 * busy 2-core machine (the figures printed below are the raw measurements).
 */
const SLACK_MS = 750;
/** How many hooks run at once (each mostly sleeps). */
const PARALLEL = 12;
/**
 * How long the whole matrix may take: about 90 s on 2 idle cores; 333 s was
 * measured with stress-ng on both cores and other builds sharing them (load
 * average 35), which the former 300 s failed. A bound, not a target.
 */
const MATRIX_TIMEOUT_MS = 900_000;
/** startupTimeout of the rows that never pass: 2 s, so the reason comes from a whole attempt even on a busy machine. */
const TIMEOUT_S = 2;

/** The postStart command the construct synthesizes for one sidecar. */
function hookFor(sidecar: Partial<SidecarProps>, options: SidecarFirstOptions = {}): string[] {
  const chart = newChart();
  new SidecarFirstDeployment(chart, 'web', {
    containers: [{ name: 'app', image: 'my/app:1' }],
    startupGate: StartupGate.POST_START,
    ...options,
    sidecars: [{ name: 'proxy', image: 'sidecar:1', readinessCheck: ReadinessCheck.tcpSocket({ port: 1 }), ...sidecar }],
  });
  return synth(chart).pod.containers[0].lifecycle!.postStart!.exec!.command!;
}

type Tools = { [tool: string]: string | undefined };
const available = (tools: Array<[string, Tools]>) => tools.filter(([, files]) => Object.values(files).every(t => t !== undefined));
const HTTP_TOOLS = available([
  ['busybox wget', { wget: BUSYBOX, sleep: BUSYBOX }],
  ['GNU wget', { wget: which('wget'), sleep: which('sleep') }],
  ['curl', { curl: which('curl'), sleep: which('sleep') }],
]);
const TCP_TOOLS = available([
  ['busybox nc (no -z)', { nc: BUSYBOX, sleep: BUSYBOX }],
  ['OpenBSD nc (-z)', { nc: which('nc.openbsd'), sleep: which('sleep') }],
]);
const PLAIN_TOOLS: Array<[string, Tools]> = [['coreutils', { test: which('test'), sleep: which('sleep') }]];

test('every shell and tool of the matrix is here, and PID namespaces work: required in CI (.ci/run installs them), reported elsewhere', () => {
  const have = [...SHELLS, ...HTTP_TOOLS, ...TCP_TOOLS].map(([name]) => name);
  const all = [...ALL_SHELLS, 'busybox wget', 'GNU wget', 'curl', 'busybox nc (no -z)', 'OpenBSD nc (-z)'];
  const missing = [...all.filter(name => !have.includes(name)), ...(PID_NAMESPACES ? [] : ['PID namespaces (root, unshare, nsenter)'])];
  if (process.env.CI) {
    expect(missing).toEqual([]);
  } else if (missing.length > 0) {
    // eslint-disable-next-line no-console
    console.warn(`wait-hook tests skipped for: ${missing.join(', ')} (as root, install what .ci/run installs)`);
  }
});

/** A scenario's check, its environment, what makes it ready (returns when it was), and what to do at the end. */
interface SetUp {
  readonly check: ReadinessCheck;
  readonly env?: { [name: string]: string };
  readonly whenReady?: () => Promise<number>;
  readonly tearDown: () => Promise<void>;
}

/** One server behaviour: how to serve, what to check, how the hook must end. */
interface Scenario {
  readonly kind: 'httpGet' | 'tcpSocket' | 'command' | 'grpc';
  readonly behaviour: string;
  /** Starts what the check talks to; returns the check, environment, and what to do at the end. */
  readonly setUp: () => Promise<SetUp>;
  /** undefined: passes once ready; else the reason it fails with, given the check's URL or address. */
  readonly reason?: (hook: string[]) => RegExp;
}

/** A field of the hook's check, as a regular expression. */
const field = (hook: string[], name: string) => escape(String((decodeWaitHook(hook)!.check as unknown as { [field: string]: unknown })[name]));
const url = (hook: string[]) => field(hook, 'url');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PROXIES = (port: number) => Object.fromEntries(['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']
  .map(name => [name, `http://127.0.0.1:${port}`]).concat([['no_proxy', 'example.com'], ['NO_PROXY', 'example.com']]));

const serving = (behaviour: Behaviour, scheme = HttpScheme.HTTP) => async () => {
  const s = await ReadinessServer.start(behaviour);
  return { check: ReadinessCheck.httpGet('/healthz', { port: s.port, scheme }), tearDown: () => s.close() };
};
const port = (greeting?: Buffer, kind: 'httpGet' | 'tcpSocket' = 'httpGet') => async () => {
  const p = await TcpPort.reserve();
  if (greeting) {
    await p.ready(greeting);
  }
  return { check: kind === 'httpGet' ? ReadinessCheck.httpGet('/healthz', { port: p.port }) : ReadinessCheck.tcpSocket({ port: p.port }), tearDown: () => p.close() };
};
const program = (name: string, body: string) => {
  const file = hookFile(name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
};

const SCENARIOS: Scenario[] = [
  {
    kind: 'httpGet',
    behaviour: 'ready after 0.5 s',
    setUp: async () => {
      const s = await ReadinessServer.start();
      return { check: ReadinessCheck.httpGet('/healthz', { port: s.port }), whenReady: async () => (await s.ready(), s.readyAt!), tearDown: () => s.close() };
    },
  },
  {
    kind: 'httpGet',
    behaviour: 'ready, proxy variables set (a proxy answering 502)',
    setUp: async () => {
      const [s, proxy] = [await ReadinessServer.start(), await ReadinessServer.start('proxy')];
      await s.ready();
      return {
        check: ReadinessCheck.httpGet('/healthz', { port: s.port }),
        env: PROXIES(proxy.port),
        tearDown: async () => void await Promise.all([s.close(), proxy.close()]),
      };
    },
  },
  { kind: 'httpGet', behaviour: 'redirect to a ready path', setUp: serving('redirect') },
  {
    kind: 'httpGet',
    behaviour: 'redirect loop',
    setUp: serving('redirect-loop'),
    reason: hook => new RegExp(`^GET ${url(hook)} (answered 302 after too many redirects|did not answer within 1 s)$`),
  },
  { kind: 'httpGet', behaviour: 'never ready (503)', setUp: serving('normal'), reason: hook => new RegExp(`^GET ${url(hook)} answered 503$`) },
  { kind: 'httpGet', behaviour: 'hang', setUp: serving('hang'), reason: hook => new RegExp(`^GET ${url(hook)} did not answer within 1 s$`) },
  { kind: 'httpGet', behaviour: 'slow drip', setUp: serving('drip'), reason: hook => new RegExp(`^GET ${url(hook)} did not answer within 1 s$`) },
  {
    kind: 'httpGet',
    behaviour: 'https check, plain server',
    setUp: serving('normal', HttpScheme.HTTPS),
    reason: hook => new RegExp(`^GET ${url(hook)} (answered nothing|did not answer within 1 s)$`),
  },
  {
    kind: 'httpGet',
    behaviour: 'plain check, TLS server',
    setUp: port(TLS_ALERT),
    reason: hook => new RegExp(`^GET ${url(hook)} (answered nothing|did not answer within 1 s)$`),
  },
  { kind: 'httpGet', behaviour: 'connection refused', setUp: port(), reason: hook => new RegExp(`^GET ${url(hook)} answered nothing$`) },
  {
    kind: 'tcpSocket',
    behaviour: 'ready after 0.5 s',
    setUp: async () => {
      const p = await TcpPort.reserve();
      return { check: ReadinessCheck.tcpSocket({ port: p.port }), whenReady: async () => (await p.ready(), p.readyAt!), tearDown: () => p.close() };
    },
  },
  {
    kind: 'tcpSocket',
    behaviour: 'connection refused',
    setUp: port(undefined, 'tcpSocket'),
    reason: hook => new RegExp(`^no TCP connection to 127\\.0\\.0\\.1:${field(hook, 'port')}$`),
  },
  {
    kind: 'command',
    behaviour: 'ready after 0.5 s',
    setUp: async () => {
      const flag = hookFile('ready');
      return { check: ReadinessCheck.command(['test', '-f', flag]), whenReady: async () => (fs.writeFileSync(flag, ''), Date.now()), tearDown: async () => undefined };
    },
  },
  {
    kind: 'command',
    behaviour: 'exits 1',
    setUp: async () => ({ check: ReadinessCheck.command(['test', '-f', hookFile('never')]), tearDown: async () => undefined }),
    reason: () => /^test exited 1$/,
  },
  {
    kind: 'command',
    behaviour: 'never exits',
    setUp: async () => ({ check: ReadinessCheck.command(['sleep', '30']), tearDown: async () => undefined }),
    reason: () => /^sleep did not exit within 1 s$/,
  },
  {
    kind: 'grpc',
    behaviour: 'not serving',
    setUp: async () => ({ check: ReadinessCheck.grpc({ port: 9, grpcHealthProbe: program('grpc_health_probe', 'exit 2') }), tearDown: async () => undefined }),
    reason: () => /^gRPC health of 127\.0\.0\.1:9 is not SERVING$/,
  },
  {
    kind: 'grpc',
    behaviour: 'hang',
    setUp: async () => ({ check: ReadinessCheck.grpc({ port: 9, grpcHealthProbe: program('grpc_health_probe', 'exec sleep 30') }), tearDown: async () => undefined }),
    reason: () => /^gRPC health of 127\.0\.0\.1:9 is not SERVING$/,
  },
];

const TOOLS: { [kind: string]: Array<[string, Tools]> } = { httpGet: HTTP_TOOLS, tcpSocket: TCP_TOOLS, command: PLAIN_TOOLS, grpc: PLAIN_TOOLS };
const ROWS = SHELLS.flatMap(([shell, argv0]) => SCENARIOS.flatMap(scenario => TOOLS[scenario.kind].map(([tool, files]) =>
  ({ name: `${scenario.kind}, ${scenario.behaviour}: ${shell} + ${tool}`, shell: argv0, tool, files, scenario }))));

interface Outcome {
  readonly run: HookRun;
  readonly hook: string[];
  readonly readyAt?: number;
}

/** Runs one row: its server, the hook synthesized for it, under its shell and tools. */
async function runRow(row: typeof ROWS[number]): Promise<Outcome> {
  const { check, env, whenReady, tearDown } = await row.scenario.setUp();
  const startupTimeout = Duration.seconds(row.scenario.reason ? TIMEOUT_S : 3);
  const hook = hookFor({ readinessCheck: check, startupTimeout }, { pollInterval: Duration.millis(POLL_MS) });
  const running = runHook(hook, row.shell, toolbox(row.files), env);
  const readyAt = whenReady ? await sleep(500).then(whenReady) : undefined;
  const run = await running;
  await tearDown();
  return { run, hook, readyAt };
}

/** The time a row may take: 1 s + pollInterval after readiness, or after the deadline for rows that never pass. */
function timeBound(row: typeof ROWS[number], { run, readyAt }: Outcome): { took: number; max: number } {
  return row.scenario.reason
    ? { took: run.exitedAt - run.startedAt, max: TIMEOUT_S * 1000 + 1000 + POLL_MS + SLACK_MS }
    : { took: run.exitedAt - (readyAt ?? run.startedAt), max: 1000 + POLL_MS + SLACK_MS };
}

/**
 * Runs every row, PARALLEL at a time; each test below then judges one row. A
 * row that missed its time bound runs once more, alone: a load spike on a
 * busy machine passes then, a real overrun misses twice and fails its test.
 */
const outcomes = new Map<string, Outcome>();
const rerun: string[] = [];
beforeAll(async () => {
  const queue = [...ROWS];
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      outcomes.set(row.name, await runRow(row));
    }
  }));
  for (const row of ROWS) {
    const { took, max } = timeBound(row, outcomes.get(row.name)!);
    if (took > max) {
      rerun.push(`  ${row.name}: ${took} ms > ${max} ms`);
      outcomes.set(row.name, await runRow(row));
    }
  }
}, MATRIX_TIMEOUT_MS);

afterAll(() => {
  // The figures: worst overrun of the deadline per tool, kind and behaviour; leftover processes.
  const failing = ROWS.filter(row => row.scenario.reason && outcomes.has(row.name));
  const worst = new Map<string, number>();
  for (const row of failing) {
    const { run } = outcomes.get(row.name)!;
    const key = `${row.tool} ${row.scenario.kind} ${row.scenario.behaviour}`;
    worst.set(key, Math.max(worst.get(key) ?? -Infinity, run.exitedAt - run.startedAt - TIMEOUT_S * 1000));
  }
  const leftovers = [...outcomes.values()].map(o => o.run.leftovers).filter(l => l !== undefined);
  const leaking = ROWS.filter(row => (outcomes.get(row.name)?.run.leftovers?.processes ?? 0) > 0)
    .map(row => `  ${JSON.stringify(outcomes.get(row.name)!.run.leftovers)} ${row.name}`);
  // eslint-disable-next-line no-console
  console.log([
    `wait hook matrix: ${ROWS.length} runs (${SHELLS.length} shells), ${PID_NAMESPACES ? 'each in a PID namespace' : 'no PID namespaces here'}`,
    `leftover processes: ${leftovers.reduce((n, l) => n + l!.processes, 0)}, zombies: ${leftovers.reduce((n, l) => n + l!.zombies, 0)} (over ${leftovers.length} runs)`,
    ...leaking,
    `run again alone after missing their time bound in the parallel pass: ${rerun.length}`,
    ...rerun,
    `worst overrun of the ${TIMEOUT_S} s deadline (ms), over all shells:`,
    ...[...worst].sort(([, a], [, b]) => b - a).map(([key, ms]) => `  ${String(ms).padStart(5)}  ${key}`),
  ].join('\n'));
});

describe.each(ROWS.length > 0 ? ROWS.map(row => [row.name, row] as const) : [['(no shell here: skipped)', undefined] as const])('%s', (_name, row) => {
  (row ? test : test.skip)(row?.scenario.reason ? 'fails by the deadline (+ 1 s + pollInterval), saying why where describe shows it, leaving no process' : 'passes within 1 s + pollInterval of readiness, leaving no process', () => {
    // GIVEN the row's server, shell and tools; WHEN the hook ran (beforeAll)
    const outcome = outcomes.get(row!.name)!;
    const { run, hook } = outcome;

    // THEN
    if (run.leftovers) {
      // Known exception: Debian's busybox wget forks `openssl` for https and never reaps it (one zombie per
      // attempt); busybox sh runs that wget applet even where GNU wget is installed.
      const busyboxWget = row!.tool === 'busybox wget' || (row!.tool === 'GNU wget' && row!.name.includes('busybox sh'));
      const tlsHelper = busyboxWget && url(hook).startsWith('https');
      // posh (pdksh) rarely leaves one zombie, seen under load only (2 in ~120 posh runs, none in 100 reruns alone).
      const posh = row!.name.includes('posh');
      // At most the helpers of every attempt the deadline allows (up to two processes each), else none:
      // one at 0 s, then one after each pollInterval that began before the deadline.
      const allowed = tlsHelper ? 2 * (Math.floor((TIMEOUT_S * 1000) / POLL_MS) + 1) : posh ? 1 : 0;
      expect(run.leftovers.processes - run.leftovers.zombies).toBe(0);
      expect(run.leftovers.zombies).toBeLessThanOrEqual(allowed);
    }
    const reason = row!.scenario.reason?.(hook);
    if (!reason) {
      expect([run.code, run.stderr, run.message]).toEqual([0, '', '']);
      expect(timeBound(row!, outcome).took).toBeLessThanOrEqual(timeBound(row!, outcome).max);
      return;
    }
    expect([run.code, run.signal]).toEqual([1, null]);
    expect(run.exitedAt - run.startedAt).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
    expect(timeBound(row!, outcome).took).toBeLessThanOrEqual(timeBound(row!, outcome).max);
    const [, why] = /^sidecar-first: sidecar "proxy" is not ready after \d+ s: (.*)\n$/.exec(run.stderr) ?? [, run.stderr];
    expect(why).toMatch(reason);
    expect(run.message).toBe(run.stderr);
    if (run.containerStderr !== undefined) {
      expect(run.containerStderr).toBe(run.stderr);
    }
  });
});

describe.each(SHELLS)('adversarial values reach the server or the command literally and run nothing, %s', (name, shell) => {
  const marker = hookFile(`pwned-${name.replace(/\W/g, '')}`);
  const evil = [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `" '; touch ${marker}; '`, 'two words', 'new\nline', '*', '$HOME', '-n', '\\c'];

  test('HTTP path and header values', async () => {
    // GIVEN
    const server = await ReadinessServer.start();
    await server.ready();
    const evilPath = `/a b/${evil.join('/')}`;
    const evilHeader = evil.filter(v => !v.includes('\n')).join(' ');
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet(evilPath, { port: server.port, headers: { 'X-Evil': evilHeader } }) });

    // WHEN
    const result = await runHook(hook, shell, toolbox({ curl: which('curl'), sleep: which('sleep') }));
    await server.close();

    // THEN
    expect(result.code).toBe(0);
    expect(decodeURIComponent(server.requests[0].url)).toBe(evilPath);
    expect(server.requests[0].headers['x-evil']).toBe(evilHeader);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('command argv', async () => {
    // GIVEN a command that records its arguments
    const out = hookFile('argv.json');
    const recorder = hookFile('record');
    fs.writeFileSync(recorder, `#!${process.execPath}\nrequire('fs').writeFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));\n`, { mode: 0o755 });
    const hook = hookFor({ readinessCheck: ReadinessCheck.command([recorder, out, ...evil]) });

    // WHEN
    const result = await runHook(hook, shell, toolbox({ sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(evil);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('a command named like a function of the script, or a shell builtin, is a program looked up on PATH', async () => {
    // GIVEN commands "fail" and "exit" (the script has a function fail; exit is a special builtin), which the image lacks
    const hooks = ['fail', 'exit'].map(command => hookFor({ readinessCheck: ReadinessCheck.command([command, '0']), startupTimeout: Duration.seconds(1) }));

    // WHEN
    const results = await Promise.all(hooks.map(hook => runHook(hook, shell, toolbox({ sleep: which('sleep') }))));

    // THEN: as the kubelet would exec them: not found, at every attempt
    expect(results.map(r => [r.code, r.stderr])).toEqual(['fail', 'exit'].map(command =>
      [1, `sidecar-first: sidecar "proxy" is not ready after 1 s: ${command} is not in the image\n`]));
  });

  test('any exit status of the command, 124, 125, 126 and 127 included, is a failed attempt: polled until the deadline, named in the reason', async () => {
    // GIVEN commands that exit with the statuses a shell or `timeout` use for "not found", "not executable" and "timed out"
    const statuses = [124, 125, 126, 127];
    const programs = statuses.map(status => program(`exits-${status}`, `exit ${status}`));
    const hooks = programs.map(file => hookFor({ readinessCheck: ReadinessCheck.command([file]), startupTimeout: Duration.seconds(1) }));

    // WHEN
    const results = await Promise.all(hooks.map(hook => runHook(hook, shell, toolbox({ sleep: which('sleep') }))));

    // THEN: the kubelet's exec probe fails on any non-zero status and probes again; so does the hook, until startupTimeout
    expect(results.map(r => [r.code, r.stderr])).toEqual(programs.map((file, i) =>
      [1, `sidecar-first: sidecar "proxy" is not ready after 1 s: ${file} exited ${statuses[i]}\n`]));
    for (const r of results) {
      expect(r.exitedAt - r.startedAt).toBeGreaterThanOrEqual(1000);
    }
  });

  test('the termination message path and the proxy variables are data too', async () => {
    // GIVEN a message path and proxy variables full of shell syntax
    const messageFile = path.join(path.dirname(marker), ['msg', '$(echo pwned >&2)', '`echo pwned >&2`', ...evil.filter(v => !v.includes('/'))].join(' ').replace(/\n/g, ''));
    const args = decodeWaitHook(hookFor({ readinessCheck: ReadinessCheck.command(['test', '-f', '/nonexistent']), startupTimeout: Duration.seconds(1) }))!;
    const env = Object.fromEntries(Object.keys(PROXIES(0)).map(variable => [variable, evil[0]]));

    // WHEN
    const result = await runArgv([...shell, ...encodeWaitHook({ ...args, terminationMessagePath: messageFile }).slice(1)],
      toolbox({ test: which('test'), sleep: which('sleep') }), env);

    // THEN
    expect(result.code).toBe(1);
    expect(fs.readFileSync(messageFile, 'utf8')).toBe(result.stderr);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('hook robustness', () => {
  const dash = SHELLS[0][1];

  test('an unwritable termination message path does not change the outcome', async () => {
    // GIVEN a message path in a directory that does not exist
    const args = decodeWaitHook(hookFor({ readinessCheck: ReadinessCheck.command(['test', '-f', '/nonexistent']), startupTimeout: Duration.seconds(1) }))!;
    const argv = encodeWaitHook({ ...args, terminationMessagePath: '/nonexistent/dir/log' });

    // WHEN
    const result = await runArgv([...dash, ...argv.slice(1)], toolbox({ test: which('test'), sleep: which('sleep') }));

    // THEN
    expect([result.code, result.stderr]).toEqual([1, 'sidecar-first: sidecar "proxy" is not ready after 1 s: test exited 1\n']);
  });

  test('a termination message path that blocks (a FIFO without a reader) does not hold the hook', async () => {
    // GIVEN
    const fifo = hookFile('fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const args = decodeWaitHook(hookFor({ readinessCheck: ReadinessCheck.command(['test', '-f', '/nonexistent']), startupTimeout: Duration.seconds(1) }))!;

    // WHEN
    const result = await runArgv([...dash, ...encodeWaitHook({ ...args, terminationMessagePath: fifo }).slice(1)], toolbox({ test: which('test'), sleep: which('sleep') }));

    // THEN
    expect([result.code, result.stderr]).toEqual([1, 'sidecar-first: sidecar "proxy" is not ready after 1 s: test exited 1\n']);
    expect(result.exitedAt - result.startedAt).toBeLessThanOrEqual(1000 + 1000 + POLL_MS + SLACK_MS);
    if (result.leftovers) {
      expect(result.leftovers).toEqual({ processes: 0, zombies: 0 });
    }
  });

  test('an image without wget or curl fails at once, saying what to do', async () => {
    // GIVEN
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet('/healthz', { port: 8080 }) });

    // WHEN
    const result = await runHook(hook, dash, toolbox({ sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(1);
    // At once: not after the default startupTimeout of 120 s (10 s is room for a loaded machine).
    expect(result.exitedAt - result.startedAt).toBeLessThan(10_000);
    expect(result.stderr).toBe('sidecar-first: sidecar "proxy" cannot be checked: the image has neither curl nor wget (set waitToolImage)\n');
    expect(result.message).toBe(result.stderr);
  });

  test('an image without nc fails at once, saying what to do', async () => {
    // GIVEN
    const hook = hookFor({ readinessCheck: ReadinessCheck.tcpSocket({ port: 8080 }) });

    // WHEN
    const result = await runHook(hook, dash, toolbox({ sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('sidecar-first: sidecar "proxy" cannot be checked: the image has no nc (set waitToolImage)\n');
  });

  test('a command whose program is not in the image is a failed attempt, as for the kubelet: polled until the deadline', async () => {
    // GIVEN
    const hook = hookFor({ readinessCheck: ReadinessCheck.command(['pg_isready', '-h', '127.0.0.1']), startupTimeout: Duration.seconds(1) });

    // WHEN
    const result = await runHook(hook, dash, toolbox({ sleep: which('sleep') }));

    // THEN: the kubelet's exec of a missing program errors, and it probes again (the hook until startupTimeout)
    expect([result.code, result.stderr]).toEqual([1, 'sidecar-first: sidecar "proxy" is not ready after 1 s: pg_isready is not in the image\n']);
    expect(result.exitedAt - result.startedAt).toBeGreaterThanOrEqual(1000);
    expect(result.message).toBe(result.stderr);
  });

  test('a command whose program appears in the image while the hook polls passes then (e.g. copied there by the sidecar)', async () => {
    // GIVEN a PATH without the program yet
    const tools = toolbox({ sleep: which('sleep') });
    const hook = hookFor({ readinessCheck: ReadinessCheck.command(['pg_isready', '-h', '127.0.0.1']), startupTimeout: Duration.seconds(3) },
      { pollInterval: Duration.millis(POLL_MS) });

    // WHEN it appears after 0.5 s
    const running = runHook(hook, dash, tools);
    await sleep(500);
    fs.symlinkSync(program('pg_isready', 'exit 0'), path.join(tools, 'pg_isready'));
    const result = await running;

    // THEN
    expect([result.code, result.stderr]).toEqual([0, '']);
  });

  test('grpcHealthProbe given as a name is found on PATH, as the command check finds its program', async () => {
    // GIVEN grpc_health_probe on PATH, serving
    const hook = hookFor({ readinessCheck: ReadinessCheck.grpc({ port: 9, grpcHealthProbe: 'grpc_health_probe' }) });

    // WHEN
    const result = await runHook(hook, dash, toolbox({ sleep: which('sleep'), grpc_health_probe: program('grpc_health_probe', 'exit 0') }));

    // THEN
    expect([result.code, result.stderr]).toEqual([0, '']);
  });

  test.each([['a name not on PATH', 'grpc_health_probe'], ['a path that does not exist', '/bin/grpc_health_probe']])(
    'a grpcHealthProbe the image lacks (%s) fails at once: it is a tool of the hook, like curl', async (_, probe) => {
      // GIVEN
      const hook = hookFor({ readinessCheck: ReadinessCheck.grpc({ port: 9, grpcHealthProbe: probe }) });

      // WHEN
      const result = await runHook(hook, dash, toolbox({ sleep: which('sleep') }));

      // THEN: at once, not after the default startupTimeout of 120 s (10 s is room for a loaded machine)
      expect([result.code, result.stderr]).toEqual([1, `sidecar-first: sidecar "proxy" cannot be checked: the image has no ${probe} (grpcHealthProbe)\n`]);
      expect(result.exitedAt - result.startedAt).toBeLessThan(10_000);
    });

  test('posh, whose kill is not a builtin, in an image without kill fails at once rather than wait unbounded', async () => {
    // GIVEN
    const posh = SHELLS.find(([name]) => name === 'posh');
    if (!posh) {
      return; // reported by the first test
    }
    const hook = hookFor({ readinessCheck: ReadinessCheck.tcpSocket({ port: 8080 }) });

    // WHEN the toolbox's kill is hidden behind a directory with none
    const result = await runHook(hook, posh[1], toolbox({ kill: undefined, sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('sidecar-first: sidecar "proxy" cannot be checked: the image has no kill (set waitToolImage)\n');
  });

  (BUSYBOX ? test : test.skip)('with waitToolImage, the hook runs from the copied busybox in an image with no tools at all', async () => {
    // GIVEN an "image" whose PATH is empty
    const server = await ReadinessServer.start();
    await server.ready();
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet('/healthz', { port: server.port }) }, { waitToolImage: 'busybox:1.36-musl' });
    expect(hook.slice(0, 2)).toEqual(['/sidecar-first/busybox', 'sh']);

    // WHEN the copied busybox is the one on this machine
    const argv = hook.map(arg => (arg === '/sidecar-first/busybox' ? BUSYBOX! : arg));
    const result = await runArgv(argv, hookFile('empty'));
    await server.close();

    // THEN
    expect(result).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(server.requests).toHaveLength(1);
    if (result.leftovers) {
      expect(result.leftovers).toEqual({ processes: 0, zombies: 0 });
    }
  });
});
