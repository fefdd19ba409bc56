/** Cross-reference invariants (spec 2.10): I-17, I-17a, I-18. */
import { type VerifyContext, describeObject, has, isObject, list, obj, str } from './context';
import { type DiskTreePath, diskPathSuffix, isDrbd, readDrbdLogicalId, walkDisk } from '../model/disk-walk';
import type { Json, JsonObject } from '../types';

const DISK_MODES = new Set(['rw', 'ro']);

/** DRBD levels of a disk tree that do not include the instance's primary node (I-17a). */
function checkDrbdPrimary(ctx: VerifyContext, disk: JsonObject, primary: string, diskWho: () => string, who: () => string): void {
  if (!isDrbd(disk) && !Array.isArray(disk.children)) return;
  walkDisk(disk, (d, path) => {
    const lid = isDrbd(d) ? readDrbdLogicalId(d) : undefined;
    if (lid && lid.nodeA !== primary && lid.nodeB !== primary) {
      ctx.fail('I-17a', `DRBD ${diskWho()}${diskPathSuffix(path)} of ${who()} does not include its primary node ${primary}`, [diskWho(), who()]);
    }
  });
}

export function checkInstanceRefs(ctx: VerifyContext): void {
  const c = ctx.config as JsonObject;
  const nodes = obj(c.nodes);
  const disks = obj(c.disks);
  const networks = obj(c.networks);
  const hypervisors = new Set(list(ctx.cluster.enabled_hypervisors));
  // disk uuid -> owning instance; descriptions are built only for findings.
  const diskOwner = new Map<string, () => string>();
  for (let at = 0, all = ctx.entries('instances'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const inst = all.values[at];
    const who = (): string => describeObject('instance', inst, uuid);
    const primary = str(inst.primary_node);
    if (primary !== undefined && !has(nodes, primary)) {
      ctx.fail('I-17', `${who()} has primary_node ${primary}, which is not a key of nodes`, [who()]);
    }
    if (!hypervisors.has(inst.hypervisor ?? null)) {
      ctx.fail('I-17a', `${who()} uses hypervisor ${JSON.stringify(inst.hypervisor ?? null)}, which is not in cluster.enabled_hypervisors`, [who()]);
    }
    const diskUuids = list(inst.disks);
    for (let index = 0; index < diskUuids.length; index++) {
      const diskUuid = diskUuids[index];
      if (typeof diskUuid !== 'string') continue;
      if (!has(disks, diskUuid) || !isObject(disks[diskUuid])) {
        ctx.fail('I-17', `${who()} references disk ${diskUuid}, which is not a key of disks`, [who()]);
        continue;
      }
      const disk = disks[diskUuid] as JsonObject;
      const diskWho = (): string => describeObject('disk', disk, diskUuid);
      const earlier = diskOwner.get(diskUuid);
      if (earlier !== undefined) ctx.fail('I-17a', `${diskWho()} is used by ${earlier()} and by ${who()}`, [earlier(), who()]);
      else diskOwner.set(diskUuid, who);
      if (disk.iv_name !== `disk/${index}`) {
        ctx.fail('I-17', `${diskWho()} is disk ${index} of ${who()} but has iv_name ${JSON.stringify(disk.iv_name ?? null)}`, [diskWho(), who()]);
      }
      if (primary !== undefined) checkDrbdPrimary(ctx, disk, primary, diskWho, who);
    }
    const nics = list(inst.nics);
    for (let index = 0; index < nics.length; index++) {
      const nic = nics[index];
      if (!isObject(nic)) continue;
      const net = nic.network;
      if (net !== undefined && net !== null && net !== '' && (typeof net !== 'string' || !has(networks, net))) {
        ctx.fail('I-17a', `NIC ${index} of ${who()} is on network ${JSON.stringify(net)}, which is not a key of networks`, [who()]);
      }
    }
  }
}

/** I-17a: every node a disk level lists exists. */
function checkDiskNodes(ctx: VerifyContext, nodes: JsonObject, d: JsonObject, top: JsonObject, uuid: string, path: DiskTreePath): void {
  const listed = list(d.nodes);
  for (let i = 0; i < listed.length; i++) {
    const n = listed[i];
    if (typeof n !== 'string' || !has(nodes, n)) {
      const who = describeObject('disk', top, uuid);
      ctx.fail('I-17a', `${who}${diskPathSuffix(path)} lists node ${JSON.stringify(n)} in "nodes", which is not a key of nodes`, [who]);
    }
  }
}

const TOP_LEVEL: DiskTreePath = [];

export function checkDiskRefs(ctx: VerifyContext): void {
  const c = ctx.config as JsonObject;
  const nodes = obj(c.nodes);
  const templates = new Set(list(ctx.cluster.enabled_disk_templates));
  for (let at = 0, all = ctx.entries('disks'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const disk = all.values[at];
    if (!DISK_MODES.has(str(disk.mode) ?? '')) {
      const who = describeObject('disk', disk, uuid);
      ctx.fail('I-17', `${who} has mode ${JSON.stringify(disk.mode ?? null)}; expected rw or ro`, [who]);
    }
    if (typeof disk.dev_type === 'string' && !templates.has(disk.dev_type)) {
      const who = describeObject('disk', disk, uuid);
      ctx.fail('I-17a', `${who} has dev_type ${disk.dev_type}, which is not in cluster.enabled_disk_templates`, [who]);
    }
    if (Array.isArray(disk.children)) walkDisk(disk, (d, path) => checkDiskNodes(ctx, nodes, d, disk, uuid, path));
    else checkDiskNodes(ctx, nodes, disk, disk, uuid, TOP_LEVEL);
  }
}

export function checkNodeAndGroupRefs(ctx: VerifyContext): void {
  const c = ctx.config as JsonObject;
  const groups = obj(c.nodegroups);
  const networks = obj(c.networks);
  const nodes = obj(c.nodes);
  for (let at = 0, all = ctx.entries('nodes'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const node = all.values[at];
    const group = str(node.group);
    if (group !== undefined && !has(groups, group)) {
      const who = describeObject('node', node, uuid);
      ctx.fail('I-18', `${who} is in group ${group}, which is not a key of nodegroups`, [who]);
    }
  }
  for (let at = 0, all = ctx.entries('nodegroups'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const group = all.values[at];
    for (const net of Object.keys(obj(group.networks as Json))) {
      if (!has(networks, net)) {
        const who = describeObject('nodegroup', group, uuid);
        ctx.fail('I-17a', `${who} is connected to network ${net}, which is not a key of networks`, [who]);
      }
    }
  }
  for (const node of Object.keys(obj(ctx.cluster.candidate_certs))) {
    if (!has(nodes, node)) ctx.fail('I-17a', `cluster.candidate_certs has an entry for ${node}, which is not a key of nodes`);
  }
}
