#!/bin/bash
# The project's Ganeti 3.0 lab: 3 clusters of Linux-namespace nodes (see README.md).
#   lab.sh up [--rebuild]   bring it up (reuses the saved pre-merge image when still valid)
#   lab.sh reset            back to the freshly built pre-merge state in seconds
#   lab.sh down [--purge]   tear it down (--purge also deletes the saved image)
#   lab.sh status | info    nodes and clusters / lab.json
#   lab.sh exec NODE 'shell snippet'
#   lab.sh fault NODE fail-command CMD | link-down | link-up | sshd-stop | sshd-start | clear
#   lab.sh clear-faults     clear the faults of every node
set -euo pipefail
# Close every inherited descriptor but stdio: nodes and Ganeti daemons started from here live on, and
# must not keep a caller's lock open (e.g. `flock SUITE.lock lab.sh up` held that lock forever).
# (No redirection around the loop: bash keeps its own saved copy of stderr in fd 10+ while one is active.
# 255: bash reads this script from it.)
for fd in $(ls /proc/$$/fd); do case $fd in 0|1|2|255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac; done
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$LABDIR/lib/node.sh"
. "$LABDIR/lib/build.sh"
. "$LABDIR/lib/image.sh"
. "$LABDIR/lib/outputs.sh"
. "$LABDIR/lib/faults.sh"
. "$LABDIR/lib/guest.sh"
. "$LABDIR/lib/rootfs.sh"
LAB_HV=$(lab_hypervisor)

# Refuse early, with what to do instead, where the lab cannot work.
check_host() {
  [ "$(uname -s)" = Linux ] || die "needs Linux (network/pid/mount namespaces); run the integration tests on a Linux machine or VM"
  [ "$(id -u)" = 0 ] || die "needs root (namespaces, veths, bind mounts); run as root, e.g. sudo npm run lab:up, or skip the integration tests"
  local t
  for t in unshare nsenter ip ssh-keygen python3 flock; do command -v "$t" >/dev/null || die "'$t' missing; run: sudo scripts/install-system-deps.sh"; done
  unshare --pid --fork --mount --uts --ipc --net true 2>/dev/null \
    || die "cannot create namespaces here (unshare failed: container without CAP_SYS_ADMIN/user namespaces?); run on a VM or a privileged container"
  if [ -n "$ROOTFS" ]; then command -v debootstrap >/dev/null || die "'debootstrap' missing (GCM_LAB_GANETI=3.1); run: sudo scripts/install-system-deps.sh"
  else [ -x /usr/lib/ganeti/daemon-util ] && command -v gnt-cluster >/dev/null && [ -d /usr/share/ganeti/os/noop ] \
    || die "Ganeti is not installed; run: sudo scripts/install-system-deps.sh"; fi
}

all_nodes_alive() { local n; for n in $ALL_NODES; do node_alive "$n" || return 1; done; }

# One lab operation at a time (tests and people may call concurrently); the lock lives outside $STATE.
lock() { mkdir -p "$(dirname "$STATE")"; exec 9>"$STATE.lock"; flock -w 900 9 || die "another lab operation holds $STATE.lock"; }

cmd_up() {
  local t0=$SECONDS
  decide_hypervisor
  [ -z "$ROOTFS" ] || ensure_rootfs
  if [ "${1:-}" != --rebuild ] && all_nodes_alive && grep -qF "\"ganetiLab\": \"$GANETI_LAB\"" "$STATE/lab.json" 2>/dev/null; then log "lab already up"; return 0; fi
  if [ "${1:-}" != --rebuild ] && image_valid; then
    log "reusing the saved image ($IMAGE_DIR)"
    reset_lab
  else
    log "building the lab from scratch ($([ "${1:-}" = --rebuild ] && echo "--rebuild" || echo "no valid saved image"))"
    teardown
    rm -rf "$NODES_DIR" "$IMAGE_DIR"
    build_lab
    save_image
    reset_lab
    log "settling config.data (restart, verify, save again)"
    settle_image
    reset_lab
  fi
  write_outputs
  log "lab up in $((SECONDS - t0))s; lab.json: $STATE/lab.json, ssh: ssh -F $STATE/ssh_config a1.$DOMAIN"
}

cmd_reset() {
  local t0=$SECONDS
  reset_lab
  write_outputs
  log "lab reset in $((SECONDS - t0))s"
}

teardown() { kill_nodes; stop_switch; rm -f "$STATE/lab.json"; }

cmd_status() {
  local n c
  for n in $ALL_NODES; do
    if node_alive "$n"; then echo "$n $(nodeip "$n") up (host pid $(nodepid "$n"))"; else echo "$n $(nodeip "$n") down"; fi
  done
  for c in $ALL_CLUSTERS; do
    node_alive "$(master_of "$c")" || continue
    echo "== $c"; nsh "$(master_of "$c")" "gnt-node list; gnt-instance list" || true
    [ "$LAB_HV" = kvm ] && guest_status "$(master_of "$c")"
  done
  [ "$LAB_HV" = kvm ] || echo "no real guests: $(no_guests_reason)"
}

# per instance with an address: what its guest answers from the host (ping, boot id served over HTTP)
guest_status() {
  local name ip
  nsh "$1" "gnt-instance list --no-headers -o name,nic.ip/0" | while read -r name ip; do
    case $ip in ""|-) ;; *) printf '  %-22s %-14s %s\n' "$name" "$ip" "$(guest_probe "$ip")" ;; esac
  done
}

case "${1:-}" in
  up) check_host; lock; cmd_up "${2:-}" ;;
  reset) check_host; lock; cmd_reset ;;
  down) check_host; lock; teardown; [ "${2:-}" = --purge ] && rm -rf "$STATE"; log "lab down" ;;
  status) check_host; cmd_status ;;
  info) cat "$STATE/lab.json" ;;
  exec) check_host; is_node "${2:-}" || die "exec: unknown node '${2:-}'"; node_alive "$2" || die "node $2 is not running"; nsh "$2" "${3:?exec NODE 'snippet'}" ;;
  fault) check_host; fault "${2:-}" "${3:-}" "${4:-}" ;;
  clear-faults) check_host; for n in $ALL_NODES; do node_alive "$n" && fault_clear "$n"; done; true ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
