# Fault injection on one node; every fault is recorded in $RUN_DIR/NODE/faults so that `clear` undoes it.
# A node restart (reset) also clears them all, since they live in the node's namespaces.  Sourced by lab.sh.

sshd_running() { nsh "$1" '[ -f /run/sshd.pid ] && kill -0 "$(cat /run/sshd.pid)" 2>/dev/null'; }

# Make CMD fail inside the node: a stub is bind-mounted over the resolved binary, in the node's mount
# namespace only (ssh sessions, Ganeti's own calls and nsenter all see it; the host does not).
fault_fail_command() {
  local n=$1 cmd=$2 path stub
  [[ "$cmd" =~ ^[A-Za-z0-9_./+-]+$ ]] || die "fail-command: bad command name '$cmd'"
  path=$(nsh "$n" "p=\$(command -v '$cmd') && readlink -f \"\$p\"") || die "fail-command: '$cmd' not found on $n"
  grep -qxF "fail-command $path" "$RUN_DIR/$n/faults" 2>/dev/null && return 0
  # the stub lives in the node's own /run: a 3.1 node does not see the host's files
  stub=/run/gcm-stub-$(basename "$path")
  printf '#!/bin/sh\necho "gcm-lab fault: %s made to fail on %s" >&2\nexit 1\n' "$cmd" "$n" \
    | nx "$n" sh -c "cat > '$stub' && chmod 755 '$stub' && mount --bind '$stub' '$path'"
  echo "fail-command $path" >> "$RUN_DIR/$n/faults"
}

# The switch side of the node's veth: the node loses carrier, its own config stays untouched.
fault_link() { ip -n "$SWNS" link set "v-$1" "$2"; }

fault_sshd_stop() { sshd_running "$1" && nsh "$1" 'kill "$(cat /run/sshd.pid)"; for i in $(seq 50); do [ -e /run/sshd.pid ] || exit 0; sleep 0.1; done'; return 0; }
fault_sshd_start() { sshd_running "$1" || nsh "$1" '/usr/sbin/sshd -E /var/log/ganeti/sshd.log'; }

fault_clear() {
  local n=$1 kind path
  if [ -f "$RUN_DIR/$n/faults" ]; then
    while read -r kind path; do
      if [ "$kind" = fail-command ]; then nx "$n" umount "$path" 2>/dev/null || true; fi
    done < "$RUN_DIR/$n/faults"
    rm -f "$RUN_DIR/$n/faults"
  fi
  fault_link "$n" up
  fault_sshd_start "$n"
}

fault() {
  local n=$1 kind=${2:-}
  is_node "$n" || die "fault: unknown node '$n' (nodes: $ALL_NODES)"
  node_alive "$n" || die "fault: node $n is not running (lab.sh up)"
  case "$kind" in
    fail-command) [ -n "${3:-}" ] || die "fault: fail-command needs a command name"; fault_fail_command "$n" "$3" ;;
    link-down) fault_link "$n" down; echo "link-down" >> "$RUN_DIR/$n/faults" ;;
    link-up) fault_link "$n" up ;;
    sshd-stop) fault_sshd_stop "$n"; echo "sshd-stop" >> "$RUN_DIR/$n/faults" ;;
    sshd-start) fault_sshd_start "$n" ;;
    clear) fault_clear "$n" ;;
    *) die "fault: unknown fault '$kind' (fail-command CMD | link-down | link-up | sshd-stop | sshd-start | clear)" ;;
  esac
}
