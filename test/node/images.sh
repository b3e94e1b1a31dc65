#!/usr/bin/env bash
# Builds the stand-in images as one OCI layout archive for `ctr images import`
# (no registry is reachable): usage images.sh OUT.tar STANDIN GRPC_HEALTH_PROBE
#
#   sidecar-first.test/standin:1  Debian's static busybox (/bin/busybox and its applet
#                                 links: sh, wget, nc, test, ...), /bin/standin and
#                                 /bin/grpc_health_probe; user 65532 (runAsNonRoot works)
#   sidecar-first.test/pause:1    the same layer, entrypoint `sleep infinity`: containerd's
#                                 sandbox_image
set -euo pipefail
out=${1:?usage: images.sh OUT.tar STANDIN GRPC_HEALTH_PROBE}
standin=${2:?}
probe=${3:?}
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  echo "images.sh: needs a static busybox on PATH (Debian package busybox-static)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/stamps" "$work/oci/blobs/sha256"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$standin" "$root/bin/standin"
cp "$probe" "$root/bin/grpc_health_probe"
printf 'root:x:0:0:root:/root:/bin/sh\nstandin:x:65532:65532:standin:/tmp:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nstandin:x:65532:\n' > "$root/etc/group"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .

# Stores $1 as a blob; prints "DIGEST SIZE".
blob() {
  local digest size
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$work/oci/blobs/sha256/$digest"
  echo "sha256:$digest $size"
}
read -r layer layer_size < <(blob "$work/layer.tar")
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
manifests=""
for image in "standin:1 [\"/bin/standin\"]" "pause:1 [\"/bin/sleep\",\"infinity\"]"; do
  ref=${image%% *}
  entrypoint=${image#* }
  printf '{"architecture":"%s","os":"linux","config":{"User":"65532:65532","Env":["PATH=/bin"],"Entrypoint":%s,"WorkingDir":"/tmp"},"rootfs":{"type":"layers","diff_ids":["%s"]}}' \
    "$arch" "$entrypoint" "$layer" > "$work/config.json"
  read -r config config_size < <(blob "$work/config.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%s}]}' \
    "$config" "$config_size" "$layer" "$layer_size" > "$work/manifest.json"
  read -r manifest manifest_size < <(blob "$work/manifest.json")
  manifests="$manifests${manifests:+,}{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$manifest\",\"size\":$manifest_size,\"annotations\":{\"org.opencontainers.image.ref.name\":\"sidecar-first.test/$ref\"}}"
done
printf '{"schemaVersion":2,"manifests":[%s]}' "$manifests" > "$work/oci/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/oci/oci-layout"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/oci" -cf "$out" .
