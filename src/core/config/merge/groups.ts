/**
 * Step C (spec 3.5, B.7): node groups of one incoming cluster — added, renamed, or absorbed
 * into the same-named target group — with their network connections remapped.
 */
import { describe, type Findings } from './report';
import { byString, isJsonObject, jsonEqual, objectOrEmpty } from '../json/values';
import type { Json, JsonObject, NodeGroup } from '../types';
import type { StepContext } from './step-context';

export interface GroupPlan {
  /** incoming group uuid -> group uuid in the merged config */
  map: Map<string, string>;
  add: { group: NodeGroup; name: string; networks: JsonObject }[];
  /** network connections added to absorbing target groups */
  connect: { target: NodeGroup; entries: [string, Json][] }[];
}

const DROPPED_ON_MERGE = ['ndparams', 'diskparams', 'ipolicy', 'alloc_policy', 'tags'];

export function planGroups({ merged, index, incoming, source, options, f }: StepContext, networkMap: Map<string, string>): GroupPlan {
  const plan: GroupPlan = { map: new Map(), add: [], connect: [] };
  const clusterName = String(incoming.cluster.cluster_name);
  const strict = options.params === 'strict';
  const conflicts: string[] = [];
  const plannedNames = new Set<string>();
  const groups = Object.values(incoming.nodegroups).sort((a, b) => byString(a.name, b.name));
  for (const g of groups) {
    const networks = remapGroupNetworks(g, networkMap, clusterName, source, f);
    const existingUuid = index.groupNames.get(g.name);
    if (existingUuid === undefined) {
      plan.map.set(g.uuid, g.uuid);
      plan.add.push({ group: g, name: g.name, networks });
      plannedNames.add(g.name);
    } else if (options.groups === 'refuse') {
      conflicts.push(g.name);
    } else if (options.groups === 'rename') {
      const name = `${g.name}-${clusterName}`;
      if (index.groupNames.has(name) || plannedNames.has(name)) {
        f.error('E_GROUP_RENAME_COLLISION', `node group ${g.name} of ${clusterName} cannot be renamed to ${name}: that name is taken`,
          source, [describe('node group', g.name, g.uuid)]);
      }
      plannedNames.add(name);
      plan.map.set(g.uuid, g.uuid);
      plan.add.push({ group: g, name, networks });
    } else {
      const target = merged.nodegroups[existingUuid];
      plan.map.set(g.uuid, target.uuid);
      const objects = [describe('node group', g.name, g.uuid), describe('node group', target.name, target.uuid)];
      for (const key of DROPPED_ON_MERGE) {
        if (!jsonEqual(g[key] ?? null, target[key] ?? null)) {
          f.warn('W_GROUP_PARAMS_DROPPED', `node group ${g.name} of ${clusterName} is merged into the target's: its ${key} ${JSON.stringify(g[key] ?? null)} is dropped (target has ${JSON.stringify(target[key] ?? null)})`,
            source, objects);
        }
      }
      const targetNets = objectOrEmpty(target.networks);
      const entries: [string, Json][] = [];
      for (const [net, params] of Object.entries(networks)) {
        if (!Object.hasOwn(targetNets, net)) entries.push([net, params]);
        else if (!jsonEqual(targetNets[net], params)) {
          f.strictOr(strict, 'E_GROUP_NETWORK_CONFLICT', 'W_GROUP_PARAMS_DROPPED',
            `node group ${g.name}: network ${net} is connected with ${JSON.stringify(params)} in ${clusterName} but ${JSON.stringify(targetNets[net])} in the target${strict ? '' : ' (target kept)'}`,
            source, objects);
        }
      }
      if (entries.length > 0) plan.connect.push({ target, entries });
    }
  }
  if (conflicts.length > 0) {
    f.error('E_GROUP_NAME_CONFLICT', `node group(s) present in both clusters and no --groups strategy: ${conflicts.join(', ')}`,
      source, conflicts.map((n) => `node group ${n}`));
  }
  return plan;
}

/** The group's network connections keyed by merged network uuids (E_DANGLING_REF if unmapped). */
function remapGroupNetworks(g: NodeGroup, networkMap: Map<string, string>, clusterName: string, source: string,
  f: Findings): JsonObject {
  const out: JsonObject = {};
  if (!isJsonObject(g.networks)) return out;
  for (const [net, params] of Object.entries(g.networks)) {
    const mapped = networkMap.get(net);
    if (mapped === undefined) {
      f.error('E_DANGLING_REF', `node group ${g.name} of ${clusterName} is connected to unknown network ${net}`, source,
        [`nodegroups.${g.uuid}.networks.${net}`]);
    } else {
      out[mapped] = params;
    }
  }
  return out;
}

export function applyGroups({ merged, index, source, now, f: { report } }: StepContext, plan: GroupPlan): void {
  for (const { group, name, networks } of plan.add) {
    if (name !== group.name) {
      report.renamedGroups.push({ source, uuid: group.uuid, from: group.name, to: name });
      group.name = name;
    }
    if ('networks' in group) group.networks = networks;
    group.serial_no = 1;
    group.ctime = now;
    group.mtime = now;
    merged.nodegroups[group.uuid] = group;
    index.addGroup(group);
  }
  for (const [incomingUuid, mergedUuid] of plan.map) {
    if (incomingUuid !== mergedUuid) {
      const intoName = merged.nodegroups[mergedUuid].name;
      report.absorbedGroups.push({ source, uuid: incomingUuid, name: intoName, into: mergedUuid, intoName });
    }
  }
  for (const { target, entries } of plan.connect) {
    const nets = isJsonObject(target.networks) ? target.networks : (target.networks = {});
    for (const [net, params] of entries) nets[net] = params;
    target.serial_no = (typeof target.serial_no === 'number' ? target.serial_no : 0) + 1;
    target.mtime = now;
  }
}
