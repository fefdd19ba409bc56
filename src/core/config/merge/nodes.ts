/**
 * Incoming nodes (spec 3.5 second half, B.6a): effective node parameters before and after the
 * move, pinning of changed values, and the forced offline state of every merged node.
 */
import { describe } from './report';
import { byString, isJsonObject, jsonEqual, objectOrEmpty, own } from '../json/values';
import type { JsonObject, Node } from '../types';
import type { StepContext } from './step-context';

export interface NodePlan {
  /** incoming nodes in name order */
  nodes: Node[];
  /** node uuid -> parameters to pin into node.ndparams */
  pins: Map<string, JsonObject>;
}

/** B.6a: compares each incoming node's effective ndparams before and after the merge. */
export function planNodes({ merged, incoming, source, options, f }: StepContext, groupMap: Map<string, string>): NodePlan {
  const clusterName = String(incoming.cluster.cluster_name);
  const nodes = Object.values(incoming.nodes).sort((a, b) => byString(a.name, b.name));
  const pins = new Map<string, JsonObject>();
  const pinnedByValue = new Map<string, string[]>();
  const inCluster = objectOrEmpty(incoming.cluster.ndparams);
  const tCluster = objectOrEmpty(merged.cluster.ndparams);
  for (const node of nodes) {
    const dest = groupMap.get(node.group);
    const who = describe('node', node.name, node.uuid);
    if (dest === undefined) {
      f.error('E_DANGLING_REF', `node ${node.name} of ${clusterName} is in unknown node group ${node.group}`, source, [who]);
      continue;
    }
    const nodeSet = objectOrEmpty(node.ndparams);
    const before = { ...inCluster, ...objectOrEmpty(incoming.nodegroups[node.group]?.ndparams), ...nodeSet };
    // An added group keeps its own ndparams; an absorbed one is replaced by the target's.
    const destGroup = dest === node.group ? incoming.nodegroups[node.group] : merged.nodegroups[dest];
    const after = { ...tCluster, ...objectOrEmpty(destGroup?.ndparams), ...nodeSet };
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byString)) {
      const was = own(before, key);
      const now = own(after, key);
      if (jsonEqual(was ?? null, now ?? null)) continue;
      const change = `${key} ${JSON.stringify(was ?? null)} -> ${JSON.stringify(now ?? null)}`;
      if (key === 'exclusive_storage') {
        f.error('E_EXCLUSIVE_STORAGE_CHANGE', `node ${node.name} of ${clusterName} would change exclusive_storage (${change}); it can only be set per group or cluster`, source, [who]);
      } else if (options.pinNodeParams && was !== undefined) {
        const pin = pins.get(node.uuid) ?? {};
        pin[key] = was;
        pins.set(node.uuid, pin);
        const k = `${key}=${JSON.stringify(was)}`;
        const list = pinnedByValue.get(k) ?? [];
        list.push(node.name);
        pinnedByValue.set(k, list);
      } else if (key === 'ssh_port') {
        f.error('E_NODE_PARAM_CHANGE', `node ${node.name} of ${clusterName} would change its effective ${change}`, source, [who]);
      } else {
        f.warn('W_EFFECTIVE_PARAM_CHANGE', `node ${node.name} of ${clusterName} changes its effective ${change}`, source, [who]);
      }
    }
  }
  for (const [pin, names] of pinnedByValue) {
    f.warn('W_NODE_PARAM_PINNED', `${pin} pinned into node ndparams of ${names.length} node(s) of ${clusterName} to keep their effective value`,
      source, names.map((n) => `node ${n}`));
  }
  return { nodes, pins };
}

export function applyNodes({ merged, index, source, now, f: { report } }: StepContext, plan: NodePlan, groupMap: Map<string, string>): void {
  for (const node of plan.nodes) {
    if (node.master_candidate !== false || node.offline !== true || node.drained !== false) {
      report.nodesForcedOffline.push({ source, node: node.name,
        previous: { master_candidate: node.master_candidate, offline: node.offline, drained: node.drained } });
    }
    node.group = groupMap.get(node.group) as string;
    node.master_candidate = false;
    node.drained = false;
    node.offline = true;
    node.serial_no = 1;
    node.ctime = now;
    node.mtime = now;
    const pin = plan.pins.get(node.uuid);
    if (pin) {
      const nd = isJsonObject(node.ndparams) ? node.ndparams : (node.ndparams = {});
      for (const [param, value] of Object.entries(pin)) {
        nd[param] = value;
        report.pinnedNodeParams.push({ source, node: node.name, param, value });
      }
    }
    merged.nodes[node.uuid] = node;
    index.addNode(node);
  }
}
