# The lab's real guests: which hypervisor the lab uses, and the tiny VM every instance boots (a Debian
# kernel from Debian's own package + an initramfs built here from busybox-static).  Sourced by lab.sh.
#
# The guest reads its NICs' addresses and its name from the kernel command line (the instance's
# hvparam kernel_args, set at `gnt-instance add`): gcm.name=NAME gcm.ip=IFACE:ADDR/PREFIX (repeatable).
# It serves "name NAME" and "boot_id UUID" (a fresh UUID per boot) on http://ADDR/, answers ping,
# and powers off at once on the ACPI power button (Ganeti's kvm shutdown sends system_powerdown).

GUEST_DIR=$STATE/guest                       # kernel + initramfs, kept across rebuilds (not by down --purge)
GUEST_KERNEL=$GUEST_DIR/vmlinuz
GUEST_INITRD=$GUEST_DIR/initrd.img
# loaded in this order by the guest's init (Debian builds them as modules; no depmod in the initramfs)
GUEST_MODULES="virtio/virtio_ring virtio/virtio virtio/virtio_pci_legacy_dev virtio/virtio_pci_modern_dev virtio/virtio_pci
  ../net/core/failover net/net_failover net/virtio_net acpi/button input/evdev"

# "kvm" (Ganeti's kvm hypervisor, real guests) or "fake".  Cheap: it reads the KVM probe's cached verdict
# (decide_hypervisor makes it at `lab.sh up`).  GCM_LAB_HV=fake forces fake; GCM_LAB_ACCEL=kvm|tcg forces guests.
lab_hypervisor() {
  [ -z "$(no_guests_reason)" ] && echo kvm || echo fake
}

# Why there are no real guests ("" when there are): shown loudly by lab.sh and written to lab.json.
no_guests_reason() {
  if [ "${GCM_LAB_HV:-}" = fake ]; then echo "GCM_LAB_HV=fake"
  elif ! command -v qemu-system-x86_64 >/dev/null; then echo "qemu-system-x86 is not installed"
  elif [ "${GCM_LAB_ACCEL:-auto}" = tcg ]; then return 0
  elif [ ! -c /dev/kvm ]; then echo "no /dev/kvm here (GCM_LAB_ACCEL=tcg emulates the guests, slowly)"
  elif [ "${GCM_LAB_ACCEL:-auto}" = kvm ] || [ "$(cat "$GUEST_DIR/accel" 2>/dev/null)" = kvm ]; then return 0
  elif [ -f "$GUEST_DIR/accel" ]; then
    echo "a guest does not boot with this machine's KVM within 30 s (it reset or crawled: $GUEST_DIR/probe.log); GCM_LAB_ACCEL=tcg emulates the guests (~10 s per boot, resets take minutes)"
  else echo "KVM not probed yet (lab.sh up probes it)"; fi
}

# At `lab.sh up`: build the guest and probe KVM once (the verdict is cached with the guest), set LAB_HV.
decide_hypervisor() {
  if [ "${GCM_LAB_HV:-}" != fake ] && command -v qemu-system-x86_64 >/dev/null && [ -c /dev/kvm ]; then
    build_guest
    [ "${GCM_LAB_ACCEL:-auto}" = auto ] && probe_kvm
  fi
  LAB_HV=$(lab_hypervisor)
  [ "$LAB_HV" = kvm ] || log "WARNING: NO REAL GUESTS: $(no_guests_reason); the lab uses Ganeti's fake hypervisor and guest tests skip"
}

# Does a guest really boot with KVM within 30 s?  Nested KVM can answer every ioctl and still crawl
# (measured on a Firecracker VM: no kernel line after 5 min, when TCG boots the same guest in 5 s).
probe_kvm() {
  local out
  [ -f "$GUEST_DIR/accel" ] && return 0
  out=$(timeout 30 qemu-system-x86_64 -accel kvm -m 64 -smp 1 -nographic -no-reboot -net none -kernel "$GUEST_KERNEL" \
        -initrd "$GUEST_INITRD" -append "console=ttyS0 quiet panic=-1 gcm.name=probe gcm.probe=1" 2>&1 < /dev/null || true)
  printf '%s\n' "$out" > "$GUEST_DIR/probe.log"   # what the guest printed: the evidence behind the verdict
  if grep -q 'gcm guest probe up' <<< "$out"; then echo kvm; else echo none; fi > "$GUEST_DIR/accel"
}

# How qemu runs the guests: KVM, or qemu's emulator (TCG) where forced with GCM_LAB_ACCEL=tcg.
guest_accel() { [ "${GCM_LAB_ACCEL:-auto}" = tcg ] && echo tcg || echo kvm; }

# The Debian kernel package the guests boot: the one linux-image-amd64 points to.
guest_kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'; }

# Kernel + initramfs into $GUEST_DIR, unless already there for this kernel package and this file.
build_guest() {
  local pkg key tmp root ko m
  pkg=$(guest_kernel_package)
  [ -n "$pkg" ] || die "guest: apt-cache knows no linux-image-amd64 (run apt-get update)"
  [ -x /bin/busybox ] && busybox --list | grep -x httpd >/dev/null || die "guest: busybox-static missing; run: sudo scripts/install-system-deps.sh"
  key=$( { echo "$pkg"; busybox | head -1; cat "${BASH_SOURCE[0]}"; } | sha256sum | cut -d' ' -f1)
  [ -f "$GUEST_DIR/key" ] && [ "$(cat "$GUEST_DIR/key")" = "$key" ] && [ -f "$GUEST_INITRD" ] && return 0
  log "guest: building kernel + initramfs from $pkg and busybox-static"
  tmp=$GUEST_DIR.tmp; rm -rf "$tmp"; mkdir -p "$tmp/deb" "$tmp/root"
  # apt's download sandbox user cannot write into root's dirs: fetch as root, quietly
  (cd "$tmp/deb" && apt-get -q download "$pkg" 2>&1 | grep -v 'unsandboxed' >&2) || die "guest: apt-get download $pkg failed"
  dpkg-deb --fsys-tarfile "$tmp"/deb/*.deb | tar -x -C "$tmp/deb" --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/*' './lib/modules/*/kernel/net/core/*'
  cp "$tmp"/deb/boot/vmlinuz-* "$tmp/vmlinuz"
  root=$tmp/root; mkdir -p "$root"/{bin,dev,proc,sys,www,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  for m in $GUEST_MODULES; do
    ko=$(echo "$tmp"/deb/lib/modules/*/kernel/drivers/"$m".ko)
    [ -f "$ko" ] || die "guest: module $m not in $pkg"
    cp "$ko" "$root/lib/modules/$(basename "$ko")"
  done
  guest_init > "$root/init"; chmod 755 "$root/init"
  (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$tmp/initrd.img"
  rm -rf "$tmp/deb" "$tmp/root"
  echo "$key" > "$tmp/key"
  rm -rf "$GUEST_DIR"; mv "$tmp" "$GUEST_DIR"
  log "guest: $(du -h "$GUEST_KERNEL" | cut -f1) kernel, $(du -h "$GUEST_INITRD" | cut -f1) initramfs in $GUEST_DIR"
}

# PID 1 of the guest (busybox sh).
guest_init() {
  cat <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(for m in $GUEST_MODULES; do basename "$m"; done | xargs); do insmod /lib/modules/\$m.ko 2>/dev/null; done
EOF
  cat <<'EOF'
NAME=unnamed; BOOT_ID=$(cat /proc/sys/kernel/random/uuid)
ip link set lo up
for a in $(cat /proc/cmdline); do
  case $a in
    gcm.name=*) NAME=${a#gcm.name=} ;;
    gcm.ip=*) nic=${a#gcm.ip=}; dev=${nic%%:*}
      for i in $(seq 50); do [ -e /sys/class/net/$dev ] && break; sleep 0.1; done
      addr=${nic#*:}; ip addr add $addr dev $dev; ip link set $dev up
      arping -U -c 1 -I $dev ${addr%/*} >/dev/null 2>&1 & ;;
  esac
done
printf 'name %s\nboot_id %s\n' "$NAME" "$BOOT_ID" > /www/index.html
httpd -h /www -p 80
# the ACPI power button (system_powerdown): any event from an input device named "Power Button"
for e in /sys/class/input/event*; do
  grep -q 'Power Button' $e/device/name 2>/dev/null || continue
  (dd if=/dev/input/${e##*/} of=/dev/null bs=24 count=1 2>/dev/null; echo "gcm guest: power button"; poweroff -f) &
done
echo "gcm guest $NAME up, boot_id $BOOT_ID"
grep -q gcm.probe=1 /proc/cmdline && poweroff -f
while :; do sleep 3600; done
EOF
}

# cluster-wide kvm hvparams (the same on every cluster, so a merge has nothing to reconcile there)
guest_cluster_hvparams() {
  local path=/usr/bin/kvm flag=enabled
  [ "$(guest_accel)" = kvm ] || { path=/usr/bin/qemu-system-x86_64; flag=disabled; }
  echo "kvm:kvm_path=$path,kvm_flag=$flag,kernel_path=$GUEST_KERNEL,initrd_path=$GUEST_INITRD,kernel_args=quiet panic=5"
}

# per-instance hvparams: the guest's name and NIC addresses ("eth0:10.x.y.z/24" ...; Ganeti splits hvparams at commas)
guest_instance_hvparams() {
  local name=$1 nic a="quiet panic=5 gcm.name=$1"; shift
  for nic in "$@"; do a="$a gcm.ip=$nic"; done
  echo "kvm:kernel_args=$a"
}

# "ok"/"ko" for ping and the boot id (or "-") served by the guest at $1.
guest_probe() {
  local ip=$1 ping=ko id
  ping -c 1 -W 1 "$ip" >/dev/null 2>&1 && ping=ok
  id=$(curl -s -m 2 "http://$ip/" 2>/dev/null | awk '$1 == "boot_id" {print $2}')
  echo "ping $ping http ${id:--}"
}

# Waits until every guest at the given addresses serves its page (they boot in a few seconds).
wait_guests() {
  local ip i left
  for i in $(seq 90); do
    left=""
    for ip in "$@"; do curl -s -m 1 "http://$ip/" 2>/dev/null | grep '^boot_id ' >/dev/null || left="$left $ip"; done
    [ -z "$left" ] && return 0
    sleep 1
  done
  log "guests not answering on http:$left"; return 1
}
