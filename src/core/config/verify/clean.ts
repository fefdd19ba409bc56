/**
 * Clean-path predicates for the costliest verify checks. Each answers "would this check report
 * nothing?" with plain loops and Sets, without the per-object descriptions, closures and owner
 * maps the reporting code needs. A check returns early when its predicate holds, and otherwise
 * runs unchanged, so findings (text and order) are exactly those of the full check. Each
 * predicate must fail whenever its check would report something: it may be stricter, never laxer.
 */
import { clusterNicDefaults, effectiveNicParam, NIC_MODES, nicIpKey } from '../model/nic-key';
import { isDrbd, readDrbdLogicalId, walkDisk } from '../model/disk-walk';
import { type VerifyContext, has, isInt, isObject, list, obj, str } from './context';
import type { JsonObject } from '../types';

const VALID_MODES = new Set<string>(NIC_MODES);

/** "disk/<index>" for the usual indexes without building a string per disk. */
const IV_NAMES = Array.from({ length: 32 }, (_, i) => `disk/${i}`);

export function ivNameOf(index: number): string {
  return index < IV_NAMES.length ? IV_NAMES[index] : `disk/${index}`;
}

/** Whether some DRBD level of the tree leaves out `primary`. */
export function drbdMissesPrimary(disk: JsonObject, primary: string): boolean {
  if (!isDrbd(disk) && !Array.isArray(disk.children)) return false;
  let misses = false;
  walkDisk(disk, (d) => {
    const lid = isDrbd(d) ? readDrbdLogicalId(d) : undefined;
    if (lid && lid.nodeA !== primary && lid.nodeB !== primary) misses = true;
  });
  return misses;
}

/** checkInstanceRefs would report nothing. */
export function instanceRefsClean(ctx: VerifyContext): boolean {
  const c = ctx.config as JsonObject;
  const nodes = obj(c.nodes);
  const disks = obj(c.disks);
  const networks = obj(c.networks);
  const hypervisors = new Set(list(ctx.cluster.enabled_hypervisors));
  const usedDisks = new Set<string>();
  const all = ctx.entries('instances');
  for (let at = 0; at < all.values.length; at++) {
    const inst = all.values[at];
    const primary = str(inst.primary_node);
    if (primary !== undefined && !has(nodes, primary)) return false;
    if (!hypervisors.has(inst.hypervisor ?? null)) return false;
    const diskUuids = list(inst.disks);
    for (let index = 0; index < diskUuids.length; index++) {
      const diskUuid = diskUuids[index];
      if (typeof diskUuid !== 'string') continue;
      if (!has(disks, diskUuid) || !isObject(disks[diskUuid]) || usedDisks.has(diskUuid)) return false;
      usedDisks.add(diskUuid);
      const disk = disks[diskUuid] as JsonObject;
      if (disk.iv_name !== ivNameOf(index)) return false;
      if (primary !== undefined && drbdMissesPrimary(disk, primary)) return false;
    }
    const nics = list(inst.nics);
    for (let index = 0; index < nics.length; index++) {
      const nic = nics[index];
      if (!isObject(nic)) continue;
      const net = nic.network;
      if (net !== undefined && net !== null && net !== '' && (typeof net !== 'string' || !has(networks, net))) return false;
    }
  }
  return true;
}

/** checkNicIps would report nothing. */
export function nicIpsClean(ctx: VerifyContext): boolean {
  const defaults = clusterNicDefaults(ctx.cluster);
  const keys = new Set<string>();
  const all = ctx.entries('instances');
  for (let at = 0; at < all.values.length; at++) {
    const nics = list(all.values[at].nics);
    for (let index = 0; index < nics.length; index++) {
      const nic = nics[index];
      if (!isObject(nic)) continue;
      const mode = effectiveNicParam(nic, defaults, 'mode');
      if (typeof mode !== 'string' || !VALID_MODES.has(mode)) return false;
      if (mode === 'bridged') {
        const link = effectiveNicParam(nic, defaults, 'link');
        if (typeof link !== 'string' || link === '') return false;
      }
      const key = nicIpKey(nic, defaults);
      if (key === undefined) continue;
      if (keys.has(key)) return false;
      keys.add(key);
    }
  }
  return true;
}

/** checkPorts would report nothing: no port twice, none above highest_used_port, a valid pool. */
export function portsClean(ctx: VerifyContext): boolean {
  const hup = ctx.cluster.highest_used_port;
  if (!isInt(hup)) return false;
  const pool = ctx.cluster.tcpudp_port_pool;
  if (pool !== undefined && !(Array.isArray(pool) && pool.every(isInt))) return false;
  const seen = new Set<number>();
  let clean = true;
  const use = (port: unknown): void => {
    if (!isInt(port)) return;
    if (seen.has(port) || port > hup) clean = false;
    seen.add(port);
  };
  const visitLevel = (d: JsonObject): void => {
    if (isDrbd(d)) use(list(d.logical_id)[2]);
  };
  const disks = ctx.entries('disks');
  for (let at = 0; at < disks.values.length && clean; at++) walkDisk(disks.values[at], visitLevel);
  const instances = ctx.entries('instances');
  for (let at = 0; at < instances.values.length && clean; at++) use(instances.values[at].network_port);
  const poolPorts = list(pool);
  for (let i = 0; i < poolPorts.length && clean; i++) use(poolPorts[i]);
  return clean;
}
