import { ReadinessCheckKind } from '../../constructs/readiness-check';
import { ResolvedCheck } from '../declare/declare-sidecar';
import { SIDECAR_FIRST_HOOK } from '../rules/kubelet-rules';

/**
 * The postStart wait hook: a POSIX shell script that polls the readiness
 * check until it passes (exit 0) or the deadline comes (a message on stderr,
 * which the kubelet puts in the FailedPostStartHook event, and exit 1).
 *
 * The script text is constant. Every value a user declared (name, path,
 * host, headers, argv) reaches it as a positional argument and is only ever
 * expanded in double quotes, never evaluated: injection is impossible by
 * construction (the kubelet execs the argv directly, no shell in between).
 *
 * Arguments: NAME KIND TIMEOUT_S INTERVAL_S BUSYBOX, then per KIND:
 *   httpGet URL [HEADER...]   tcpSocket HOST PORT   command ARGV...   grpc PROBE ADDR SERVICE
 * BUSYBOX is empty, or the path of a static busybox that runs every tool.
 *
 * Works with dash, bash and busybox sh; with wget (GNU, busybox, with or
 * without -T) or curl; with nc with or without -z (Debian's busybox has none).
 * Each attempt is bounded to 1 s, like the kubelet's probe timeout.
 *
 * No EXIT trap: bash runs an inherited EXIT trap in a subshell killed by
 * SIGTERM (the attempt guard), which would end the deadline early.
 * @internal
 */
export const WAIT_SCRIPT = `name=$1 kind=$2 timeout=$3 interval=$4 bb=$5
shift 5
say() { echo "sidecar-first: sidecar \\"$name\\" $*" >&2; }
finish() { kill $deadline 2>/dev/null; exit $1; }
fail() { say "$*"; finish 1; }
has() { [ -n "$bb" ] || command -v "$1" >/dev/null 2>&1; }
bounded() {
  "$@" &
  job=$!
  ( $bb sleep 1; kill $job ) </dev/null >/dev/null 2>&1 &
  guard=$!
  wait $job
  rc=$?
  kill $guard 2>/dev/null
  return $rc
}
attempt_httpGet() {
  url=$1
  shift
  if has wget; then
    n=$#
    for h do set -- "$@" --header "$h"; done
    shift $n
    case $url in https:*) set -- "$@" --no-check-certificate ;; esac
    case $($bb wget --help 2>&1) in *-T*) set -- "$@" -T 1 ;; esac
    code=$(bounded $bb wget -S -O /dev/null "$@" "$url" 2>&1 | while read -r proto status rest; do
      case $proto in HTTP/*) echo "$status"; break ;; esac
    done)
  elif has curl; then
    n=$#
    for h do set -- "$@" -H "$h"; done
    shift $n
    code=$(bounded curl -sk -o /dev/null -w '%{http_code}' --max-time 1 "$@" "$url")
  else
    fail "cannot be checked: the image has neither wget nor curl (set waitToolImage)"
  fi
  case $code in 2??|3??) return 0 ;; esac
  last="GET $url answered \${code:-nothing}"
  return 1
}
attempt_tcpSocket() {
  has nc || fail "cannot be checked: the image has no nc (set waitToolImage)"
  case $($bb nc -h 2>&1) in
    *-z*) bounded $bb nc -z -w 1 "$1" "$2" </dev/null >/dev/null 2>&1 && return 0 ;;
    *) bounded $bb nc -w 1 "$1" "$2" </dev/null >/dev/null 2>&1 && return 0 ;;
  esac
  last="no TCP connection to $1:$2"
  return 1
}
attempt_command() {
  bounded "$@" </dev/null >/dev/null 2>&1 && return 0
  [ $rc = 127 ] && fail "cannot be checked: $1 is not in the image"
  last="$1 exited $rc"
  return 1
}
attempt_grpc() {
  [ -x "$1" ] || fail "cannot be checked: $1 (grpc_health_probe) is not in the image"
  bounded "$1" "-addr=$2" "-service=$3" -connect-timeout=1s -rpc-timeout=1s </dev/null >/dev/null 2>&1 && return 0
  last="gRPC health of $2 is not SERVING"
  return 1
}
$bb sleep "$timeout" </dev/null >/dev/null 2>&1 &
deadline=$!
while :; do
  attempt_$kind "$@" && finish 0
  kill -0 $deadline 2>/dev/null || fail "is not ready after $timeout s: $last"
  $bb sleep "$interval" 2>/dev/null || $bb sleep 1
done
`;

/**
 * Where `waitToolImage`'s static busybox is copied to, in the sidecar.
 * @internal
 */
export const WAIT_TOOL_DIR = '/sidecar-first';
/** @internal */
export const WAIT_TOOL_BUSYBOX = `${WAIT_TOOL_DIR}/busybox`;

/**
 * The postStart exec command that waits for `check`.
 * @param busybox path of a static busybox to run everything with, if any
 * @internal
 */
export function waitHookCommand(
  name: string, check: ResolvedCheck, timeoutSeconds: number, pollIntervalMs: number, busybox?: string,
): string[] {
  const shell = busybox ? [busybox, 'sh'] : ['/bin/sh'];
  return [
    ...shell, '-c', WAIT_SCRIPT, SIDECAR_FIRST_HOOK,
    name, check.kind, String(timeoutSeconds), String(pollIntervalMs / 1000), busybox ?? '',
    ...checkArguments(check),
  ];
}

function checkArguments(check: ResolvedCheck): string[] {
  switch (check.kind) {
    case ReadinessCheckKind.HTTP_GET:
      return [httpUrl(check), ...check.headers!.map(([name, value]) => `${name}: ${value}`)];
    case ReadinessCheckKind.TCP_SOCKET:
      return [LOOPBACK, String(check.port)];
    case ReadinessCheckKind.COMMAND:
      return [...check.argv!];
    case ReadinessCheckKind.GRPC:
      return [check.grpcHealthProbe!, `${hostForUrl(LOOPBACK)}:${check.port}`, check.service ?? ''];
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
  return `${check.scheme!.toLowerCase()}://${hostForUrl(check.host ?? LOOPBACK)}:${check.port}${escapePath(check.path!)}`;
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
