# shellcheck shell=sh
# The postStart wait hook of cdk8s-sidecar-first: polls a readiness check
# until it passes (exit 0) or the deadline comes (exit 1, saying why).
#
# Run as: /bin/sh -c SCRIPT sidecar-first-wait NAME KIND TIMEOUT_S INTERVAL_S
#           BUSYBOX MESSAGE_PATH CHECK...
# (encoded and decoded by hook-arguments.ts only). Every value reaches the
# script as a positional argument and is only expanded in double quotes.
#
# Portable to dash, bash, busybox sh, mksh, posh, yash, zsh and ksh93 as
# /bin/sh; needs /proc (the clock and process states), `sleep` and `kill`.
# No process outlives the hook: every child is waited for, because the
# container's PID 1 inherits orphans and most sidecars' PID 1 never reaps.
# No EXIT trap: shells differ in when they run it.
# yash as sh runs echo and [ only if they are on PATH too: not POSIX mode.
# shellcheck disable=SC3040 # only yash gets here
case ${YASH_VERSION-} in ?*) set +o posixlycorrect ;; esac
name=$1 kind=$2 timeout=$3 interval=$4 bb=$5 message_path=$6
shift 6

say() {
  message="sidecar-first: sidecar \"$name\" $*"
  echo "$message" >&2
}

# Whether process $1 still runs: /proc tells a zombie from a live process,
# which `kill -0` does not (and the shell may not have reaped it yet).
running() {
  state=
  { read -r state </proc/"$1"/stat; } 2>/dev/null
  case $state in "" | *") "[ZX]" "*) return 1 ;; esac
}
# Waits for job $1, killing it after 3 ticks.
settle() {
  n=3
  while running "$1"; do
    if [ "$n" = 0 ]; then
      kill -9 "$1" 2>/dev/null
      break
    fi
    n=$((n - 1))
    ${bb:+"$bb"} sleep "$tick" </dev/null >/dev/null 2>&1
  done
  wait "$1" 2>/dev/null
}
# The kubelet shows neither the hook's output nor its exit code in events
# (only "PostStartHook failed"): `kubectl describe pod` shows the container's
# termination message and its log, so the reason goes there too, if writable.
# Each write in the background, settled: opening a FIFO (a container's stdio
# may be one) blocks while it has no reader, and the kubelet would wait.
fail() {
  say "$*"
  { echo "$message" >"$message_path"; } 2>/dev/null &
  first=$!
  { echo "$message" >>/proc/1/fd/2; } 2>/dev/null &
  second=$!
  settle $first
  settle $second
  exit 1
}
has() { [ -n "$bb" ] || command -v "$1" >/dev/null 2>&1; }

# Sleep 0.1 s between looks at a running process, or 1 s where sleep takes
# whole seconds only (then the poll interval rounds up too). An attempt is
# first looked at after 0.01 s, then 0.02 and 0.05 s: most answer in a few
# milliseconds, and a whole tick would add up to 0.1 s to each.
tick=0.1 first=0.01
if ! ${bb:+"$bb"} sleep 0.01 2>/dev/null; then
  tick=1 first=1
  case $interval in *.*) interval=$((${interval%.*} + 1)) ;; esac
fi
has sleep || fail "cannot be checked: the image has no sleep (set waitToolImage)"
# posh has no kill builtin: without one, no attempt could be bounded.
has kill || fail "cannot be checked: the image has no kill (set waitToolImage)"

# The clock: centiseconds since the hook started, from /proc/uptime (no
# process per reading; shell arithmetic may be 32-bit, so relative seconds).
{ read -r up _ </proc/uptime; } 2>/dev/null || fail "cannot be checked: /proc/uptime is not readable"
start=${up%.*}
clock() {
  read -r up _ </proc/uptime
  cs=${up#*.}
  now=$(((${up%.*} - start) * 100 + ${cs#0}))
}
clock
deadline=$((now + timeout * 100))

# Runs the program "$@" (exec'd: one process, no shell function or builtin)
# for at most 1 s, like a kubelet probe with timeoutSeconds 1, and not past
# the deadline; kills and reaps it when time is up: status 124 at 1 s, 125
# at the deadline, also left in `killed` (empty if the program exited).
attempt() {
  clock
  stop=$((now + 100)) late=124 killed=
  [ "$stop" -lt "$deadline" ] || stop=$deadline late=125
  exec "$@" &
  job=$!
  pause=$first
  while running "$job"; do
    clock
    if [ "$now" -ge "$stop" ]; then
      kill -9 "$job" 2>/dev/null
      wait "$job" 2>/dev/null
      killed=$late
      return $late
    fi
    ${bb:+"$bb"} sleep "$pause" </dev/null >/dev/null 2>&1
    case $pause in 0.01) pause=0.02 ;; 0.02) pause=0.05 ;; *) pause=$tick ;; esac
  done
  wait "$job"
}

# The file exec would run for program $1, in `program` (empty if none): $1
# itself if it has a slash, else the first executable file of that name on
# PATH (mksh's and posh's exec would run a function or builtin of the name).
find_program() {
  program=
  case $1 in
  */*) [ ! -f "$1" ] || [ ! -x "$1" ] || program=$1 ;;
  *)
    saved_ifs=$IFS
    IFS=:
    for dir in $PATH; do
      if [ -f "${dir:-.}/$1" ] && [ -x "${dir:-.}/$1" ]; then
        program=${dir:-.}/$1
        break
      fi
    done
    IFS=$saved_ifs
    ;;
  esac
}

# Kubelet probes use no proxy; neither does the hook (tools read these).
[ "$kind" = command ] || unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# Per kind: which tool and which of its options, found out once; then
# check_KIND, one attempt, which sets `rc` and `why` it failed.
nl='
'
case $kind in
httpGet)
  url=$1
  shift
  # curl first (not busybox's applet): one process. BusyBox wget may fork
  # a TLS helper it never reaps (Debian's: openssl; Alpine's: ssl_client).
  if [ -z "$bb" ] && command -v curl >/dev/null 2>&1; then
    tool=curl
    for header do set -- "$@" -H "$header"; shift; done
  elif has wget; then
    tool=wget
    for header do set -- "$@" --header "$header"; shift; done
    case $url in https:*) set -- "$@" --no-check-certificate ;; esac
    # GNU wget: one try, redirects as the kubelet follows them, no proxy
    # even from a wgetrc. BusyBox wget reads no rc file.
    case $(${bb:+"$bb"} wget --help 2>&1) in *--no-proxy*) set -- "$@" -t 1 --max-redirect=10 --no-proxy ;; esac
  else
    fail "cannot be checked: the image has neither curl nor wget (set waitToolImage)"
  fi
  ;;
tcpSocket)
  has nc || fail "cannot be checked: the image has no nc (set waitToolImage)"
  # Debian's busybox nc has no -z; without it, stdin at EOF ends nc.
  zero=
  case $(${bb:+"$bb"} nc -h 2>&1) in *-z*) zero=-z ;; esac
  ;;
grpc)
  # A tool of the hook, like curl (the kubelet's gRPC probe needs none): a
  # path, or a name found on PATH.
  find_program "$1"
  [ -n "$program" ] || fail "cannot be checked: the image has no $1 (grpcHealthProbe)"
  probe=$program
  ;;
esac

# 2xx and 3xx pass, as for the kubelet, which follows up to 10 redirects
# (more fail); the tools follow them too (BusyBox wget to its own limit).
check_httpGet() {
  if [ "$tool" = curl ]; then
    code=$(attempt curl -q -s -k -L --max-redirs 10 -o /dev/null -w '%{http_code}' "$@" "$url" 2>/dev/null </dev/null)
    rc=$?
    [ "$code" != 000 ] || code=
  else
    out=$(attempt ${bb:+"$bb"} wget -S -O /dev/null "$@" "$url" 2>&1 </dev/null)
    rc=$?
    # The status line of the last response: "  HTTP/1.1 503 ..." (-S).
    code=
    case $nl$out in
    *"$nl  HTTP/"*)
      code=${nl}${out}
      code=${code##*"$nl  HTTP/"}
      code=${code#* }
      code=${code%%[!0-9]*}
      ;;
    esac
  fi
  # A response cut short by the time limit is no answer (as for the kubelet).
  if [ "$rc" -ge 124 ]; then
    why="GET $url did not answer within 1 s"
    return 1
  fi
  case $rc$code in 02?? | 03??) return 0 ;; esac
  case $code in
  3??) why="GET $url answered $code after too many redirects" ;;
  ?*) why="GET $url answered $code" ;;
  *) why="GET $url answered nothing" ;;
  esac
  return 1
}
check_tcpSocket() {
  attempt ${bb:+"$bb"} nc ${zero:+"$zero"} -w 1 "$1" "$2" </dev/null >/dev/null 2>&1 && return 0
  rc=$?
  why="no TCP connection to $1:$2"
  return 1
}
# The user's program is looked up at every attempt: when it is missing, the
# kubelet's exec probe errors and the kubelet keeps probing (the runtime may
# create it later, e.g. from a shared volume). Any exit status, 127 too, is a
# failed attempt, as for the kubelet.
check_command() {
  find_program "$1"
  if [ -z "$program" ]; then
    rc=1
    why="$1 is not in the image"
    return 1
  fi
  name_of_program=$1
  shift
  attempt "$program" "$@" </dev/null >/dev/null 2>&1 && return 0
  rc=$?
  # Only attempt's kill means a timeout: the program may exit 124 itself.
  if [ -n "$killed" ]; then
    why="$name_of_program did not exit within 1 s"
    rc=$killed
  else
    why="$name_of_program exited $rc"
    rc=1
  fi
  return 1
}
check_grpc() {
  attempt "$probe" "-addr=$2" "-service=$3" -connect-timeout=1s -rpc-timeout=1s </dev/null >/dev/null 2>&1 && return 0
  rc=$?
  why="gRPC health of $2 is not SERVING"
  return 1
}

while :; do
  check_"$kind" "$@" && exit 0
  # An attempt the deadline cut short says less than the one before it.
  [ "$rc" = 125 ] && [ -n "${last-}" ] || last=$why
  clock
  [ "$now" -lt "$deadline" ] || fail "is not ready after $timeout s: $last"
  ${bb:+"$bb"} sleep "$interval" </dev/null >/dev/null 2>&1
done
