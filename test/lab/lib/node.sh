# Network and node namespaces of the lab: the switch netns, the host link, starting/killing nodes.
# Sourced by lab.sh after common.sh.

# Whether the lab's switch netns exists: its exact name (another lab's `gcm-sw-x` is not ours;
# `grep -w` took the `-` for a word boundary and found it).
switch_exists() { ip netns list | awk '{print $1}' | grep -xF "$SWNS" >/dev/null; }

# The switch netns with bridge br0, and a veth from the host into it carrying only the lab's /24.
start_switch() {
  local route
  switch_exists && die "netns $SWNS already exists (run: lab.sh down)"
  route=$(ip -4 route show "$SUBNET.0/24" 2>/dev/null)
  [ -z "$route" ] || die "the host already routes $SUBNET.0/24 ($route); pick another subnet with GCM_LAB_SUBNET=10.x.y"
  ip netns add "$SWNS"
  ip -n "$SWNS" link set lo up
  ip -n "$SWNS" link add br0 type bridge
  ip -n "$SWNS" link set br0 up
  ip link add "$HOST_IF" type veth peer name h-host netns "$SWNS"
  ip -n "$SWNS" link set h-host master br0 up
  ip addr add "$HOST_IP/24" dev "$HOST_IF"
  ip link set "$HOST_IF" up
}

stop_switch() {
  ip link show "$HOST_IF" >/dev/null 2>&1 && ip link del "$HOST_IF"
  if switch_exists; then ip netns del "$SWNS"; fi
  return 0
}

# Host PIDs of the namespace inits (PID 1 inside) of node $1 of THIS lab (matched by its node dir).
node_init_pids() {
  local p
  for p in $(pgrep -f "node-init.sh $1 $NODES_DIR/$1 " 2>/dev/null); do
    grep -qE '^NSpid:.*[[:space:]]1$' "/proc/$p/status" 2>/dev/null && echo "$p"
  done
  return 0
}

# 02:67:63 (locally administered, "gc") + the node IP's last three octets
node_mac() { local a b c d; IFS=. read -r a b c d <<< "$(nodeip "$1")"; printf '02:67:63:%02x:%02x:%02x' "$b" "$c" "$d"; }

# Start node $1 from its dir: new namespaces running node-init.sh, a veth onto br0, its IP, sshd.
start_node() {
  local n=$1 r=$RUN_DIR/$1 child="" i
  rm -rf "$r"; mkdir -p "$r"
  # fd 9 is lab.sh's lock: the node must not hold it
  setsid unshare --pid --fork --mount-proc --mount --uts --ipc --net \
      "$LABDIR/node-init.sh" "$n" "$NODES_DIR/$n" "$r" "$(fqdn "$n")" $ROOTFS > "$r/init.log" 2>&1 < /dev/null 9>&- &
  echo $! > "$r/unshare.pid"
  for i in $(seq 100); do
    child=$(node_init_pids "$n")
    [ -n "$child" ] && break; sleep 0.05
  done
  [ -n "$child" ] || { log "node $n: no namespace init"; cat "$r/init.log" >&2; return 1; }
  [ "$(echo "$child" | wc -l)" = 1 ] || { log "node $n: several inits running ($child); run: lab.sh down"; return 1; }
  echo "$child" > "$r/nspid"
  # the previous incarnation's veth may outlive its killed namespace for a moment (reset): drop it
  ip -n "$SWNS" link del "v-$n" 2>/dev/null || true
  ip -n "$SWNS" link add "v-$n" type veth peer name eth0 netns "$child"
  ip -n "$SWNS" link set "v-$n" master br0 up
  # a fixed MAC per node: the host's (and other tools') ARP caches stay right across resets
  nx "$n" ip link set eth0 address "$(node_mac "$n")"
  nx "$n" ip addr add "$(nodeip "$n")/24" dev eth0
  nx "$n" ip link set eth0 up
  for i in $(seq 100); do [ -e "$r/ready" ] && break; sleep 0.1; done
  [ -e "$r/ready" ] || { log "node $n: init did not finish"; cat "$r/init.log" >&2; return 1; }
  # the guests' uplink: a second veth puts the node's gnt-br0 (the instances' taps) on the lab switch,
  # so guests and host share the lab's L2; eth0 stays the node's own link (a link-down fault spares guests)
  ip -n "$SWNS" link del "g-$n" 2>/dev/null || true
  ip -n "$SWNS" link add "g-$n" type veth peer name gnt-up netns "$child"
  ip -n "$SWNS" link set "g-$n" master br0 up
  nx "$n" ip link set gnt-up master gnt-br0 up
}

# SIGKILL each node's namespace init: the kernel kills everything in its pid namespace and the
# node's netns/veth/mounts go with it.  Only this lab's own node-init processes, by PID.
kill_nodes() {
  local n p pids="" i alive
  for n in $ALL_NODES; do
    for p in $(node_init_pids "$n"); do kill -KILL "$p" 2>/dev/null || true; pids="$pids $p"; done
    rm -f "$RUN_DIR/$n/nspid" "$RUN_DIR/$n/ready"
  done
  for i in $(seq 100); do
    alive=""; for p in $pids; do [ -e "/proc/$p" ] && alive=1; done
    [ -z "$alive" ] && break; sleep 0.1
  done
}

# Every node can ssh to every other one (checks sshd and the lab key before Ganeti needs them).
wait_ssh_mesh() {
  local n m i ok
  for n in $ALL_NODES; do
    for m in $ALL_NODES; do
      ok=""
      for i in $(seq 20); do
        if nsh "$n" "ssh -oBatchMode=yes -oStrictHostKeyChecking=no -oUserKnownHostsFile=/dev/null $(fqdn "$m") true" >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.5
      done
      [ -n "$ok" ] || { log "ssh from $n to $m failed"; return 1; }
    done
  done
}
