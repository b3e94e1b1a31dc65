import { WAIT_SCRIPT } from './wait-hook-script';
import { ReadinessCheckKind } from '../../constructs/readiness-check';

/**
 * `$0` of the library's wait hook: how the hook is recognised in any manifest.
 * @internal
 */
export const SIDECAR_FIRST_HOOK = 'sidecar-first-wait';

/**
 * The arguments of the postStart wait hook (wait-hook.sh): the one place
 * that knows their order. The compiler encodes them, the analyzer and the
 * tests decode them. The hook's exec command is
 *
 *   SHELL... -c SCRIPT sidecar-first-wait NAME KIND TIMEOUT_S INTERVAL_S BUSYBOX MESSAGE_PATH CHECK...
 *
 * SHELL is `/bin/sh`, or `BUSYBOX sh`; BUSYBOX is empty or the path of a
 * static busybox that runs every tool; CHECK is, per KIND:
 *   httpGet URL [HEADER...]   tcpSocket HOST PORT   command ARGV...   grpc PROBE ADDRESS SERVICE
 * @internal
 */
export interface WaitHookArgs {
  /** The sidecar's container name, for messages. */
  readonly name: string;
  readonly timeoutSeconds: number;
  readonly pollIntervalSeconds: number;
  /** A static busybox that runs the shell and every tool, if any. */
  readonly busybox?: string;
  /** Where the failure reason goes for `kubectl describe pod` (the container's terminationMessagePath). */
  readonly terminationMessagePath: string;
  readonly check: WaitHookCheck;
}

/** What the hook checks, per kind. @internal */
export type WaitHookCheck =
  | { readonly kind: ReadinessCheckKind.HTTP_GET; readonly url: string; readonly headers: readonly string[] }
  | { readonly kind: ReadinessCheckKind.TCP_SOCKET; readonly host: string; readonly port: number }
  | { readonly kind: ReadinessCheckKind.COMMAND; readonly argv: readonly string[] }
  | { readonly kind: ReadinessCheckKind.GRPC; readonly probe: string; readonly address: string; readonly service: string };

/** The postStart exec command of `args`. @internal */
export function encodeWaitHook(args: WaitHookArgs): string[] {
  return [
    ...(args.busybox ? [args.busybox, 'sh'] : ['/bin/sh']), '-c', WAIT_SCRIPT, SIDECAR_FIRST_HOOK,
    args.name, args.check.kind, String(args.timeoutSeconds), String(args.pollIntervalSeconds), args.busybox ?? '',
    args.terminationMessagePath, ...checkArguments(args.check),
  ];
}

/**
 * Whether `command` is the library's wait hook, of this version or an older
 * one (whose arguments `decodeWaitHook` may not read): it polls either way.
 * @internal
 */
export function isWaitHook(command: readonly unknown[]): boolean {
  const ours = command.indexOf(SIDECAR_FIRST_HOOK);
  return ours >= 2 && command[ours - 2] === '-c';
}

/** The arguments of a wait hook's exec command; undefined for any other command (never throws). @internal */
export function decodeWaitHook(command: readonly unknown[]): WaitHookArgs | undefined {
  const rest = command.slice(command.indexOf(SIDECAR_FIRST_HOOK) + 1);
  if (!isWaitHook(command) || !rest.every(arg => typeof arg === 'string')) {
    return undefined;
  }
  const [name, kind, timeout, interval, busybox, terminationMessagePath, ...checkArgs] = rest as string[];
  const check = decodeCheck(kind, checkArgs);
  if (check === undefined || !/^\d+$/.test(timeout) || !/^\d+(\.\d+)?$/.test(interval ?? '') || terminationMessagePath === undefined) {
    return undefined;
  }
  return {
    name,
    timeoutSeconds: Number(timeout),
    pollIntervalSeconds: Number(interval),
    ...(busybox ? { busybox } : {}),
    terminationMessagePath,
    check,
  };
}

function checkArguments(check: WaitHookCheck): string[] {
  switch (check.kind) {
    case ReadinessCheckKind.HTTP_GET:
      return [check.url, ...check.headers];
    case ReadinessCheckKind.TCP_SOCKET:
      return [check.host, String(check.port)];
    case ReadinessCheckKind.COMMAND:
      return [...check.argv];
    case ReadinessCheckKind.GRPC:
      return [check.probe, check.address, check.service];
  }
}

function decodeCheck(kind: string | undefined, args: string[]): WaitHookCheck | undefined {
  switch (kind) {
    case ReadinessCheckKind.HTTP_GET:
      return args.length >= 1 ? { kind: ReadinessCheckKind.HTTP_GET, url: args[0], headers: args.slice(1) } : undefined;
    case ReadinessCheckKind.TCP_SOCKET:
      return args.length === 2 && /^\d+$/.test(args[1]) ? { kind: ReadinessCheckKind.TCP_SOCKET, host: args[0], port: Number(args[1]) } : undefined;
    case ReadinessCheckKind.COMMAND:
      return args.length >= 1 ? { kind: ReadinessCheckKind.COMMAND, argv: args } : undefined;
    case ReadinessCheckKind.GRPC:
      return args.length === 3 ? { kind: ReadinessCheckKind.GRPC, probe: args[0], address: args[1], service: args[2] } : undefined;
    default:
      return undefined;
  }
}
