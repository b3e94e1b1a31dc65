/**
 * The wait hook's arguments: one encoder (compiler), one decoder (analyzer,
 * tests), and the script they belong to, as shipped and as written.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as fc from 'fast-check';
import { waitHookScriptModule, WAIT_HOOK_SCRIPT_TS, WAIT_HOOK_SH } from '../projenrc/wait-hook-script';
import { ReadinessCheckKind } from '../src';
import { decodeWaitHook, encodeWaitHook, WaitHookArgs, WaitHookCheck } from '../src/private/compiler/hook-arguments';
import { waitHookCommand } from '../src/private/compiler/wait-hook';
import { WAIT_SCRIPT } from '../src/private/compiler/wait-hook-script';

const checks: fc.Arbitrary<WaitHookCheck> = fc.oneof(
  fc.record({ kind: fc.constant(ReadinessCheckKind.HTTP_GET as const), url: fc.string(), headers: fc.array(fc.string()) }),
  fc.record({ kind: fc.constant(ReadinessCheckKind.TCP_SOCKET as const), host: fc.string(), port: fc.integer({ min: 1, max: 65535 }) }),
  fc.record({ kind: fc.constant(ReadinessCheckKind.COMMAND as const), argv: fc.array(fc.string(), { minLength: 1 }) }),
  fc.record({ kind: fc.constant(ReadinessCheckKind.GRPC as const), probe: fc.string(), address: fc.string(), service: fc.string() }),
);
const hookArgs: fc.Arbitrary<WaitHookArgs> = fc.record({
  name: fc.string(),
  timeoutSeconds: fc.integer({ min: 1, max: 3600 }),
  pollIntervalSeconds: fc.integer({ min: 10, max: 60_000 }).map(ms => ms / 1000),
  busybox: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
  terminationMessagePath: fc.string(),
  check: checks,
}, { requiredKeys: ['name', 'timeoutSeconds', 'pollIntervalSeconds', 'terminationMessagePath', 'check'] });

test('decode(encode(args)) is args, for any values', () => {
  fc.assert(fc.property(hookArgs, args => {
    // GIVEN any arguments; WHEN encoded and decoded; THEN the same arguments
    expect(decodeWaitHook(encodeWaitHook(args))).toEqual(args);
  }));
});

test('the exec command: the shell, the script, $0, then the arguments in their documented order', () => {
  // GIVEN
  const args: WaitHookArgs = {
    name: 'proxy',
    timeoutSeconds: 120,
    pollIntervalSeconds: 0.25,
    terminationMessagePath: '/dev/termination-log',
    check: { kind: ReadinessCheckKind.HTTP_GET, url: 'http://127.0.0.1:80/healthz', headers: ['X-A: b'] },
  };

  // WHEN / THEN
  expect(encodeWaitHook(args)).toEqual(['/bin/sh', '-c', WAIT_SCRIPT, 'sidecar-first-wait', 'proxy', 'httpGet', '120', '0.25', '', '/dev/termination-log', 'http://127.0.0.1:80/healthz', 'X-A: b']);
  expect(encodeWaitHook({ ...args, busybox: '/sidecar-first/busybox' }).slice(0, 3)).toEqual(['/sidecar-first/busybox', 'sh', '-c']);
});

test('anything else decodes to undefined, never throws', () => {
  // GIVEN commands that are not (whole) wait hooks
  const hook = encodeWaitHook({ name: 'p', timeoutSeconds: 1, pollIntervalSeconds: 1, terminationMessagePath: '/t', check: { kind: ReadinessCheckKind.TCP_SOCKET, host: 'h', port: 1 } });
  const others: unknown[][] = [[], ['sh', '-c', 'sleep 1'], hook.slice(0, -1), [...hook.slice(0, 5), 'nope', ...hook.slice(6)], hook.map((a, i) => (i === 6 ? 'x' : a)), [...hook.slice(0, -1), 80]];

  // WHEN / THEN
  expect(others.map(command => decodeWaitHook(command))).toEqual(others.map(() => undefined));
  fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('sidecar-first-wait'), fc.constant('-c'))), command => {
    expect(() => decodeWaitHook(command)).not.toThrow();
  }));
});

test('the embedded script is wait-hook.sh as it is now (else: npx projen wait-hook-script)', () => {
  // GIVEN the script as written; WHEN embedded; THEN it is the committed module
  expect(fs.readFileSync(WAIT_HOOK_SCRIPT_TS, 'utf8')).toBe(waitHookScriptModule(fs.readFileSync(WAIT_HOOK_SH, 'utf8')));
});

const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
(shellcheck || process.env.CI ? test : test.skip)('wait-hook.sh is clean under `shellcheck -s sh` (CI requires shellcheck)', () => {
  // WHEN
  const result = spawnSync('shellcheck', ['-s', 'sh', WAIT_HOOK_SH], { encoding: 'utf8' });

  // THEN
  expect([result.status, result.stdout]).toEqual([0, '']);
});

test('the compiler passes the container\'s terminationMessagePath, else the kubelet\'s default', () => {
  // GIVEN a tcpSocket check as declared
  const check = { kind: ReadinessCheckKind.TCP_SOCKET, port: 5432 };

  // WHEN
  const paths = [undefined, '/var/run/why'].map(path => decodeWaitHook(waitHookCommand('pg', check, 120, 500, undefined, path))!.terminationMessagePath);

  // THEN
  expect(paths).toEqual(['/dev/termination-log', '/var/run/why']);
});
