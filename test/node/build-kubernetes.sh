#!/usr/bin/env bash
# Builds binaries of one Kubernetes release from the Go module proxy (no kubelet is packaged in
# Debian or npm). Usage: build-kubernetes.sh 1.37.2 [BINARY...], BINARY kubelet,
# kube-apiserver, kube-controller-manager or kube-scheduler (default all four: one `go build`
# compiles their shared packages once).
# Binaries land in $SIDECAR_FIRST_CACHE/kubernetes/v1.37.2 (cache ~/.cache/sidecar-first);
# Go's own module and build caches make a second build fast.
set -euo pipefail
version=${1:?usage: build-kubernetes.sh X.Y.Z [kubelet] [kube-apiserver] [kube-controller-manager] [kube-scheduler]}
version=${version#v}
minor=${version#*.}
shift
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=(kubelet kube-apiserver kube-controller-manager kube-scheduler)
cache=${SIDECAR_FIRST_CACHE:-$HOME/.cache/sidecar-first}
out=$cache/kubernetes/v$version
packages=()
missing=()
for binary in "${binaries[@]}"; do
  case $binary in
    kubelet | kube-apiserver | kube-controller-manager | kube-scheduler) ;;
    *) echo "build-kubernetes.sh: unknown binary '$binary' (kubelet, kube-apiserver, kube-controller-manager or kube-scheduler)" >&2; exit 2 ;;
  esac
  packages+=("k8s.io/kubernetes/cmd/$binary")
  [ -x "$out/$binary" ] || missing+=("$binary")
done
# One `go build` for every binary asked for, cached or not: they share most packages.
if [ ${#missing[@]} -eq 0 ]; then
  echo "kubernetes v$version: ${binaries[*]} cached in $out"
  exit 0
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# k8s.io/kubernetes replaces its staging modules with ./staging/src/...; outside its own
# tree each must be pinned to the published v0.Y.Z of the same release.
# `go mod download` asks whichever proxy `go env GOPROXY` names and says where it put the .mod.
gomod=$(cat "$(go mod download -json "k8s.io/kubernetes@v$version" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')")
{
  echo "module sidecar-first.dev/kubernetes-build"
  echo "go $(sed -n 's/^go //p' <<<"$gomod")"
  echo "require k8s.io/kubernetes v$version"
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 v0.'"${minor}"'#p' <<<"$gomod"
} > go.mod
{
  printf '//go:build tools\n\npackage tools\n\nimport (\n'
  printf '\t_ "%s"\n' "${packages[@]}"
  printf ')\n'
} > tools.go
# The staging modules each pin their own versions of shared dependencies; let Go settle them.
GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
GOFLAGS=-mod=mod go get "k8s.io/kubernetes@v$version" >/dev/null
start=$(date +%s)
CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w \
  -X k8s.io/component-base/version.gitVersion=v$version \
  -X k8s.io/component-base/version.gitMajor=1 \
  -X k8s.io/component-base/version.gitMinor=${minor%%.*}" \
  -o "$out/" "${packages[@]}"
echo "kubernetes v$version: built ${binaries[*]} in $(( $(date +%s) - start )) s into $out"
