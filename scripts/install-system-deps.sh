#!/bin/bash
# Installs every Debian package the project needs (the Ganeti lab, ssh, the VS Code test browser,
# native npm modules).  Idempotent and fast when everything is already there.
#   sudo scripts/install-system-deps.sh          # needs root (apt-get)
# apt must not start ganeti or sshd on the HOST: the lab runs them inside namespaces only.
set -euo pipefail

PACKAGES=(
  # Ganeti 3.0 and the no-op OS used by the lab's instances
  ganeti ganeti-os-noop
  # lab plumbing: sshd inside each node, bridge/veth, ping, ps/pkill/fuser, unshare/nsenter
  openssh-server openssh-client bridge-utils iproute2 iputils-ping procps psmisc util-linux
  # the lab's real guests (Ganeti's kvm hypervisor): qemu, the guests' busybox, socat for Ganeti's
  # kvm console/monitor, curl to read a guest's page (the guests' kernel comes from `apt-get download`)
  qemu-system-x86 busybox-static socat curl
  # the Ganeti 3.1 lab (GCM_LAB_GANETI=3.1) builds its nodes' Debian 13 root filesystem with it
  debootstrap
  # VS Code (code-server) tests: headless browser, and headers for the `kerberos` native module
  chromium libkrb5-dev build-essential python3
  ca-certificates xz-utils tar
)

if [ "$(uname -s)" != Linux ]; then echo "install-system-deps: Debian/Linux only" >&2; exit 1; fi
if [ "$(id -u)" != 0 ]; then
  echo "install-system-deps: must run as root (apt-get). Try: sudo $0" >&2; exit 1
fi
command -v apt-get >/dev/null || { echo "install-system-deps: apt-get not found (Debian 12 expected)" >&2; exit 1; }

missing=()
for p in "${PACKAGES[@]}"; do
  # "install ok installed" is the only state that means the package is really there
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} = 0 ]; then
  echo "install-system-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi
echo "install-system-deps: installing ${missing[*]}"

# policy-rc.d exit 101 = "do not start services" for maintainer scripts.  Remove only our own.
POLICY=/usr/sbin/policy-rc.d
created_policy=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\n# temporary, from install-system-deps.sh\nexit 101\n' > "$POLICY"
  chmod 755 "$POLICY"; created_policy=1
fi
cleanup() { [ -n "$created_policy" ] && rm -f "$POLICY"; return 0; }
trap cleanup EXIT

DAEMON_RE='ganeti-(noded|confd|wconfd|luxid|rapi|mond|kvmd|metad)|sshd'
before=" $(pgrep -x "$DAEMON_RE" 2>/dev/null | xargs || true) "

export DEBIAN_FRONTEND=noninteractive
# wait for another apt run (another helper / unattended-upgrades) instead of failing
APT_OPTS=(-o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)
# apt's hundreds of lines go to a log (shown when it fails); the terminal gets progress lines.
# shellcheck source=run-logged.sh
source "$(dirname "${BASH_SOURCE[0]}")/run-logged.sh"
LOG=${GCM_SYSTEM_DEPS_LOG:-/var/log/ganeti-merge-system-deps.log}
start=$SECONDS
run_logged install-system-deps "$LOG" \
  sh -c 'apt-get -o DPkg::Lock::Timeout=600 -q update && apt-get install "$@"' apt "${APT_OPTS[@]}" "${missing[@]}"
echo "install-system-deps: installed ${#missing[@]} packages ($(grep -c '^Setting up ' "$LOG" || true) set up with dependencies) in $((SECONDS - start)) s; log: $LOG"

# Make sure the install left no ganeti daemon or sshd running on the host (outside the lab's
# namespaces): anything of these names that was not running before the install is stopped.
stop_new_daemons() {
  local host_pidns pid
  host_pidns=$(readlink /proc/self/ns/pid)  # our own = the host's
  for pid in $(pgrep -x "$DAEMON_RE" 2>/dev/null || true); do
    [ "$(readlink /proc/"$pid"/ns/pid 2>/dev/null)" = "$host_pidns" ] || continue  # a lab node's
    [[ " $before " == *" $pid "* ]] && continue                                   # was already there
    echo "install-system-deps: stopping $(cat /proc/"$pid"/comm 2>/dev/null) (pid $pid) started by the install" >&2
    kill "$pid" 2>/dev/null || true
  done
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    [[ " ${missing[*]} " == *" ganeti "* ]] && systemctl disable --now ganeti.target ganeti.service >/dev/null 2>&1 || true
    [[ " ${missing[*]} " == *" openssh-server "* ]] && systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
  fi
  return 0
}
stop_new_daemons
echo "install-system-deps: done"
