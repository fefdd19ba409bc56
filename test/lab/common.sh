# Names, addresses and helpers of the project's Ganeti lab.  Source it, don't execute it.
# Distinct from any other lab on the machine: own netns, own state dir, own host link; override with env.
LABDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${GCM_LAB_STATE:-/var/tmp/gcm-lab}      # node dirs, saved image, lab.json, keys, logs
SWNS=${GCM_LAB_NETNS:-gcm-sw}                 # named netns holding the lab's bridge br0
SUBNET=${GCM_LAB_SUBNET:-10.254.0}            # the lab's /24, as its first three octets
HOST_IF=${GCM_LAB_HOST_IF:-gcmlab-host}       # host side of the host <-> bridge veth
HOST_IP=$SUBNET.1
DOMAIN=glab.test
NODES_DIR=$STATE/nodes                         # per-node persistent dirs (bind-mounted into the node)
RUN_DIR=$STATE/run                             # per-node runtime files: pids, init log, faults
IMAGE_DIR=$STATE/image                         # the saved freshly-built pre-merge state
LOG_DIR=$STATE/log
# Which Ganeti the nodes run: 3.0 = the host's (Debian 12); 3.1 = a Debian 13 root filesystem (lib/rootfs.sh)
GANETI_LAB=${GCM_LAB_GANETI:-3.0}
case "$GANETI_LAB" in 3.0) ROOTFS="" ;; 3.1) ROOTFS=$STATE/rootfs-3.1 IMAGE_DIR=$STATE/image-3.1 ;; *) echo "lab: GCM_LAB_GANETI=$GANETI_LAB: only 3.0 or 3.1" >&2; exit 1 ;; esac

declare -A NODE_IP=( [a1]=11 [a2]=12 [a3]=13 [b1]=21 [b2]=22 [c1]=31 )
# cluster -> "master other-nodes..."; the first node is the master
declare -A CLUSTER_NODES=( [clustera]="a1 a2 a3" [clusterb]="b1 b2" [clusterc]="c1" )
declare -A CLUSTER_IP=( [clustera]=10 [clusterb]=20 [clusterc]=30 )
# the guests' addresses: instance iNODE-K of node NODE has $SUBNET.$((GUEST_IP[NODE] + K)) (e.g. ia1-1 .111)
declare -A GUEST_IP=( [a1]=110 [a2]=120 [a3]=160 [b1]=130 [b2]=140 [c1]=150 )
ALL_NODES="a1 a2 a3 b1 b2 c1"
ALL_CLUSTERS="clustera clusterb clusterc"
TARGET_CLUSTER=clustera

fqdn() { echo "$1.$DOMAIN"; }
nodeip() { echo "$SUBNET.${NODE_IP[$1]}"; }
guestip() { echo "$SUBNET.$((GUEST_IP[$1] + $2))"; }
clusterip() { echo "$SUBNET.${CLUSTER_IP[$1]}"; }
master_of() { local n; read -r n _ <<< "${CLUSTER_NODES[$1]}"; echo "$n"; }
cluster_of() { local c; for c in $ALL_CLUSTERS; do [[ " ${CLUSTER_NODES[$c]} " == *" $1 "* ]] && { echo "$c"; return; }; done; return 1; }
is_node() { [[ " $ALL_NODES " == *" $1 "* ]]; }
# host PID of the node's namespace init (PID 1 inside the node)
nodepid() { cat "$RUN_DIR/$1/nspid"; }
node_alive() {
  local p; p=$(cat "$RUN_DIR/$1/nspid" 2>/dev/null) || return 1
  tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -F "node-init.sh $1 $NODES_DIR/$1 " >/dev/null
}
# run a command inside a node (all its namespaces)
nx() { local n=$1; shift; nsenter -t "$(nodepid "$n")" -m -u -i -n -p -- "$@"; }
# run a shell snippet inside a node with a clean, predictable environment. --norc: the nodes share
# the host's /root, and Debian's bash sources ~/.bashrc when its stdin is a socket (node's execFile
# pipes are socketpairs); a host .bashrc running pyenv's rehash left a stale lock after a killed
# command, and every later snippet waited 60 s for it (seen as capture timeouts in the lab suites)
nsh() { local n=$1; shift; nx "$n" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb bash --norc -c "$*"; }
log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "lab: $*" >&2; exit 1; }
