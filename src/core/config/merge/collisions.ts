/**
 * Step B (spec 3.4): collisions of one incoming cluster with the merged-so-far config, all
 * detected before anything is changed — uuids, names, host IPs, MACs, NIC IPs, shared
 * storage — plus the preconditions on instance state. Returns the MACs to regenerate.
 */
import type { GroupPlan } from './groups';
import { describeOwner } from './merged-index';
import { generateMac } from './macs';
import type { NetworkPlan } from './networks';
import { describe } from './report';
import { byString } from '../json/values';
import { normalizeIp } from '../model/ipaddr';
import { externalStorageKey, firstLabel, forEachDiskLevel } from './walk';
import { clusterNicDefaults, nicIpKey } from '../model/nic-key';
import { lowerCase } from '../verify/context';
import type { Instance, JsonObject, Nic } from '../types';
import type { StepContext } from './step-context';

export interface MacChange { instance: Instance; nic: Nic; to: string }

export interface CollisionContext extends StepContext {
  networks: NetworkPlan;
  groups: GroupPlan;
}

export function checkCollisions(ctx: CollisionContext): MacChange[] {
  checkUuids(ctx);
  checkNames(ctx);
  checkHostIps(ctx);
  const macs = checkMacs(ctx);
  checkNicIps(ctx);
  checkStorage(ctx);
  checkStates(ctx);
  return macs;
}

/** B.1: the global uuid namespace (absorbed groups/networks do not enter it). */
function checkUuids({ index, incoming, groups, networks, options, source, f }: CollisionContext): void {
  const clusterName = String(incoming.cluster.cluster_name);
  const check = (uuid: unknown, kind: string, name?: unknown) => {
    if (typeof uuid !== 'string') return;
    const owner = index.uuidOwner(uuid);
    if (owner === undefined) return;
    const what = typeof name === 'string' ? `${kind} ${name}` : kind;
    f.error('E_UUID_COLLISION', `${what} uuid ${uuid} from ${clusterName} already used by ${owner} in target`, source, [what, owner]);
  };
  for (const g of Object.values(incoming.nodegroups)) if (groups.map.get(g.uuid) === g.uuid) check(g.uuid, 'node group', g.name);
  for (const n of Object.values(incoming.networks)) if (networks.map.get(n.uuid) === n.uuid) check(n.uuid, 'network', n.name);
  for (const n of Object.values(incoming.nodes)) check(n.uuid, 'node', n.name);
  for (const i of Object.values(incoming.instances)) {
    check(i.uuid, 'instance', i.name);
    for (let k = 0; k < i.nics.length; k++) check(i.nics[k].uuid, 'NIC of instance', i.name);
  }
  const checkDisk = (x: JsonObject) => check(x.uuid, 'disk');
  for (const d of Object.values(incoming.disks)) {
    if (Array.isArray(d.children)) forEachDiskLevel(d, checkDisk);
    else checkDisk(d);
  }
  if (options.filters === 'copy') for (const fl of Object.keys(incoming.filters)) check(fl, 'filter');
}

/** B.2/B.3: node and instance names (case-insensitive), plus ambiguous short names. */
function checkNames({ index, incoming, instances, source, f }: CollisionContext): void {
  const clusterName = String(incoming.cluster.cluster_name);
  /** `sorted`: in name order. */
  const run = (kind: 'node' | 'instance', sorted: { name: string; uuid: string }[], names: Map<string, JsonObject>,
    shorts: Map<string, string>) => {
    const ambiguous: string[] = [];
    for (const o of sorted) {
      const holder = names.get(lowerCase(o.name));
      if (holder !== undefined) {
        const owner = describeOwner({ kind, obj: holder });
        f.error(kind === 'node' ? 'E_NODE_NAME_COLLISION' : 'E_INSTANCE_NAME_COLLISION',
          `${kind} name ${o.name} of ${clusterName} is already used by ${owner} in target`, source, [describe(kind, o.name, o.uuid), owner]);
        continue;
      }
      const other = shorts.get(firstLabel(o.name));
      if (other !== undefined && other.toLowerCase() !== o.name.toLowerCase()) ambiguous.push(`${o.name} ~ ${other}`);
    }
    if (ambiguous.length > 0) {
      f.warn('W_SHORT_NAME_AMBIGUOUS', `${ambiguous.length} ${kind} name(s) of ${clusterName} share their short name with a target ${kind}, e.g. ${ambiguous.slice(0, 3).join(', ')}`,
        source, ambiguous);
    }
  };
  run('node', Object.values(incoming.nodes).sort((a, b) => byString(a.name, b.name)), index.nodeNames, index.nodeShortNames);
  // The context's instances are in name order already: no second sort of ten thousand names.
  run('instance', instances, index.instanceNames, index.instanceShortNames);
}

/** B.4: node primary and secondary IPs against the merged host IPs (incl. the target master IP). */
function checkHostIps({ index, incoming, source, f }: CollisionContext): void {
  const clusterName = String(incoming.cluster.cluster_name);
  for (const n of Object.values(incoming.nodes)) {
    const ips = [n.primary_ip];
    if (n.secondary_ip && n.secondary_ip !== n.primary_ip) ips.push(n.secondary_ip);
    for (const ip of ips) {
      const holder = index.hostIps.get(normalizeIp(ip));
      if (holder !== undefined) {
        const owner = describeOwner(holder);
        f.error('E_IP_COLLISION', `IP ${ip} of node ${n.name} of ${clusterName} is already used by ${owner} in target`, source,
          [describe('node', n.name, n.uuid), owner]);
      }
    }
  }
}

/** B.5: MACs; colliding ones are an error unless regenerateMacs picks new ones. */
function checkMacs({ merged, index, incoming, instances, networks, options, random, source, f }: CollisionContext): MacChange[] {
  const clusterName = String(incoming.cluster.cluster_name);
  // The incoming MACs matter only to pick a new one; collected on the first regeneration.
  let incomingMacs: Set<string> | undefined;
  const incomingMac = (mac: string): boolean => {
    if (incomingMacs === undefined) {
      incomingMacs = new Set<string>();
      for (const i of Object.values(incoming.instances)) {
        for (let k = 0; k < i.nics.length; k++) {
          const m = i.nics[k].mac;
          if (typeof m === 'string') incomingMacs.add(lowerCase(m));
        }
      }
    }
    return incomingMacs.has(mac);
  };
  const generated = new Set<string>();
  const taken = (mac: string) => index.macs.has(mac) || incomingMac(mac) || generated.has(mac);
  const changes: MacChange[] = [];
  for (const inst of instances) {
    for (const nic of inst.nics) {
      if (typeof nic.mac !== 'string') continue;
      const holder = index.macs.get(lowerCase(nic.mac));
      if (holder === undefined) continue;
      const owner = describeOwner({ kind: 'instance', obj: holder });
      const who = describe('instance', inst.name, inst.uuid);
      if (!options.regenerateMacs) {
        f.error('E_MAC_COLLISION', `MAC ${nic.mac} of instance ${inst.name} of ${clusterName} is already used by ${owner} in target`, source, [who, owner]);
        continue;
      }
      const net = typeof nic.network === 'string' ? merged.networks[networks.map.get(nic.network) ?? ''] : undefined;
      const prefix = typeof net?.mac_prefix === 'string' && net.mac_prefix !== '' ? net.mac_prefix : String(merged.cluster.mac_prefix);
      const mac = generateMac(prefix, random, taken);
      if (mac === null) {
        f.error('E_MAC_COLLISION', `no free MAC with prefix ${prefix} for instance ${inst.name} of ${clusterName}`, source, [who]);
        continue;
      }
      generated.add(mac);
      changes.push({ instance: inst, nic, to: mac });
      f.warn('W_MAC_REGENERATED', `instance ${inst.name} of ${clusterName}: MAC ${nic.mac} collides with ${owner}; it becomes ${mac} (the guest will see new hardware)`,
        source, [who]);
    }
  }
  return changes;
}

/** B.6: NIC IP keys, nicparams filled from the target default, networks mapped. */
function checkNicIps({ merged, index, incoming, instances, networks, source, f }: CollisionContext): void {
  const clusterName = String(incoming.cluster.cluster_name);
  const defaults = clusterNicDefaults(merged.cluster);
  const own = new Map<string, Instance>();
  for (const inst of instances) {
    for (let k = 0; k < inst.nics.length; k++) {
      const nic = inst.nics[k];
      let net: string | undefined;
      if (typeof nic.network === 'string' && nic.network !== '') {
        const mapped = networks.map.get(nic.network);
        if (mapped === undefined) {
          f.error('E_DANGLING_REF', `NIC ${k} of instance ${inst.name} of ${clusterName} is on unknown network ${nic.network}`, source, [describe('instance', inst.name, inst.uuid)]);
          continue;
        }
        net = mapped;
      }
      const key = nicIpKey(nic, defaults, net);
      if (key === undefined) continue;
      const holder = index.nicIps.get(key) ?? own.get(key);
      if (holder !== undefined) {
        const owner = describeOwner({ kind: 'instance', obj: holder });
        f.error('E_NIC_IP_COLLISION', `NIC IP ${String(nic.ip)} (${key}) of instance ${inst.name} of ${clusterName} is already used by ${owner}`, source, [describe('instance', inst.name, inst.uuid), owner]);
      }
      own.set(key, inst);
    }
  }
}

/** B.9: volumes on storage the clusters may share. */
function checkStorage({ index, incoming, source, f }: CollisionContext): void {
  const clusterName = String(incoming.cluster.cluster_name);
  for (const d of Object.values(incoming.disks)) {
    forEachDiskLevel(d, (x: JsonObject) => {
      const key = externalStorageKey(x);
      const owner = key === null ? undefined : index.storage.get(key);
      if (owner !== undefined && owner.cluster !== clusterName) {
        const other = describe('disk', undefined, owner.disk.uuid);
        f.error('E_STORAGE_COLLISION', `disk ${d.uuid} of ${clusterName} uses ${String(x.dev_type)} volume ${JSON.stringify(x.logical_id)} already used by ${other} of ${owner.cluster}`,
          source, [describe('disk', undefined, d.uuid), other]);
      }
    });
  }
}

/** B.10/B.11/B.13: running instances, unfinished (forthcoming) objects, filters under "error". */
function checkStates({ incoming, instances, options, source, f }: CollisionContext): void {
  const clusterName = String(incoming.cluster.cluster_name);
  for (const i of instances) {
    const who = () => [describe('instance', i.name, i.uuid)];
    if (!options.allowInstancesUp && (i.admin_state === 'up' || i.disks_active === true)) {
      f.error('E_INSTANCE_ACTIVE', `instance ${i.name} of ${clusterName} is active (admin_state ${String(i.admin_state)}, disks_active ${String(i.disks_active)}); stop it first or use --allow-instances-up`,
        source, who());
    }
    if (i.forthcoming === true) {
      f.error('E_FORTHCOMING', `instance ${i.name} of ${clusterName} is forthcoming; finish or cancel pending jobs on ${clusterName} first`, source, who());
    }
  }
  for (const d of Object.values(incoming.disks)) {
    if (d.forthcoming === true) {
      f.error('E_FORTHCOMING', `disk ${d.uuid} of ${clusterName} is forthcoming; finish or cancel pending jobs on ${clusterName} first`, source,
        [describe('disk', undefined, d.uuid)]);
    }
  }
  const filters = Object.keys(incoming.filters);
  if (options.filters === 'error' && filters.length > 0) {
    f.error('E_FILTERS_PRESENT', `${clusterName} has ${filters.length} job filter(s) and --filters error was given`, source, filters.map((u) => `filter ${u}`));
  }
}
