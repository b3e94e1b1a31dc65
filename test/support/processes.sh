# shellcheck shell=bash
# Sourced by the scripts that run servers for the tests (test/node/node.sh,
# test/cluster/cluster.sh).
#
#   wait_for SECONDS COMMAND...   waits up to SECONDS for COMMAND to succeed (its output hidden)
#   stop_pid FILE                 stops the process whose pid FILE holds (SIGTERM, then SIGKILL
#                                 after 15 s) and removes FILE; nothing when FILE is absent
wait_for() {
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

stop_pid() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait_for 15 sh -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
