/**
 * The POST_START gate's wait hook, run for real: dash, bash and busybox sh,
 * with the tools real images have, against local HTTP and TCP servers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { ReadinessCheck, SidecarFirstDeployment, SidecarFirstOptions, SidecarProps, StartupGate } from '../src';
import { BUSYBOX, ReadinessServer, runArgv, runHook, SHELLS, sleep, TcpPort, toolbox, which } from './support/hook-runner';
import { newChart, synth } from './support/manifests';

jest.setTimeout(30_000);

const POLL_MS = 250;

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

const HTTP_TOOLS: Array<[string, { [tool: string]: string | undefined }]> = [
  ['busybox wget (no -T)', { wget: BUSYBOX, sleep: BUSYBOX }],
  ['GNU wget', { wget: which('wget'), sleep: which('sleep') }],
  ['curl', { curl: which('curl'), sleep: which('sleep') }],
].filter(([, tools]) => Object.values(tools).every(t => t !== undefined)) as any;

const TCP_TOOLS: Array<[string, { [tool: string]: string | undefined }]> = [
  ['busybox nc (no -z)', { nc: BUSYBOX, sleep: BUSYBOX }],
  ['OpenBSD nc (-z)', { nc: which('nc.openbsd'), sleep: which('sleep') }],
].filter(([, tools]) => Object.values(tools).every(t => t !== undefined)) as any;

/** Every shell with every tool variant; one skipped row where this machine has no variant at all. */
const matrix = <T>(tools: Array<[string, T]>) => {
  const rows = SHELLS.flatMap(([shell, argv0]) => tools.map(([tool, files]) => [`${shell} + ${tool}`, argv0, files] as const));
  return rows.length > 0 ? rows : [['(no tool on this machine: skipped)', [] as string[], {} as T] as const];
};
const describeMatrix = <T>(tools: Array<[string, T]>) => (tools.length > 0 ? describe : describe.skip).each(matrix(tools));

test('every shell and tool of the matrix is here: required in CI (.ci/run installs them), reported elsewhere', () => {
  const have = [...SHELLS, ...HTTP_TOOLS, ...TCP_TOOLS].map(([name]) => name);
  const all = ['dash', 'bash', 'busybox sh', 'busybox wget (no -T)', 'GNU wget', 'curl', 'busybox nc (no -z)', 'OpenBSD nc (-z)'];
  const missing = all.filter(name => !have.includes(name));
  if (process.env.CI) {
    expect(missing).toEqual([]);
  } else if (missing.length > 0) {
    // eslint-disable-next-line no-console
    console.warn(`wait-hook tests skipped for: ${missing.join(', ')} (install busybox-static and netcat-openbsd, as .ci/run does)`);
  }
});

/** Tests that need a busybox binary; skipped, and reported above, where there is none. */
const withBusybox = BUSYBOX ? test : test.skip;

describeMatrix(HTTP_TOOLS)('httpGet hook, %s', (_name, shell, tools) => {
  test.concurrent('ready after ~1 s: exits 0 within pollInterval + 0.25 s of readiness', async () => {
    // GIVEN
    const server = await ReadinessServer.start();
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet('/healthz', { port: server.port }) });

    // WHEN
    const run = runHook(hook, shell, toolbox(tools));
    await sleep(1000);
    server.ready();
    const result = await run;
    await server.close();

    // THEN
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.exitedAt - server.readyAt!).toBeLessThanOrEqual(POLL_MS + 250);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
  });

  test.concurrent('never ready: exits non-zero within 0.5 s after the deadline, saying why', async () => {
    // GIVEN
    const server = await ReadinessServer.start();
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet('/healthz', { port: server.port }), startupTimeout: Duration.seconds(2) });

    // WHEN
    const result = await runHook(hook, shell, toolbox(tools));
    await server.close();

    // THEN
    expect([result.code, result.signal]).toEqual([1, null]);
    expect(result.exitedAt - result.startedAt).toBeGreaterThanOrEqual(2000);
    expect(result.exitedAt - result.startedAt).toBeLessThanOrEqual(2500);
    expect(result.stderr).toBe(`sidecar-first: sidecar "proxy" is not ready after 2 s: GET ${hook.find(a => a.startsWith('http://'))} answered 503\n`);
  });
});

describeMatrix(TCP_TOOLS)('tcpSocket hook, %s', (_name, shell, tools) => {
  test.concurrent('ready after ~1 s: exits 0 within pollInterval + 0.25 s of readiness', async () => {
    // GIVEN
    const port = await TcpPort.reserve();
    const hook = hookFor({ readinessCheck: ReadinessCheck.tcpSocket({ port: port.port }) });

    // WHEN
    const run = runHook(hook, shell, toolbox(tools));
    await sleep(1000);
    await port.ready();
    const result = await run;
    await port.close();

    // THEN
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.exitedAt - port.readyAt!).toBeLessThanOrEqual(POLL_MS + 250);
  });

  test.concurrent('never ready: exits non-zero within 0.5 s after the deadline, saying why', async () => {
    // GIVEN
    const port = await TcpPort.reserve();
    const hook = hookFor({ readinessCheck: ReadinessCheck.tcpSocket({ port: port.port }), startupTimeout: Duration.seconds(2) });

    // WHEN
    const result = await runHook(hook, shell, toolbox(tools));

    // THEN
    expect([result.code, result.signal]).toEqual([1, null]);
    expect(result.exitedAt - result.startedAt).toBeGreaterThanOrEqual(2000);
    expect(result.exitedAt - result.startedAt).toBeLessThanOrEqual(2500);
    expect(result.stderr).toBe(`sidecar-first: sidecar "proxy" is not ready after 2 s: no TCP connection to 127.0.0.1:${port.port}\n`);
  });
});

describe.each(SHELLS)('command hook, %s', (_name, shell) => {
  test.concurrent('ready when the command first exits 0; never ready: exits non-zero after the deadline', async () => {
    // GIVEN a command that succeeds once a file exists
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cmd-'));
    const flag = path.join(dir, 'ready');
    const tools = toolbox({ test: which('test'), sleep: which('sleep') });
    const ready = hookFor({ readinessCheck: ReadinessCheck.command(['test', '-f', flag]) });
    const never = hookFor({ readinessCheck: ReadinessCheck.command(['test', '-f', path.join(dir, 'never')]), startupTimeout: Duration.seconds(1) });

    // WHEN
    const runs = [runHook(ready, shell, tools), runHook(never, shell, tools)];
    await sleep(1000);
    fs.writeFileSync(flag, '');
    const readyAt = Date.now();
    const [ok, failed] = await Promise.all(runs);

    // THEN
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.exitedAt - readyAt).toBeLessThanOrEqual(POLL_MS + 250);
    expect([failed.code, failed.signal]).toEqual([1, null]);
    expect(failed.exitedAt - failed.startedAt).toBeLessThanOrEqual(1500);
    expect(failed.stderr).toBe('sidecar-first: sidecar "proxy" is not ready after 1 s: test exited 1\n');
  });
});

describe.each(SHELLS)('adversarial values reach the server or the command literally and run nothing, %s', (_name, shell) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-evil-'));
  const marker = path.join(dir, 'pwned');
  const evil = [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `" '; touch ${marker}; '`, 'two words', 'new\nline', '*', '$HOME', '-n'];

  test.concurrent('HTTP path and header values', async () => {
    // GIVEN
    const server = await ReadinessServer.start();
    server.ready();
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

  test.concurrent('command argv', async () => {
    // GIVEN a command that records its arguments
    const out = path.join(dir, `argv-${_name.replace(/\W/g, '')}.json`);
    const recorder = path.join(dir, `record-${_name.replace(/\W/g, '')}`);
    fs.writeFileSync(recorder, `#!${process.execPath}\nrequire('fs').writeFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));\n`, { mode: 0o755 });
    const hook = hookFor({ readinessCheck: ReadinessCheck.command([recorder, out, ...evil]) });

    // WHEN
    const result = await runHook(hook, shell, toolbox({ sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(evil);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('hook robustness', () => {
  withBusybox('each attempt is bounded: a server that accepts and never answers still ends at the deadline', async () => {
    // GIVEN busybox wget, which has no -T of its own
    const server = await ReadinessServer.start({ hang: true });
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet('/healthz', { port: server.port }), startupTimeout: Duration.seconds(2) });

    // WHEN
    const result = await runHook(hook, SHELLS[0][1], toolbox({ wget: BUSYBOX, sleep: BUSYBOX }));
    await server.close();

    // THEN: attempts of at most 1 s, so at most 1 s + pollInterval late
    expect([result.code, result.signal]).toEqual([1, null]);
    expect(result.exitedAt - result.startedAt).toBeLessThanOrEqual(2000 + 1000 + POLL_MS + 250);
    expect(result.stderr).toBe(`sidecar-first: sidecar "proxy" is not ready after 2 s: GET ${hook.find(a => a.startsWith('http://'))} answered nothing\n`);
  });

  test('an image without wget or curl fails at once, saying what to do', async () => {
    // GIVEN
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet('/healthz', { port: 8080 }) });

    // WHEN
    const result = await runHook(hook, SHELLS[0][1], toolbox({ sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(1);
    expect(result.exitedAt - result.startedAt).toBeLessThan(1000);
    expect(result.stderr).toBe('sidecar-first: sidecar "proxy" cannot be checked: the image has neither wget nor curl (set waitToolImage)\n');
  });

  test('an image without nc fails at once, saying what to do', async () => {
    // GIVEN
    const hook = hookFor({ readinessCheck: ReadinessCheck.tcpSocket({ port: 8080 }) });

    // WHEN
    const result = await runHook(hook, SHELLS[0][1], toolbox({ sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('sidecar-first: sidecar "proxy" cannot be checked: the image has no nc (set waitToolImage)\n');
  });

  test('a command check whose program is not in the image fails at once', async () => {
    // GIVEN
    const hook = hookFor({ readinessCheck: ReadinessCheck.command(['pg_isready', '-h', '127.0.0.1']) });

    // WHEN
    const result = await runHook(hook, SHELLS[0][1], toolbox({ sleep: which('sleep') }));

    // THEN
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('sidecar-first: sidecar "proxy" cannot be checked: pg_isready is not in the image\n');
  });

  withBusybox('with waitToolImage, the hook runs from the copied busybox in an image with no tools at all', async () => {
    // GIVEN an "image" whose PATH is empty
    const server = await ReadinessServer.start();
    server.ready();
    const hook = hookFor({ readinessCheck: ReadinessCheck.httpGet('/healthz', { port: server.port }) }, { waitToolImage: 'busybox:1.36-musl' });
    expect(hook.slice(0, 2)).toEqual(['/sidecar-first/busybox', 'sh']);

    // WHEN the copied busybox is the one on this machine
    const argv = hook.map(arg => (arg === '/sidecar-first/busybox' ? BUSYBOX! : arg));
    const result = await runArgv(argv, toolbox({}));
    await server.close();

    // THEN
    expect(result).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(server.requests).toHaveLength(1);
  });
});
