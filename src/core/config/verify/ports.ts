/** TCP/UDP ports and DRBD invariants: I-12, I-13 (ports), I-15 (minors), I-16 (logical_id shape). */
import { type Lazy, type VerifyContext, describeObject, entries, has, isInt, list, obj, resolve, str } from './context';
import { diskPathSuffix, isDrbd, readDrbdLogicalId, walkDisk } from '../model/disk-walk';
import type { Json, JsonObject } from '../types';

/** Ganeti's DRBD port range (constants FIRST_DRBD_PORT/LAST_DRBD_PORT). */
export const FIRST_DRBD_PORT = 11000;
export const LAST_DRBD_PORT = 14999;

export interface PortUse {
  port: number;
  owner: Lazy;
}

/** Every port of namespace U9: DRBD logical_id[2] at all levels, instance network_port, the pool. */
export function collectPortUses(c: JsonObject): PortUse[] {
  const uses: PortUse[] = [];
  for (let at = 0, all = entries(c.disks); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const disk = all.values[at];
    // Most disks are neither DRBD nor have children: no walk (and no closure) for them.
    if (!isDrbd(disk) && !Array.isArray(disk.children)) continue;
    walkDisk(disk, (d, path) => {
      if (!isDrbd(d)) return;
      const port = list(d.logical_id)[2];
      if (isInt(port)) uses.push({ port, owner: () => `DRBD ${describeObject('disk', disk, uuid)}${diskPathSuffix(path)}` });
    });
  }
  for (let at = 0, all = entries(c.instances); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const inst = all.values[at];
    if (isInt(inst.network_port)) uses.push({ port: inst.network_port, owner: () => `network_port of ${describeObject('instance', inst, uuid)}` });
  }
  for (const port of list(obj(c.cluster).tcpudp_port_pool)) {
    if (isInt(port)) uses.push({ port, owner: 'cluster.tcpudp_port_pool' });
  }
  return uses;
}

export function checkPorts(ctx: VerifyContext): void {
  const uses = collectPortUses(ctx.config);
  const firstOwner = new Map<number, Lazy>();
  let max = -Infinity;
  for (let i = 0; i < uses.length; i++) {
    const port = uses[i].port;
    const owner = uses[i].owner;
    const earlier = firstOwner.get(port);
    if (earlier === undefined) {
      firstOwner.set(port, owner);
    } else {
      const [a, b] = [resolve(earlier), resolve(owner)];
      ctx.fail('I-12', `port ${port} is used by ${a} and by ${b}`, [a, b]);
    }
    if (port > max) max = port;
  }
  const hup = ctx.cluster.highest_used_port;
  if (!isInt(hup)) {
    ctx.fail('I-13', 'cluster.highest_used_port is missing or not an integer');
  } else if (uses.length > 0 && max > hup) {
    ctx.fail('I-13', `port ${max} (${resolve(firstOwner.get(max) ?? '')}) is above cluster.highest_used_port ${hup}`);
  }
  const pool = ctx.cluster.tcpudp_port_pool;
  if (pool !== undefined && !(Array.isArray(pool) && pool.every(isInt))) ctx.fail('I-12', 'cluster.tcpudp_port_pool is not a list of integers');
}

/** I-16 for every DRBD level and I-15 (per-node minors) over all disks. */
export function checkDrbd(ctx: VerifyContext): void {
  const nodes = obj(ctx.config.nodes as Json);
  const minorOwner = new Map<string, Lazy>();
  const claimMinor = (node: string, minor: number, owner: Lazy): void => {
    const key = `${node}\u0000${minor}`;
    const earlier = minorOwner.get(key);
    if (earlier === undefined) {
      minorOwner.set(key, owner);
      return;
    }
    const nodeName = str(obj(nodes[node]).name) ?? node;
    const [a, b] = [resolve(earlier), resolve(owner)];
    ctx.fail('I-15', `DRBD minor ${minor} on node ${nodeName} (${node}) is used by ${a} and by ${b}`, [a, b]);
  };
  for (let at = 0, all = ctx.entries('disks'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const disk = all.values[at];
    walkDisk(disk, (d, path) => {
      if (!isDrbd(d)) return;
      const who = (): string => `${describeObject('disk', disk, uuid)}${diskPathSuffix(path)}`;
      const lid = readDrbdLogicalId(d);
      if (!lid) {
        const shape = Array.isArray(d.logical_id) ? `${d.logical_id.length} element(s)` : JSON.stringify(d.logical_id ?? null);
        ctx.fail('I-16', `DRBD ${who()} has a logical_id that is not [nodeA, nodeB, port, minorA, minorB, secret] (${shape})`, [who()]);
        return;
      }
      if (lid.nodeA === lid.nodeB) ctx.fail('I-16', `DRBD ${who()} names node ${lid.nodeA} on both sides`, [who()]);
      if (!has(nodes, lid.nodeA)) ctx.fail('I-16', `DRBD ${who()} names node ${lid.nodeA}, which is not a key of nodes`, [who()]);
      if (!has(nodes, lid.nodeB)) ctx.fail('I-16', `DRBD ${who()} names node ${lid.nodeB}, which is not a key of nodes`, [who()]);
      claimMinor(lid.nodeA, lid.minorA, who);
      if (lid.nodeB !== lid.nodeA) claimMinor(lid.nodeB, lid.minorB, who);
    });
  }
}
