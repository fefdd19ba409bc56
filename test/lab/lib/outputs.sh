# What the code under test gets from the lab: lab.json, known_hosts, ssh_config (and the identity key).
# The lab's names are not in the host's DNS: lab.json and the ssh config map them to IPs.  Sourced by lab.sh.

# "name,name2,ip keytype key" lines for every node and every cluster name (which points at its master)
write_known_hosts() {
  local n c m f out=$STATE/known_hosts
  : > "$out.tmp"
  for n in $ALL_NODES; do
    for f in "$NODES_DIR/$n"/etc-ssh/ssh_host_*_key.pub; do
      echo "$(fqdn "$n"),$n,$(nodeip "$n") $(awk '{print $1, $2}' "$f")" >> "$out.tmp"
    done
  done
  for c in $ALL_CLUSTERS; do
    m=$(master_of "$c")
    for f in "$NODES_DIR/$m"/etc-ssh/ssh_host_*_key.pub; do
      echo "$(fqdn "$c"),$c,$(clusterip "$c") $(awk '{print $1, $2}' "$f")" >> "$out.tmp"
    done
  done
  mv "$out.tmp" "$out"
}

write_ssh_config() {
  local n c out=$STATE/ssh_config
  {
    echo "# gcm lab: ssh -F $out a1.$DOMAIN"
    for n in $ALL_NODES; do printf 'Host %s %s\n  HostName %s\n' "$(fqdn "$n")" "$n" "$(nodeip "$n")"; done
    for c in $ALL_CLUSTERS; do printf 'Host %s %s\n  HostName %s\n' "$(fqdn "$c")" "$c" "$(clusterip "$c")"; done
    echo "Host *"
    echo "  User root"
    echo "  IdentityFile $STATE/id_ed25519"
    echo "  IdentitiesOnly yes"
    echo "  UserKnownHostsFile $STATE/known_hosts"
    echo "  GlobalKnownHostsFile /dev/null"
    echo "  StrictHostKeyChecking yes"
    echo "  BatchMode yes"
    echo "  ConnectTimeout 10"
  } > "$out"
}

write_lab_json() {
  local spec="" c n
  for c in $ALL_CLUSTERS; do spec="$spec $c:$(clusterip "$c"):${CLUSTER_NODES[$c]// /,}"; done
  for n in $ALL_NODES; do spec="$spec @$n:$(nodeip "$n"):${GUEST_IP[$n]}:${NODE_GROUP[$n]:-default}"; done
  STOPPED_INSTANCES=$STOPPED_INSTANCES GANETI_VERSION=$(lab_pkg_versions ganeti | awk '{print $2}') GANETI_LAB=$GANETI_LAB HYPERVISOR=$LAB_HV NO_GUESTS_REASON=$(no_guests_reason) \
  GUEST_ACCEL=$([ "$LAB_HV" = kvm ] && guest_accel) \
  python3 - "$STATE" "$DOMAIN" "$SUBNET" "$HOST_IP" "$TARGET_CLUSTER" "$SWNS" $spec <<'PY'
import json, os, sys
state, domain, subnet, host_ip, target, netns, *spec = sys.argv[1:]
ips = {s[1:].split(":")[0]: s.split(":")[1] for s in spec if s.startswith("@")}
guest_base = {s[1:].split(":")[0]: int(s.split(":")[2]) for s in spec if s.startswith("@")}
groups = {s[1:].split(":")[0]: s.split(":")[3] for s in spec if s.startswith("@")}
stopped = {f"{i}.{domain}" for i in os.environ["STOPPED_INSTANCES"].split()}
fq = lambda n: f"{n}.{domain}"
clusters, nodes = [], []
for s in (s for s in spec if not s.startswith("@")):
    name, ip, members = s.split(":"); members = members.split(",")
    clusters.append({
        "name": fq(name), "shortName": name, "ip": ip, "master": fq(members[0]),
        "nodes": [fq(n) for n in members],
        # as designed: per node one diskless and one file instance; adminUp false: built stopped
        "instances": [{"name": f"i{n}-{k}.{domain}", "node": fq(n), "diskTemplate": t,
                       "ip": f"{subnet}.{guest_base[n] + k}", "adminUp": f"i{n}-{k}.{domain}" not in stopped}
                      for n in members for k, t in ((1, "diskless"), (2, "file"))],
    })
    nodes += [{"name": fq(n), "shortName": n, "ip": ips[n], "cluster": fq(name), "master": n == members[0],
               "group": groups[n]}
              for n in members]
info = {
    "domain": domain, "subnet": f"{subnet}.0/24", "hostIp": host_ip, "netns": netns,
    "ganetiVersion": os.environ["GANETI_VERSION"], "ganetiLab": os.environ["GANETI_LAB"], "stateDir": state,
    "sshConfig": f"{state}/ssh_config", "knownHosts": f"{state}/known_hosts",
    "identityFile": f"{state}/id_ed25519", "user": "root",
    "targetCluster": fq(target), "mergeeClusters": [c["name"] for c in clusters if c["shortName"] != target],
    "clusters": clusters, "nodes": nodes,
    # "kvm": every instance is a real VM (guestAccel: how qemu runs it); "fake": no guests, noGuestsReason says why
    "hypervisor": os.environ["HYPERVISOR"], "guestAccel": os.environ["GUEST_ACCEL"] or None,
    "noGuestsReason": os.environ["NO_GUESTS_REASON"] or None,
    "verifyIgnoreErrors": ["ENODESETUP"] if not os.path.exists("/proc/sysrq-trigger") else [],
}
tmp = f"{state}/lab.json.tmp"
with open(tmp, "w") as f: json.dump(info, f, indent=2); f.write("\n")
os.replace(tmp, f"{state}/lab.json")
PY
}

write_outputs() { write_known_hosts; write_ssh_config; write_lab_json; }
