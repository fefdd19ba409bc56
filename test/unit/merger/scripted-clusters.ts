// A ScriptedRunner handler that answers preflight's reads (version, cluster info, node, instance
// and group lists, config.data) from generated configs, so preflight runs for real in unit and
// in-host tests without a lab. Hosts: a cluster's name, its short name or any of its node names.
import type { GanetiConfig } from '../../../src/core/config/types';
import type { ScriptedHandler } from '../../../src/core/remote/scripted-runner';

export function scriptedClusters(configs: readonly GanetiConfig[], version = '3.0.2'): ScriptedHandler {
  const byHost = new Map<string, GanetiConfig>();
  for (const c of configs) {
    const name = String(c.cluster.cluster_name);
    byHost.set(name, c);
    byHost.set(name.split('.')[0], c);
    for (const n of Object.values(c.nodes)) byHost.set(String(n.name), c);
  }
  return (host, argv) => {
    const c = byHost.get(host);
    if (!c) return undefined;
    const nodeName = (uuid: unknown) => String(c.nodes[String(uuid)]?.name);
    const groupName = (uuid: unknown) => String(c.nodegroups[String(uuid)]?.name);
    const rows = (lines: string[][]) => ({ stdout: lines.map((l) => l.join('|')).join('\n') + '\n' });
    const command = argv.slice(0, 2).join(' ');
    if (command === 'gnt-cluster --version') return { stdout: `gnt-cluster (ganeti ${version}-1) ${version}\n` };
    if (command === 'gnt-cluster info') {
      return { stdout: `Cluster name: ${String(c.cluster.cluster_name)}\nCluster UUID: ${String(c.cluster.uuid)}\nMaster node: ${nodeName(c.cluster.master_node)}\n` };
    }
    if (command === 'gnt-node list') {
      return rows(Object.values(c.nodes).map((n) => [String(n.name), n.offline ? 'Y' : 'N', n.uuid === c.cluster.master_node ? 'M' : 'R', groupName(n.group)]));
    }
    if (command === 'gnt-instance list') {
      return rows(Object.values(c.instances).map((i) => [String(i.name), i.admin_state === 'up' ? 'running' : 'ADMIN_down', nodeName(i.primary_node)]));
    }
    if (command === 'gnt-group list') {
      return rows(Object.values(c.nodegroups).map((g) => {
        const members = Object.values(c.nodes).filter((n) => n.group === g.uuid).length;
        return [String(g.name), String(g.uuid), String(members), String(g.alloc_policy ?? 'preferred')];
      }));
    }
    if (argv[0] === 'cat' && argv[2] === '/var/lib/ganeti/config.data') return { stdout: JSON.stringify(c) };
    return undefined;
  };
}
