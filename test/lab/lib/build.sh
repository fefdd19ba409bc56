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

# NIC address of instance iNODE-K, and under kvm the guest's own name and address (its kernel_args)
instance_net_args() {
  local ip a; ip=$(guestip "$1" "$2"); a="--net 0:ip=$ip"
  [ "$LAB_HV" = kvm ] && a="$a -H '$(guest_instance_hvparams "i$1-$2.$DOMAIN" "eth0:$ip/24")'"
  echo "$a"
}

# gnt-cluster init on the master, gnt-node add the others, then 2 instances per node.
build_cluster() {
  local c=$1 nodes m oct n
  read -ra nodes <<< "${CLUSTER_NODES[$c]}"
  m=${nodes[0]}; oct=$(printf '%02x' "${CLUSTER_IP[$c]}")
  log "$c: gnt-cluster init on $m"
  local hv=$LAB_HV hvp=""
  [ "$hv" = kvm ] && hvp="-H '$(guest_cluster_hvparams)'"
  nsh "$m" "gnt-cluster init --enabled-hypervisors=$hv $hvp --enabled-disk-templates=diskless,file \
      --file-storage-dir=/srv/ganeti/file-storage --master-netdev=eth0 --master-netmask=24 \
      --nic-parameters=link=gnt-br0 --no-etc-hosts --mac-prefix=aa:00:$oct $(fqdn "$c")"
  for n in "${nodes[@]:1}"; do
    log "$c: gnt-node add $n"
    nsh "$m" "gnt-node add --no-ssh-key-check $(fqdn "$n")"
  done
  for n in "${nodes[@]}"; do
    log "$c: instances on $n"
    # one diskless and one file-backed instance per node (file disks are sparse; ipolicy minimum is 1G)
    nsh "$m" "gnt-instance add -t diskless -o noop --no-name-check --no-ip-check -B memory=128M \
        $(instance_net_args "$n" 1) -n $(fqdn "$n") i${n}-1.$DOMAIN"
    nsh "$m" "gnt-instance add -t file --disk 0:size=1G -o noop --no-name-check --no-ip-check -B memory=128M \
        $(instance_net_args "$n" 2) -n $(fqdn "$n") i${n}-2.$DOMAIN"
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
