# shellcheck shell=bash
# Sourced by the scripts that run servers for the tests (test/node/node.sh,
# test/cluster/cluster.sh).
#
#   wait_for SECONDS COMMAND...   waits up to SECONDS for COMMAND to succeed (its output hidden)
#   stop_pid FILE                 stops the process whose pid FILE holds (SIGTERM, then SIGKILL
#                                 after 15 s) and removes FILE; nothing when FILE is absent
#   sweep_orphans ENV SCRIPT GLOB...
#                                 for each DIR/ENV matching a GLOB whose owner (the pid in
#                                 DIR/owner.pid) has ended: `bash SCRIPT stop DIR` (a killed test run)
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

sweep_orphans() {
  local file=$1 script=$2 env owner
  shift 2
  for env in "$@"; do
    [ -f "$env" ] || continue
    owner=$(cat "${env%/"$file"}/owner.pid" 2>/dev/null || echo 0)
    if [ "$owner" != 0 ] && ! kill -0 "$owner" 2>/dev/null; then
      echo "$(basename "$script"): stopping ${env%/"$file"}, left by the ended process $owner" >&2
      bash "$script" stop "${env%/"$file"}"
    fi
  done
}
