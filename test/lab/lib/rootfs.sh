# The Ganeti 3.1 variant of the lab (GCM_LAB_GANETI=3.1): a Debian 13 "trixie" root filesystem built
# with debootstrap from the host's Debian mirror, shared read-only by every node (node-init.sh
# pivots into an overlay of it with a per-node writable layer).  Built once and kept in $STATE/rootfs-3.1 until its recipe (this file) changes;
# the versions installed in it are part of the saved image's key (lib/image.sh).  Sourced by lab.sh.

ROOTFS_SUITE=trixie
# Ganeti 3.1 and what the 3.0 nodes use from the host (sshd, bridge/veth, ps/pkill/fuser, ping), plus
# qemu and a static busybox for KVM guests.
ROOTFS_PACKAGES="ganeti ganeti-3.1 ganeti-haskell-3.1 ganeti-htools-3.1 ganeti-os-noop
  openssh-server openssh-client iproute2 bridge-utils procps psmisc iputils-ping util-linux
  python3 qemu-system-x86 busybox-static"

# The Debian mirror the host's apt uses (deb822 or one-line sources), else Debian's default.
rootfs_mirror() {
  local m
  m=$(grep -hoE '(URIs:[[:space:]]*|^deb[[:space:]]+)https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
      | grep -oE 'https?://[^[:space:]]+' | head -1)
  echo "${GCM_LAB_MIRROR:-${m:-http://deb.debian.org/debian}}"
}

rootfs_recipe() { { echo "$ROOTFS_SUITE $ROOTFS_PACKAGES"; declare -f build_rootfs; } | sha256sum | awk '{print $1}'; }

rootfs_valid() { [ -f "$ROOTFS/.gcm-recipe" ] && [ "$(cat "$ROOTFS/.gcm-recipe")" = "$(rootfs_recipe)" ]; }

# debootstrap a minimal trixie, then apt-get the packages inside it with services kept from starting
# (policy-rc.d exit 101); mounts happen in a private mount namespace, so nothing leaks onto the host.
build_rootfs() {
  local tmp=$ROOTFS.tmp mirror t0=$SECONDS
  command -v debootstrap >/dev/null || die "'debootstrap' missing; run: sudo scripts/install-system-deps.sh"
  mirror=$(rootfs_mirror)
  log "building the Debian $ROOTFS_SUITE root filesystem from $mirror (debootstrap, a few minutes)"
  rm -rf "$tmp"; mkdir -p "$tmp" "$LOG_DIR"
  debootstrap --variant=minbase --include=ca-certificates "$ROOTFS_SUITE" "$tmp" "$mirror" \
      > "$LOG_DIR/rootfs-debootstrap.log" 2>&1 \
    || { tail -20 "$LOG_DIR/rootfs-debootstrap.log" >&2; die "debootstrap $ROOTFS_SUITE from $mirror failed (log: $LOG_DIR/rootfs-debootstrap.log)"; }
  log "debootstrap done ($((SECONDS - t0))s); installing Ganeti 3.1 and the node tooling"
  printf '#!/bin/sh\n# gcm lab: no service starts while building the image\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"
  chmod 755 "$tmp/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$tmp/etc/resolv.conf"
  # shellcheck disable=SC2086
  unshare --mount --fork bash -c '
      set -e; mount --make-rprivate /
      mount -t proc proc "$1/proc"; mount --rbind /dev "$1/dev"; mount -t sysfs sys "$1/sys"
      chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
        sh -c "apt-get -q update && apt-get -q -y --no-install-recommends install $2 && apt-get clean"
    ' _ "$tmp" "$(echo $ROOTFS_PACKAGES)" > "$LOG_DIR/rootfs-apt.log" 2>&1 \
    || { tail -30 "$LOG_DIR/rootfs-apt.log" >&2; die "installing the packages into the $ROOTFS_SUITE root filesystem failed (log: $LOG_DIR/rootfs-apt.log)"; }
  touch "$tmp/etc/hosts" "$tmp/etc/hostname"
  chroot "$tmp" dpkg-query -W -f='${Package} ${Version}\n' > "$tmp/.gcm-versions"
  rootfs_recipe > "$tmp/.gcm-recipe"
  rm -rf "$ROOTFS"; mv "$tmp" "$ROOTFS"
  log "root filesystem ready in $((SECONDS - t0))s ($(du -sh "$ROOTFS" | cut -f1)); $(lab_pkg_versions ganeti)"
}

ensure_rootfs() { rootfs_valid || build_rootfs; }

# "package version" lines of what the nodes run: the root filesystem's packages, or the host's
lab_pkg_versions() {
  local p
  if [ -z "$ROOTFS" ]; then dpkg-query -W -f='${Package} ${Version}\n' "$@" 2>/dev/null; return 0; fi
  for p in "$@"; do awk -v p="$p" '$1 == p' "$ROOTFS/.gcm-versions" 2>/dev/null; done
}
