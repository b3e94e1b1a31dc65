# shellcheck shell=bash
# Sourced by the scripts that start servers for the tests (test/node/node.sh,
# test/support/api-server.sh).
#
#   free_ports N   prints N distinct TCP ports of 127.0.0.1 that no socket uses, in any state
#
# Below the kernel's ephemeral range: any outgoing connection can take a port from that
# range between the check and the server's bind (a kubelet's read-only port did, in CI:
# "bind: address already in use").
free_ports() {
  local low=10000 high port ports=()
  read -r high _ </proc/sys/net/ipv4/ip_local_port_range
  while [ "${#ports[@]}" -lt "$1" ]; do
    port=$(( low + RANDOM % (high - low) ))
    [[ " ${ports[*]} " == *" $port "* ]] && continue
    [ -z "$(ss -Htan "sport = :$port")" ] && ports+=("$port")
  done
  echo "${ports[*]}"
}
