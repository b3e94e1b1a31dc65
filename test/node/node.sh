#!/usr/bin/env bash
# shellcheck disable=SC2153 # stop reads BRIDGE, CGROUP_ROOT, NAMESPACE from node.env
# A real Kubernetes node for the tests: containerd (Debian's, with runc and the CNI
# bridge plugin) and a kubelet, everything under one directory. Standalone (no API
# server: static pods from a directory, status on the read-only port), or registered
# with an API server (test/cluster/cluster.sh).
#
#   node.sh start DIR KUBELET IMAGES_TAR   prints the node's settings as NAME=VALUE lines
#                                          (also in DIR/node.env)
#   node.sh start DIR KUBELET IMAGES_TAR ID KUBECONFIG CLIENT_CA
#                                          the same node, named sfn-ID, its kubelet
#                                          registered with the API server of KUBECONFIG
#                                          (whose client certificate names system:node:sfn-ID);
#                                          it serves on the bridge's host address (the API
#                                          server's logs and exec) to clients CLIENT_CA signs
#   node.sh stop DIR                       stops and removes all of it: pods, processes,
#                                          mounts, network namespaces, bridge, cgroups,
#                                          pod logs, DIR itself; safe to run twice
#   node.sh sweep                          stops the nodes under /tmp whose owner (the pid
#                                          in DIR/owner.pid) is gone: a killed test run
#
# Pods go on a bridge of their own (sfn-ID, 10.244.N.0/24, N free on this machine), whose
# host address is the only way out of a pod: no default route, no masquerading, and
# the host's ip_forward is left as it is. Needs root.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin
usage="usage: node.sh start DIR KUBELET IMAGES_TAR [ID KUBECONFIG CLIENT_CA] | stop DIR | sweep"
cmd=${1:?$usage}
# shellcheck source=test/support/processes.sh
. "$(dirname "${BASH_SOURCE[0]}")/../support/processes.sh"
if [ "$cmd" = sweep ]; then
  sweep_orphans node.env "$0" /tmp/sfn-node-*/node.env /tmp/sidecar-first-test-*/sfn-node-*/node.env
  exit 0
fi
dir=${2:?$usage}
dir=$(realpath -m "$dir")

log() { echo "node.sh: $*" >&2; }

# shellcheck source=test/support/free-port.sh
. "$(dirname "${BASH_SOURCE[0]}")/../support/free-port.sh"

start() {
  local kubelet=${3:?kubelet binary} images=${4:?images archive} id=${5:-} kubeconfig=${6:-} client_ca=${7:-}
  [ ! -e "$dir/node.env" ] || { log "$dir already holds a node"; exit 1; }
  if [ -n "$id$kubeconfig$client_ca" ] && { [ -z "$id" ] || [ -z "$kubeconfig" ] || [ -z "$client_ca" ]; }; then
    log "$usage"
    exit 2
  fi
  mkdir -p "$dir"/{containerd,cni/net.d,cni/ipam,kubelet,manifests,stamps}
  chmod 1777 "$dir/stamps"
  local bridge subnet n
  [ -n "$id" ] || id=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  bridge=sfn-$id
  for _ in $(seq 50); do
    n=$(( 1 + RANDOM % 254 ))
    ip -4 route show to match "10.244.$n.1" | grep -q '10\.244\.' || break
  done
  subnet=10.244.$n
  local ro_port port healthz_port cgroup_root=sfn-$id address=127.0.0.1
  read -r ro_port port healthz_port < <(free_ports 3)
  # Registered, the kubelet serves where its Node object says it is: the bridge's host address.
  [ -z "$kubeconfig" ] || address=$subnet.1
  cat > "$dir/node.env" <<ENV
NODE_ID=$id
NODE_NAME=sfn-$id
NAMESPACE=sfn-$id
BRIDGE=$bridge
SUBNET=$subnet.0/24
HOST_IP=$subnet.1
CONTAINERD_SOCKET=$dir/containerd.sock
KUBELET_ADDRESS=$address
KUBELET_PORT=$port
KUBELET_READ_ONLY_PORT=$ro_port
KUBELET_HEALTHZ_PORT=$healthz_port
CGROUP_ROOT=/$cgroup_root
MANIFESTS=$dir/manifests
STAMPS=$dir/stamps
ENV

  # The bridge exists before the first pod, with the host's address on it, so the CNI
  # plugin needs no isGateway (which would turn on the host's ip_forward).
  ip link add "$bridge" type bridge
  ip addr add "$subnet.1/24" dev "$bridge"
  ip link set "$bridge" up
  cat > "$dir/cni/net.d/10-sidecar-first.conflist" <<JSON
{"cniVersion": "0.4.0", "name": "sidecar-first-$id", "plugins": [
  {"type": "bridge", "bridge": "$bridge", "isGateway": false, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$dir/cni/ipam",
            "ranges": [[{"subnet": "$subnet.0/24", "rangeStart": "$subnet.2", "rangeEnd": "$subnet.254"}]]}},
  {"type": "loopback"}]}
JSON

  # Debian's CNI plugins live in /usr/lib/cni. root here lacks CAP_SYS_RESOURCE:
  # restrict_oom_score_adj keeps runc from raising oom_score_adj. Network namespaces are
  # mounted under DIR too.
  cat > "$dir/containerd.toml" <<TOML
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$dir/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "sidecar-first.test/pause:1"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$dir/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
TOML
  setsid containerd --config "$dir/containerd.toml" >"$dir/containerd.log" 2>&1 < /dev/null &
  echo $! > "$dir/containerd.pid"
  wait_for 30 ctr -a "$dir/containerd.sock" version || { log "containerd did not start: see $dir/containerd.log"; exit 1; }
  ctr -a "$dir/containerd.sock" -n k8s.io images import "$images" >/dev/null

  # cgroupfs driver: the kubelet's cgroups go under a root of their own, which must exist.
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/; do
    mountpoint -q "$hierarchy" || continue
    mkdir -p "$hierarchy$cgroup_root"
    if [ -e "$hierarchy/cpuset.cpus" ]; then
      cat "$hierarchy/cpuset.cpus" > "$hierarchy$cgroup_root/cpuset.cpus"
      cat "$hierarchy/cpuset.mems" > "$hierarchy$cgroup_root/cpuset.mems"
    fi
  done

  local minor extra=""
  minor=$("$kubelet" --version | sed -n 's/^Kubernetes v1\.\([0-9]*\)\..*/\1/p')
  # This host has cgroup v1, which kubelets from 1.35 refuse unless told not to.
  [ "$minor" -lt 35 ] || extra="failCgroupV1: false"
  # 1.29+ can keep pod logs out of /var/log/pods.
  [ "$minor" -lt 29 ] || extra="$extra${extra:+$'\n'}podLogsDirectory: $dir/logs"
  local auth="authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}" flags=()
  if [ -n "$kubeconfig" ]; then
    # Callers (the API server for logs and exec) prove who they are; the API server decides.
    auth="authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: $client_ca}}
authorization: {mode: Webhook}"
    flags=(--kubeconfig "$kubeconfig" --node-ip "$address")
  fi
  cat > "$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
staticPodPath: $dir/manifests
fileCheckFrequency: 1s
address: $address
port: $port
readOnlyPort: $ro_port
healthzBindAddress: 127.0.0.1
healthzPort: $healthz_port
$auth
containerRuntimeEndpoint: unix://$dir/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: /$cgroup_root
failSwapOn: false
resolvConf: ""
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
$extra
YAML
  setsid "$kubelet" --config "$dir/kubelet.yaml" --root-dir "$dir/kubelet" --cert-dir "$dir/kubelet/pki" \
    --hostname-override "sfn-$id" "${flags[@]}" --v=2 >"$dir/kubelet.log" 2>&1 < /dev/null &
  echo $! > "$dir/kubelet.pid"
  if ! wait_for 60 curl -fsS "http://127.0.0.1:$healthz_port/healthz" \
    || ! wait_for 30 curl -fsS "http://$address:$ro_port/pods"; then
    log "kubelet did not become healthy: see $dir/kubelet.log"
    tail -20 "$dir/kubelet.log" >&2
    exit 1
  fi
  cat "$dir/node.env"
}

stop() {
  [ -d "$dir" ] || return 0
  local env=$dir/node.env
  if [ ! -f "$env" ]; then rm -rf "$dir"; return 0; fi
  # shellcheck disable=SC1090 # BRIDGE, CGROUP_ROOT, NAMESPACE: written by start
  . "$env"
  local sock=$dir/containerd.sock ctr="ctr -a $dir/containerd.sock -n k8s.io"
  # The kubelet stops the static pods it runs (CNI teardown, network namespaces) when
  # their manifests go. (A registered node's other pods are killed below.)
  local static
  static=$(find "$dir/manifests" -type f -print -delete 2>/dev/null || true)
  if [ -n "$static" ] && [ -f "$dir/kubelet.pid" ] && kill -0 "$(cat "$dir/kubelet.pid")" 2>/dev/null; then
    wait_for 60 sh -c "[ -z \"\$($ctr tasks ls -q 2>/dev/null)\" ]" \
      || log "pods still running after 60 s; killing them"
  fi
  stop_pid "$dir/kubelet.pid"
  # Whatever is left: kill its tasks (its network namespace is a mount under DIR).
  local id
  if [ -S "$sock" ]; then
    for id in $($ctr containers ls -q 2>/dev/null); do
      $ctr tasks kill -s KILL "$id" >/dev/null 2>&1 || true
    done
    sleep 1
    for id in $($ctr containers ls -q 2>/dev/null); do
      $ctr tasks delete -f "$id" >/dev/null 2>&1 || true
      $ctr containers delete "$id" >/dev/null 2>&1 || true
    done
  fi
  stop_pid "$dir/containerd.pid"
  # Shims outlive containerd by design; ours are the ones that name our socket.
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $sock" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Mounts under DIR, deepest first.
  local mnt
  awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r mnt; do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || log "cannot unmount $mnt"
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -d "$hierarchy${CGROUP_ROOT#/}" ] || continue
    find "$hierarchy${CGROUP_ROOT#/}" -depth -type d -exec rmdir {} \; 2>/dev/null \
      || log "cannot remove cgroup $hierarchy${CGROUP_ROOT#/}"
  done
  # containerd 1.6 puts shim sockets in /run/containerd/s whatever its settings: remove
  # the directories if they are empty (never another containerd's sockets).
  rmdir /run/containerd/s /run/containerd 2>/dev/null || true
  # Kubelets before 1.29 write pod logs under /var/log: only our namespace's.
  rm -rf /var/log/pods/"${NAMESPACE}"_* /var/log/containers/*_"${NAMESPACE}"_*
  rm -rf "$dir"
}

case $cmd in
  start) start "$@" ;;
  stop) stop ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
