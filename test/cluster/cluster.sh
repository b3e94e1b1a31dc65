#!/usr/bin/env bash
# A real single-node Kubernetes cluster for the tests, everything under one directory:
# Debian's etcd; kube-apiserver, kube-controller-manager and kube-scheduler of one release
# (test/node/build-kubernetes.sh); and the node of test/node/node.sh (containerd, the CNI
# bridge) whose kubelet, of the same release, registers with the API server.
#
#   cluster.sh start DIR VERSION   prints the cluster's settings as NAME=VALUE lines (also in
#                                  DIR/cluster.env): KUBECONFIG (an admin's, system:masters),
#                                  NODE_NAME, API_SERVER and node.sh's (BRIDGE, SUBNET, ...)
#   cluster.sh stop DIR            stops and removes all of it: the node (pods, mounts,
#                                  bridge, cgroups), the control plane, DIR itself; safe to
#                                  run twice
#   cluster.sh sweep               stops the clusters under /tmp whose owner (the pid in
#                                  DIR/owner.pid) is gone: a killed test run
#
# Every server listens on 127.0.0.1 (ports from free_ports), the kubelet on the bridge's
# host address. Certificates come from openssl: a CA; the API server's serving
# certificate; client certificates for an admin (O=system:masters), the kubelet
# (CN=system:node:NAME, O=system:nodes), the controller manager and the scheduler; the API
# server's for the kubelet. Authorization is Node,RBAC. Pods get real service-account
# tokens and the kube-root-ca.crt ConfigMap. There is no kube-proxy and no cluster DNS:
# Service ClusterIPs lead nowhere and pods resolve no names (docs/cluster-tests.md).
# Needs root, etcd, openssl, curl, the binaries and the stand-in images of prepare.sh.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: cluster.sh start DIR VERSION | stop DIR | sweep"
cmd=${1:?$usage}
# shellcheck source=test/support/processes.sh
. "$here/../support/processes.sh"
if [ "$cmd" = sweep ]; then
  sweep_orphans cluster.env "$0" /tmp/sfn-cluster-*/cluster.env /tmp/sidecar-first-test-*/sfn-cluster-*/cluster.env
  exit 0
fi
dir=${2:?$usage}
dir=$(realpath -m "$dir")

log() { echo "cluster.sh: $*" >&2; }

# shellcheck source=test/support/free-port.sh
. "$here/../support/free-port.sh"
# shellcheck source=test/support/pki.sh
. "$here/../support/pki.sh"

# Runs a server of the control plane in the background; its log is DIR/NAME.log.
serve() {
  local name=$1
  shift
  setsid "$@" >"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

# Whether every server started so far still runs.
alive() {
  local pid
  for pid in "$dir"/*.pid; do
    kill -0 "$(cat "$pid")" 2>/dev/null || { log "${pid##*/} exited"; return 1; }
  done
}

fail() {
  log "$*"
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler node/kubelet; do
    [ -f "$dir/$name.log" ] && { echo "--- last lines of $name.log" >&2; tail -n 20 "$dir/$name.log" >&2; }
  done
  stop
  exit 1
}

# The CA, certificates and kubeconfigs in PKI_DIR: certificates PKI_DIR NODE_NAME SERVER
certificates() {
  local node=$2 server=$3 user
  cd "$1" || return
  pki_ca || return
  pki_sign kube-apiserver /CN=kube-apiserver $'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth' || return
  pki_sign admin /O=system:masters/CN=admin extendedKeyUsage=clientAuth || return
  # The API server's identity towards the kubelet (logs, exec): allowed everything there.
  pki_sign kube-apiserver-kubelet-client /O=system:masters/CN=kube-apiserver-kubelet-client extendedKeyUsage=clientAuth || return
  pki_sign kubelet "/O=system:nodes/CN=system:node:$node" extendedKeyUsage=clientAuth || return
  pki_sign kube-controller-manager /CN=system:kube-controller-manager extendedKeyUsage=clientAuth || return
  pki_sign kube-scheduler /CN=system:kube-scheduler extendedKeyUsage=clientAuth || return
  pki_key service-account || return
  for user in admin kubelet kube-controller-manager kube-scheduler; do
    pki_kubeconfig "$user.kubeconfig" "$server" "$user" || return
  done
}

start() {
  local version=${3:?$usage}
  version=${version#v}
  local cache=${SIDECAR_FIRST_CACHE:-$HOME/.cache/sidecar-first}
  local bin=$cache/kubernetes/v$version images=$cache/node/images.tar binary etcd
  for binary in kubelet kube-apiserver kube-controller-manager kube-scheduler; do
    [ -x "$bin/$binary" ] || { log "no $bin/$binary: run test/node/build-kubernetes.sh $version"; exit 3; }
  done
  [ -f "$images" ] || { log "no $images: run test/node/prepare.sh"; exit 3; }
  etcd=$(command -v etcd) || { log "no etcd: apt-get install etcd-server"; exit 3; }
  command -v openssl >/dev/null || { log "no openssl"; exit 3; }
  [ ! -e "$dir/cluster.env" ] || { log "$dir already holds a cluster"; exit 1; }
  mkdir -p "$dir/pki"

  local id node etcd_port peer_port port cm_port scheduler_port server
  id=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  node=sfn-$id
  read -r etcd_port peer_port port cm_port scheduler_port < <(free_ports 5)
  server=https://127.0.0.1:$port
  # Written first: stop finds the node's directory here.
  cat >"$dir/cluster.env" <<ENV
CLUSTER_VERSION=$version
KUBECONFIG=$dir/pki/admin.kubeconfig
API_SERVER=$server
NODE_DIR=$dir/node
ENV

  local pki=$dir/pki
  (certificates "$pki" "$node" "$server") || fail "cannot make the certificates"

  serve etcd "$etcd" --name default --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port"
  # No endpoint reconciler: the kubernetes Service would point at 127.0.0.1, which pods
  # cannot reach, and without kube-proxy its ClusterIP leads nowhere anyway.
  serve kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$port" --cert-dir "$dir/kube-apiserver" \
    --tls-cert-file "$pki/kube-apiserver.crt" --tls-private-key-file "$pki/kube-apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/service-account.key" --service-account-signing-key-file "$pki/service-account.key" \
    --service-cluster-ip-range 10.96.0.0/24 --endpoint-reconciler-type none \
    --kubelet-client-certificate "$pki/kube-apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/kube-apiserver-kubelet-client.key" --kubelet-preferred-address-types InternalIP \
    --profiling=false
  local deadline=$((SECONDS + ${SIDECAR_FIRST_APISERVER_TIMEOUT:-180}))
  until curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$server/readyz" >/dev/null 2>&1; do
    alive || fail "the control plane exited before it was ready"
    [ $SECONDS -lt $deadline ] || fail "kube-apiserver not ready after ${SIDECAR_FIRST_APISERVER_TIMEOUT:-180} s"
    sleep 0.5
  done

  # Every controller under its own service account, whose tokens the controller manager
  # signs; the root CA goes into every namespace's kube-root-ca.crt.
  serve kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$pki/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$pki/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$pki/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$cm_port" --cert-dir "$dir/kube-controller-manager" \
    --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$pki/service-account.key" --root-ca-file "$pki/ca.crt" \
    --cluster-name "$node" --profiling=false
  serve kube-scheduler "$bin/kube-scheduler" --kubeconfig "$pki/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$pki/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$pki/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$scheduler_port" --cert-dir "$dir/kube-scheduler" \
    --leader-elect=false --profiling=false

  bash "$here/../node/node.sh" start "$dir/node" "$bin/kubelet" "$images" "$id" "$pki/kubelet.kubeconfig" "$pki/ca.crt" \
    >/dev/null || fail "the node did not start"
  cat "$dir/node/node.env" >>"$dir/cluster.env"

  # Ready: the node (runtime and network up) and the default namespace's service account,
  # which the controller manager makes (the sign its service-account controllers work).
  deadline=$((SECONDS + 120))
  local api=(curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key")
  until "${api[@]}" "$server/api/v1/nodes/$node?pretty=false" 2>/dev/null | grep -q '"type":"Ready","status":"True"' \
    && "${api[@]}" "$server/api/v1/namespaces/default/serviceaccounts/default" >/dev/null 2>&1; do
    alive || fail "the control plane exited before the node was ready"
    [ $SECONDS -lt $deadline ] || fail "node $node not Ready after 120 s"
    sleep 0.5
  done
  cat "$dir/cluster.env"
}

stop() {
  [ -d "$dir" ] || return 0
  # Nothing makes new pods once the controllers and the scheduler are gone; node.sh then
  # stops the pods, the kubelet and containerd, and removes the node's traces.
  stop_pid "$dir/kube-controller-manager.pid"
  stop_pid "$dir/kube-scheduler.pid"
  bash "$here/../node/node.sh" stop "$dir/node"
  stop_pid "$dir/kube-apiserver.pid"
  stop_pid "$dir/etcd.pid"
  rm -rf "$dir"
}

case $cmd in
  start) start "$@" ;;
  stop) stop ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
