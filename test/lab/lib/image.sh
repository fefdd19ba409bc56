# The saved image of the freshly built pre-merge lab, and restarting the lab from it (the fast reset).
# Sourced by lab.sh.

# Anything that changes what a build produces changes the key: Ganeti's version, the build scripts, the subnet.
cache_key() {
  {
    lab_pkg_versions ganeti ganeti-os-noop openssh-server
    echo "subnet=$SUBNET domain=$DOMAIN"
    cat "$LABDIR/node-init.sh" "$LABDIR/lib/build.sh" "$LABDIR/lib/guest.sh"
    echo "image=settled-after-restart"
    echo "hypervisor=$LAB_HV accel=$(guest_accel)"
    declare -p NODE_IP CLUSTER_NODES CLUSTER_IP GUEST_IP
  } | sha256sum | awk '{print $1}'
}

image_valid() { [ -f "$IMAGE_DIR/key" ] && [ "$(cat "$IMAGE_DIR/key")" = "$(cache_key)" ]; }

# in parallel on the given nodes; fails if any fails
on_nodes() {
  local snippet=$1 n pids=() rc=0 p; shift
  for n in "$@"; do nsh "$n" "$snippet" > "$LOG_DIR/on-$n.log" 2>&1 9>&- & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  [ $rc = 0 ] || { for n in "$@"; do sed "s/^/[$n] /" "$LOG_DIR/on-$n.log" >&2; done; }
  return $rc
}

masters() { local c; for c in $ALL_CLUSTERS; do master_of "$c"; done; }
non_masters() { local c n; for c in $ALL_CLUSTERS; do for n in ${CLUSTER_NODES[$c]}; do [ "$n" = "$(master_of "$c")" ] || echo "$n"; done; done; }

# Stop Ganeti everywhere (a consistent on-disk state), kill the nodes, copy their dirs into the image.
save_image() {
  local key tmp=$IMAGE_DIR.tmp
  key=$(cache_key)
  log "saving the pre-merge image"
  on_nodes "/usr/lib/ganeti/daemon-util stop-all" $ALL_NODES
  kill_nodes
  rm -rf "$tmp"; mkdir -p "$tmp"
  cp -a --sparse=always "$NODES_DIR" "$tmp/nodes"
  cp -a "$STATE/id_ed25519" "$STATE/id_ed25519.pub" "$STATE/hosts" "$tmp/"
  echo "$key" > "$tmp/key"
  rm -rf "$IMAGE_DIR"; mv "$tmp" "$IMAGE_DIR"
}

# Ganeti 3.0's config daemon reads some floats of config.data (an instance's mtime written by a job)
# back one ULP off, so the first config write after a daemon start (every gnt-cluster verify writes
# it) changes the file's bytes, and that verify then compared the master's copy with a candidate's
# while the new one was still being distributed: ECLUSTERFILECHECK in a merge's verify-target,
# depending on timing (seen in CI). A verify in the build itself did not help: the daemon that ran
# the jobs holds the exact values. So the built lab is saved, restarted from the image, settled by a
# verify whose rewrite a fresh daemon reads back unchanged, and saved again (lab.test.ts checks it).
settle_image() {
  local m i out
  for m in $(masters); do
    nsh "$m" "gnt-cluster verify >/dev/null 2>&1 || true"
    for i in $(seq 10); do
      out=$(nsh "$m" "gnt-cluster verify 2>&1 || true")
      [[ $out == *ECLUSTERFILECHECK* ]] || continue 2
      sleep 2
    done
    die "$m: the copies of config.data still differ after 10 verifies"
  done
  save_image
}

restore_image() {
  rm -rf "$NODES_DIR"
  cp -a --sparse=always "$IMAGE_DIR/nodes" "$NODES_DIR"
  cp -a "$IMAGE_DIR/id_ed25519" "$IMAGE_DIR/id_ed25519.pub" "$IMAGE_DIR/hosts" "$STATE/"
}

# Start nodes + sshd + Ganeti from the node dirs as they are.  Non-masters' daemons first, so that the
# masters' voting (wconfd/luxid ask the other nodes who the master is) finds them answering.
start_lab() {
  local n
  local t0=$SECONDS
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  # keep the switch across resets, unless it or the host link is missing (e.g. after a crash)
  if ! switch_exists || ! ip link show "$HOST_IF" >/dev/null 2>&1; then stop_switch; start_switch; fi
  for n in $ALL_NODES; do start_node "$n"; done
  ip neigh flush dev "$HOST_IF" 2>/dev/null || true   # forget addresses learnt before the restart
  log "nodes + sshd started ($((SECONDS - t0))s)"
  on_nodes "/usr/lib/ganeti/daemon-util start-all" $ALL_NODES
  log "ganeti daemons started ($((SECONDS - t0))s)"
  # a new eth0 has no cluster IP: give each master its IP back (idempotent), and wait until it answers
  on_nodes 'for i in $(seq 60); do
      gnt-cluster activate-master-ip >/dev/null 2>&1; gnt-instance list --no-headers -o name >/dev/null && exit 0
      sleep 0.5
    done; echo "master does not answer"; exit 1' $(masters)
  log "masters answer ($((SECONDS - t0))s)"
  if [ "$LAB_HV" = kvm ]; then start_guests; log "guests answer ($((SECONDS - t0))s)"; fi
}

# A restart kills every qemu: start again the instances Ganeti has as up (admin down ones stay down),
# and wait until each of their guests serves its page.
start_guests() {
  local m names ips=""
  for m in $(masters); do
    names=$(nsh "$m" 'gnt-instance list --no-headers --separator=" " -o name,admin_state,oper_state,nic.ips' \
      | awk '$2 == "up" && $3 == "N" {print $1}' | xargs)
    # --force-multiple: no "start these N instances?" prompt (it reads a "no" from an empty stdin);
    # --submit: the clusters' jobs run concurrently; the guests answering is the check
    [ -z "$names" ] || nsh "$m" "gnt-instance start --force-multiple --submit $names" > "$LOG_DIR/start-guests-$m.log" 2>&1
    ips="$ips $(nsh "$m" 'gnt-instance list --no-headers --separator=" " -o admin_state,nic.ips' | awk '$1 == "up" {print $2}' | tr ',' ' ')"
  done
  # shellcheck disable=SC2086
  wait_guests $ips || { tail -n 5 "$LOG_DIR"/start-guests-*.log >&2; return 1; }
}

# The fast reset: kill everything, put the saved dirs back, start again.
reset_lab() {
  image_valid || die "no saved image for this Ganeti version and these lab scripts; run: lab.sh up"
  kill_nodes
  restore_image
  start_lab
}
