#!/bin/bash
# PID 1 of one lab node, started by lib/node.sh inside fresh pid/mnt/uts/ipc/net namespaces.
# Gives the node its own view of Ganeti's and sshd's dirs, then starts sshd and idles (reaping orphans).
#   node-init.sh NODE NODE_DIR RUN_DIR FQDN [ROOTFS]
# With ROOTFS (the Ganeti 3.1 lab, lib/rootfs.sh) the node pivots into an overlay of that shared tree
# (never written) and a per-node layer in RUN_DIR (gone at the next start, like the host's /tmp and
# /var/lib/ganeti-merge are to a 3.0 node); the host's root stays reachable under /.oldroot ($H) only
# until the node's own dirs are bound.
set -e
N=$1; D=$2; R=$3; FQDN=$4; ROOTFS=${5:-}; H=""
hostname "$FQDN"
mount --make-rprivate /
if [ -n "$ROOTFS" ]; then
  mkdir -p "$R/upper" "$R/work" "$R/root"
  mount -t overlay gcm-root -o "lowerdir=$ROOTFS,upperdir=$R/upper,workdir=$R/work" "$R/root"
  mount -t proc gcm-proc "$R/root/proc"; mount --rbind /dev "$R/root/dev"
  mkdir -p "$R/root/.oldroot"; cd "$R/root"; pivot_root . .oldroot; cd /; H=/.oldroot
fi
mount -t tmpfs -o mode=0755,size=64m gcm-run /run
mount -t sysfs gcm-sys /sys   # from inside the netns, or noded checks bridges against the host's /sys
mkdir -p /run/ganeti/fake-hypervisor /run/sshd /run/lock; chmod 1777 /run/lock
for m in var-lib-ganeti:/var/lib/ganeti etc-ganeti:/etc/ganeti var-log-ganeti:/var/log/ganeti \
         etc-ssh:/etc/ssh root-ssh:/root/.ssh srv:/srv fake-hv:/run/ganeti/fake-hypervisor \
         hosts:/etc/hosts hostname:/etc/hostname resolv.conf:/etc/resolv.conf; do
  # a fresh machine may lack a directory mount point (e.g. /root/.ssh): make it, private
  if [ -d "$H$D/${m%%:*}" ] && [ ! -e "${m#*:}" ]; then mkdir -p -m 0700 "${m#*:}"; fi
  mount --bind "$H$D/${m%%:*}" "${m#*:}"
done
ip link set lo up
# a local bridge so that instance NICs (nicparams link=gnt-br0) have something to refer to
ip link add gnt-br0 type bridge && ip link set gnt-br0 up
/usr/sbin/sshd -E /var/log/ganeti/sshd.log
echo ready > "$H$R/ready"
[ -z "$H" ] || umount -l "$H"
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $! || true; done
