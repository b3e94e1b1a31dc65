#!/usr/bin/env bash
# Prepares the real-node tests (test/node/*.node.test.ts): Debian's containerd, runc and
# CNI plugins; the kubelets of kubelet-versions.txt (or SIDECAR_FIRST_KUBELET_VERSIONS,
# space-separated), built from the Go module proxy and cached; the stand-in program,
# grpc_health_probe and the images made of them. Everything lands in
# $SIDECAR_FIRST_CACHE/node (default ~/.cache/sidecar-first).
# Without root or Go it prints a skip and exits 0; under CI=true that is a failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SIDECAR_FIRST_CACHE:-$HOME/.cache/sidecar-first}
versions=${SIDECAR_FIRST_KUBELET_VERSIONS:-$(tr '\n' ' ' < "$here/kubelet-versions.txt")}

skip() {
  if [ "${CI:-}" = true ]; then
    echo "prepare.sh: cannot run the real-node tests: $1" >&2
    exit 1
  fi
  echo "SKIP real-node tests: $1"
  exit 0
}
[ "$(id -u)" = 0 ] || skip "they need root (containerd, network namespaces, cgroups)"
command -v go >/dev/null || skip "they need Go (the kubelet and the stand-ins are built from the Go module proxy)"

need=""
for pair in containerd:containerd runc:runc ctr:containerd busybox:busybox-static curl:curl ss:iproute2; do
  command -v "${pair%%:*}" >/dev/null || need="$need ${pair#*:}"
done
[ -x /usr/lib/cni/bridge ] || need="$need containernetworking-plugins"
if [ -n "$need" ]; then
  command -v apt-get >/dev/null || skip "missing$need and no apt-get"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# Only the kubelet: .ci/run builds the control plane of the versions the API server oracle and
# the clusters (test/cluster/cluster.sh) use.
for version in $versions; do
  bash "$here/build-kubernetes.sh" "$version" kubelet
done

# Nodes and clusters left by a killed run (its exit handlers never ran).
bash "$here/node.sh" sweep
bash "$here/../cluster/cluster.sh" sweep

out=$cache/node
mkdir -p "$out"
(cd "$here/standin" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out/standin" .)
[ -x "$out/grpc-health-probe" ] || CGO_ENABLED=0 GOBIN=$out go install -trimpath -ldflags '-s -w' \
  github.com/grpc-ecosystem/grpc-health-probe@v0.4.63
bash "$here/images.sh" "$out/images.tar.new" "$out/standin" "$out/grpc-health-probe"
mv "$out/images.tar.new" "$out/images.tar"
echo "real-node tests prepared: kubelets $versions; images in $out/images.tar"
