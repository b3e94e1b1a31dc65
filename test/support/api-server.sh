#!/usr/bin/env bash
# Runs a real kube-apiserver (built by test/node/build-kubernetes.sh) on Debian's etcd,
# everything on 127.0.0.1, unprivileged, in one temporary directory; stops both and
# removes the directory when it exits, on failure too.
#
#   api-server.sh 1.37.2                      prints "ready KUBECONFIG" once /readyz
#                                             answers, then serves until SIGTERM/SIGINT,
#                                             or until its parent process is gone
#   api-server.sh 1.37.2 -- kubectl get ns    runs the command with KUBECONFIG set, then stops
#   api-server.sh 1.37.2 --audit-log ...      also writes an audit log of every Pod request
#                                             (level Metadata: the admission policies'
#                                             annotations) to audit.log next to the kubeconfig
set -euo pipefail
version=${1:?usage: api-server.sh X.Y.Z [-- COMMAND...]}
version=${version#v}
shift
audit=false
[ "${1:-}" != --audit-log ] || { audit=true; shift; }
[ "${1:-}" != -- ] || shift
cache=${SIDECAR_FIRST_CACHE:-$HOME/.cache/sidecar-first}
apiserver=$cache/kubernetes/v$version/kube-apiserver
[ -x "$apiserver" ] || { echo "no $apiserver: run test/node/build-kubernetes.sh $version" >&2; exit 3; }
etcd=$(command -v etcd) || { echo "no etcd: apt-get install etcd-server" >&2; exit 3; }
command -v openssl >/dev/null || { echo "no openssl" >&2; exit 3; }

parent=$PPID
# Orphaned before it even started (the parent already gone): nothing to serve.
[ "$parent" != 1 ] || { echo "api-server.sh: its parent process is gone" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/api-server-$version-XXXXXX")
pids=()
stop() {
  local status=$?
  # Nothing here outlives the run: a short grace, then SIGKILL (an API server whose etcd is
  # gone can take a minute to shut down).
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
fail() {
  echo "api-server $version: $*" >&2
  for log in "$dir"/etcd.log "$dir"/kube-apiserver.log; do
    [ -f "$log" ] && { echo "--- last lines of ${log##*/}" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

# shellcheck source=test/support/free-port.sh
. "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"
# shellcheck source=test/support/pki.sh
. "$(dirname "${BASH_SOURCE[0]}")/pki.sh"

# A CA, a serving certificate for 127.0.0.1, a client certificate in system:masters,
# and the service-account signing key the API server requires.
cd "$dir"
if ! { pki_ca \
  && pki_sign server /CN=kube-apiserver $'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth' \
  && pki_sign admin /O=system:masters/CN=admin 'extendedKeyUsage=clientAuth' \
  && pki_key service-account; }; then
  fail "cannot make its certificates"
fi

audit_flags=()
if $audit; then
  # Pods only, and no request bodies: the log stays small and the dry-run tests as fast.
  cat >audit-policy.yaml <<'YAML'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  resources: [{group: "", resources: [pods]}]
- level: None
YAML
  audit_flags=(--audit-policy-file audit-policy.yaml --audit-log-path "$dir/audit.log")
fi

read -r etcd_port peer_port port < <(free_ports 3)
"$etcd" --name default --data-dir "$dir/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "default=http://127.0.0.1:$peer_port" >etcd.log 2>&1 &
pids+=($!)

# The ServiceAccount admission plugin is left out: it rejects a pod whose service account
# does not exist, and with no controller manager not even "default" does; a dry run
# never creates the ServiceAccount a chart declares next to its pods.
"$apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$port" \
  --tls-cert-file server.crt --tls-private-key-file server.key --client-ca-file ca.crt \
  --cert-dir "$dir/certs" --authorization-mode AlwaysAllow \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file service-account.key \
  --service-account-signing-key-file service-account.key \
  --disable-admission-plugins ServiceAccount --endpoint-reconciler-type none --profiling=false \
  "${audit_flags[@]}" \
  >kube-apiserver.log 2>&1 &
pids+=($!)

alive() { for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || return 1; done; }
deadline=$((SECONDS + ${SIDECAR_FIRST_APISERVER_TIMEOUT:-180}))
until curl -fsS --cacert ca.crt --cert admin.crt --key admin.key "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  alive || fail "exited before it was ready"
  kill -0 "$parent" 2>/dev/null || fail "its parent process is gone"
  [ $SECONDS -lt $deadline ] || fail "not ready after ${SIDECAR_FIRST_APISERVER_TIMEOUT:-180} s"
  sleep 0.5
done

pki_kubeconfig kubeconfig "https://127.0.0.1:$port" admin

if [ $# -gt 0 ]; then
  KUBECONFIG=$dir/kubeconfig "$@"
  exit
fi
echo "ready $dir/kubeconfig"
while alive && kill -0 "$parent" 2>/dev/null; do
  sleep 1 &
  wait $! || true
done
alive || fail "exited while serving"
