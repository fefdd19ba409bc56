# Building the three pre-merge clusters from scratch (~1 min); this file and node-init.sh are part of
# the saved image's cache key (lib/image.sh), the runtime files are not.  Sourced by lab.sh.

# A fresh persistent dir for node $1 (before any Ganeti): own sshd host keys, hosts file, empty Ganeti dirs.
prepare_node_dir() {
  local n=$1 d=$NODES_DIR/$1 t
  rm -rf "$d"; mkdir -p "$d"/{var-lib-ganeti,etc-ganeti,var-log-ganeti,etc-ssh,root-ssh,fake-hv,srv/ganeti/file-storage,srv/ganeti/shared-file-storage}
  chmod 700 "$d/root-ssh"
  cp -a "$ROOTFS/etc/ganeti/." "$d/etc-ganeti/"
  printf '/srv/ganeti/file-storage\n/srv/ganeti/shared-file-storage\n' > "$d/etc-ganeti/file-storage-paths"
  cp -a "$ROOTFS/etc/ssh/." "$d/etc-ssh/"
  rm -f "$d"/etc-ssh/ssh_host_*
  for t in rsa ecdsa ed25519; do ssh-keygen -q -t $t -N '' -C "root@$(fqdn "$n")" -f "$d/etc-ssh/ssh_host_${t}_key"; done
  # the lab key: lets the master ssh to a node before Ganeti has distributed its own root keys, and
  # lets the host's tests in; kept out of /root/.ssh, which Ganeti manages
  install -m 600 "$STATE/id_ed25519" "$d/etc-ssh/gcm_lab_id_ed25519"
  cp "$STATE/id_ed25519.pub" "$d/etc-ssh/gcm_lab_authorized_keys"
  mkdir -p "$d/etc-ssh/sshd_config.d" "$d/etc-ssh/ssh_config.d"
  cat > "$d/etc-ssh/sshd_config.d/gcm-lab.conf" <<EOC
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/gcm_lab_authorized_keys
UseDNS no
MaxStartups 100:30:200
# The nodes share the host's /root: keep Debian's bash from sourcing the host's ~/.bashrc for
# ssh commands (it may run slow or lock-waiting tools such as pyenv). bash skips it at SHLVL >= 2.
SetEnv SHLVL=1
EOC
  cat > "$d/etc-ssh/ssh_config.d/gcm-lab.conf" <<EOC
Host *
  IdentityFile ~/.ssh/id_rsa
  IdentityFile ~/.ssh/id_ecdsa
  IdentityFile ~/.ssh/id_ed25519
  IdentityFile /etc/ssh/gcm_lab_id_ed25519
  ConnectTimeout 10
EOC
  cp "$STATE/hosts" "$d/hosts"
  fqdn "$n" > "$d/hostname"
  echo 'options timeout:1 attempts:1' > "$d/resolv.conf"
}

write_lab_hosts() {
  { echo "127.0.0.1 localhost"
    echo "$HOST_IP gcm-lab-host.$DOMAIN gcm-lab-host"
    for n in $ALL_NODES; do echo "$(nodeip "$n") $(fqdn "$n") $n"; done
    for c in $ALL_CLUSTERS; do echo "$(clusterip "$c") $(fqdn "$c") $c"; done
  } > "$STATE/hosts"
}

# The production shape (test/lab/README.md "Topology"): node groups, Ganeti networks, tags, a
# stopped instance, non-master-capable nodes, an instance with two NICs and two disks.
# Nodes not named here are in group "default"; rack2 exists on the target and on clusterb, so
# `--groups merge` absorbs clusterb's and `rename` renames it.
declare -A NODE_GROUP=( [a3]=rack2 [b2]=rack2 )
# gnt-node add flags beyond the default (master capable, so a master candidate)
declare -A NODE_ADD_ARGS=( [a3]=--master-capable=no [b2]=--master-capable=no )
# Ganeti networks per cluster (each connected to all the cluster's groups, bridged on gnt-br0):
# labnet is the lab's /24 on clustera and clusterb alike (their instances' first NICs take their
# IPs from it); backnet has the same name on clustera and clusterc but another subnet (NICs take
# pool addresses from it). A merge of both needs `--networks rename` (merge refuses other subnets).
declare -A CLUSTER_NETWORKS=( [clustera]="labnet backnet" [clusterb]="labnet" [clusterc]="backnet" )
network_subnet() {
  case "$1:$2" in
    labnet:*) echo "$SUBNET.0/24 $SUBNET.1" ;;
    backnet:clustera) echo "192.168.50.0/28 192.168.50.1" ;;
    backnet:clusterc) echo "192.168.60.0/28 192.168.60.1" ;;
  esac
}
# instances with extra NICs/disks (a pool address on backnet; a second 1 GiB sparse file disk)
declare -A INSTANCE_EXTRA=( [a1-2]="--net 1:ip=pool,network=backnet --disk 1:size=1G" [c1-2]="--net 1:ip=pool,network=backnet" )
# admin-down after the build (on a mergee)
STOPPED_INSTANCES="ib2-2"

# NIC 0 of instance iNODE-K (the guest IP; from labnet where its cluster has it), any extra NICs
# and disks, and under kvm the guest's own name and address (its kernel_args)
instance_net_args() {
  local ip a net=""; ip=$(guestip "$1" "$2")
  [[ " ${CLUSTER_NETWORKS[$3]} " == *" labnet "* ]] && net=",network=labnet"
  a="--net 0:ip=$ip$net ${INSTANCE_EXTRA[$1-$2]:-}"
  [ "$LAB_HV" = kvm ] && a="$a -H '$(guest_instance_hvparams "i$1-$2.$DOMAIN" "eth0:$ip/24")'"
  echo "$a"
}

# Groups, networks (connected to every group) and the cluster's and groups' tags, before any node is added.
shape_cluster() {
  local c=$1 m=$2 g net sub gw n groups=default
  for n in ${CLUSTER_NODES[$c]}; do
    g=${NODE_GROUP[$n]:-default}
    [[ " $groups " == *" $g "* ]] && continue
    groups="$groups $g"; nsh "$m" "gnt-group add $g"
  done
  for net in ${CLUSTER_NETWORKS[$c]:-}; do
    read -r sub gw <<< "$(network_subnet "$net" "$c")"
    nsh "$m" "gnt-network add --network=$sub --gateway=$gw --tags=net:$net $net"
    for g in $groups; do nsh "$m" "gnt-network connect --nic-parameters=mode=bridged,link=gnt-br0 $net $g"; done
  done
  # the same on every cluster: cluster tags are compared strictly (spec: params strict refuses a difference)
  nsh "$m" "gnt-cluster add-tags env:glab"
  for g in $groups; do nsh "$m" "gnt-group add-tags $g row:$g"; done
}

# gnt-cluster init on the master, the shape, gnt-node add the others, then 2 instances per node.
build_cluster() {
  local c=$1 nodes m oct n i
  read -ra nodes <<< "${CLUSTER_NODES[$c]}"
  m=${nodes[0]}; oct=$(printf '%02x' "${CLUSTER_IP[$c]}")
  log "$c: gnt-cluster init on $m"
  local hv=$LAB_HV hvp=""
  [ "$hv" = kvm ] && hvp="-H '$(guest_cluster_hvparams)'"
  nsh "$m" "gnt-cluster init --enabled-hypervisors=$hv $hvp --enabled-disk-templates=diskless,file \
      --file-storage-dir=/srv/ganeti/file-storage --master-netdev=eth0 --master-netmask=24 \
      --nic-parameters=link=gnt-br0 --no-etc-hosts --mac-prefix=aa:00:$oct $(fqdn "$c")"
  shape_cluster "$c" "$m"
  for n in "${nodes[@]:1}"; do
    log "$c: gnt-node add $n"
    nsh "$m" "gnt-node add --no-ssh-key-check -g ${NODE_GROUP[$n]:-default} ${NODE_ADD_ARGS[$n]:-} $(fqdn "$n")"
  done
  for n in "${nodes[@]}"; do
    log "$c: instances on $n"
    nsh "$m" "gnt-node add-tags $(fqdn "$n") node:$n"
    # one diskless and one file-backed instance per node (file disks are sparse; ipolicy minimum is 1G)
    nsh "$m" "gnt-instance add -t diskless -o noop --no-name-check --no-ip-check -B memory=128M --tags=svc:$n-1 \
        $(instance_net_args "$n" 1 "$c") -n $(fqdn "$n") i${n}-1.$DOMAIN"
    nsh "$m" "gnt-instance add -t file --disk 0:size=1G -o noop --no-name-check --no-ip-check -B memory=128M --tags=svc:$n-2 \
        $(instance_net_args "$n" 2 "$c") -n $(fqdn "$n") i${n}-2.$DOMAIN"
  done
  for i in $STOPPED_INSTANCES; do
    n=${i#i}; n=${n%-*}   # ib2-2 -> b2
    [[ " ${nodes[*]} " == *" $n "* ]] || continue
    log "$c: stopping $i (admin down)"
    nsh "$m" "gnt-instance shutdown $i.$DOMAIN"
  done
}

# The clusters are independent, so they are built concurrently; each logs to $LOG_DIR/build-CLUSTER.log.
build_all_clusters() {
  local c pids=() names=() i rc=0
  mkdir -p "$LOG_DIR"
  for c in $ALL_CLUSTERS; do
    build_cluster "$c" > "$LOG_DIR/build-$c.log" 2>&1 9>&- &
    pids+=($!); names+=("$c")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      log "building ${names[$i]} failed; last lines of $LOG_DIR/build-${names[$i]}.log:"
      tail -20 "$LOG_DIR/build-${names[$i]}.log" >&2; rc=1
    fi
  done
  return $rc
}

# Fresh nodes (new keys, empty Ganeti state) + the clusters.
build_lab() {
  local n
  mkdir -p "$STATE" "$NODES_DIR" "$RUN_DIR"
  rm -f "$STATE/id_ed25519" "$STATE/id_ed25519.pub"
  ssh-keygen -q -t ed25519 -N '' -C gcm-lab-key -f "$STATE/id_ed25519"
  [ "$LAB_HV" = kvm ] && log "guests: real VMs, qemu accel $(guest_accel)"
  write_lab_hosts
  start_switch
  for n in $ALL_NODES; do prepare_node_dir "$n"; start_node "$n"; done
  wait_ssh_mesh
  log "network + sshd ready"
  build_all_clusters
}
