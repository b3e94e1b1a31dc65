import { encodeWaitHook, WaitHookCheck } from './hook-arguments';
import { ReadinessCheckKind } from '../../constructs/readiness-check';
import { ResolvedCheck } from '../declare/declare-sidecar';

/*
 * The postStart wait hook (wait-hook.sh, embedded as WAIT_SCRIPT in the
 * generated wait-hook-script.ts) polls the readiness check until it passes or
 * the deadline comes. Every value a user declared (name, path, host, headers,
 * argv) reaches it as a positional argument (hook-arguments.ts) and is only
 * expanded in double quotes, never evaluated: injection is impossible by
 * construction (the kubelet execs the argv directly, no shell in between).
 */

/**
 * Where `waitToolImage`'s static busybox is copied to, in the sidecar.
 * @internal
 */
export const WAIT_TOOL_DIR = '/sidecar-first';
/** @internal */
export const WAIT_TOOL_BUSYBOX = `${WAIT_TOOL_DIR}/busybox`;

/** The kubelet's default `terminationMessagePath`. */
const TERMINATION_LOG = '/dev/termination-log';

/**
 * The postStart exec command that waits for `check`.
 * @param busybox path of a static busybox to run everything with, if any
 * @param terminationMessagePath the sidecar container's, if it declares one
 * @internal
 */
export function waitHookCommand(
  name: string, check: ResolvedCheck, timeoutSeconds: number, pollIntervalMs: number, busybox?: string,
  terminationMessagePath?: string,
): string[] {
  return encodeWaitHook({
    name,
    timeoutSeconds,
    pollIntervalSeconds: pollIntervalMs / 1000,
    busybox,
    terminationMessagePath: terminationMessagePath ?? TERMINATION_LOG,
    check: hookCheck(check),
  });
}

function hookCheck(check: ResolvedCheck): WaitHookCheck {
  switch (check.kind) {
    case ReadinessCheckKind.HTTP_GET:
      return { kind: check.kind, url: httpUrl(check), headers: check.headers!.map(([name, value]) => `${name}: ${value}`) };
    case ReadinessCheckKind.TCP_SOCKET:
      return { kind: check.kind, host: LOOPBACK, port: check.port! };
    case ReadinessCheckKind.COMMAND:
      return { kind: check.kind, argv: check.argv! };
    case ReadinessCheckKind.GRPC:
      return { kind: check.kind, probe: check.grpcHealthProbe!, address: `${hostForUrl(LOOPBACK)}:${check.port}`, service: check.service ?? '' };
  }
}

/**
 * The hook runs inside the sidecar, so it reaches the sidecar over loopback
 * (the kubelet's probes use the pod IP, which reaches the same sockets unless
 * the sidecar binds to one address only).
 */
const LOOPBACK = '127.0.0.1';

/** The URL the kubelet would request for this check (scheme, host, port, escaped path). */
function httpUrl(check: ResolvedCheck): string {
  // An empty host is no host: the kubelet then uses the pod IP, which the hook reaches as loopback.
  return `${check.scheme!.toLowerCase()}://${hostForUrl(check.host || LOOPBACK)}:${check.port}${escapePath(check.path!)}`;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Percent-encodes what may not appear raw in a request target (space, quotes,
 * control characters, non-ASCII...), as the kubelet's Go URL encoding does;
 * keeps RFC 3986 path and query characters and existing %-escapes.
 */
function escapePath(path: string): string {
  return Array.from(Buffer.from(path, 'utf8'))
    .map(byte => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}
