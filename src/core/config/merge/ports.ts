/**
 * Step D ports (spec 3.6): Ganeti's TCP/UDP port allocator over the target's pool and
 * highest_used_port, the capacity pre-check, and the deterministic renumbering of every
 * incoming DRBD port and console port.
 */
import { readDrbdLogicalId } from '../model/disk-walk';
import { countDrbdLevels, forEachDiskLevel } from './walk';
import type { Cluster, Disk, GanetiConfig, Instance, JsonObject } from '../types';
import type { StepContext } from './step-context';

export const FIRST_DRBD_PORT = 11000;
export const LAST_DRBD_PORT = 14999;

/** Pool first (head of the stored list), then highest_used_port + 1 up to LAST_DRBD_PORT. */
export class PortAllocator {
  private head = 0;
  /** Ports this allocator created above highest_used_port (I-14 bounds these). */
  readonly fresh: number[] = [];

  constructor(private readonly pool: number[], private hup: number) {}

  static forCluster(cluster: Cluster): PortAllocator {
    const pool = Array.isArray(cluster.tcpudp_port_pool) ? cluster.tcpudp_port_pool.slice() : [];
    const hup = typeof cluster.highest_used_port === 'number' ? cluster.highest_used_port : FIRST_DRBD_PORT - 1;
    return new PortAllocator(pool, hup);
  }

  get available(): number {
    return this.pool.length - this.head + Math.max(0, LAST_DRBD_PORT - this.hup);
  }

  /** Callers run the capacity pre-check first, so exhaustion here is a merger bug. */
  allocate(): number {
    if (this.head < this.pool.length) return this.pool[this.head++];
    if (this.hup >= LAST_DRBD_PORT) throw new Error('port space exhausted after the capacity pre-check passed');
    this.hup += 1;
    this.fresh.push(this.hup);
    return this.hup;
  }

  /** Writes the remaining pool (same order) and highest_used_port back. */
  writeBack(cluster: Cluster): void {
    cluster.tcpudp_port_pool = this.pool.slice(this.head);
    cluster.highest_used_port = this.hup;
  }
}

/** DRBD levels of all incoming disks + console ports of all incoming instances. */
export function portsNeeded(incoming: GanetiConfig): number {
  let n = 0;
  for (const d of Object.values(incoming.disks)) n += countDrbdLevels(d);
  for (const i of Object.values(incoming.instances)) if (typeof i.network_port === 'number') n++;
  return n;
}

/** B.12 / 3.6.2. */
export function checkPortCapacity({ incoming, ports, source, f }: StepContext): void {
  const needed = portsNeeded(incoming);
  if (needed > ports.available) {
    f.error('E_PORT_SPACE_EXHAUSTED', `need ${needed} ports for ${String(incoming.cluster.cluster_name)}, only ${ports.available} free in ${FIRST_DRBD_PORT}-${LAST_DRBD_PORT}`,
      source, ['cluster.tcpudp_port_pool', 'cluster.highest_used_port']);
  }
}

/**
 * 3.6.3: instances by name, their disks in order (each depth-first), then the console port;
 * then detached disks by uuid. Each rewritten disk level gets serial_no + 1 and mtime = T.
 * `diskUuids`: the incoming disk uuids in byString order.
 */
export function reallocatePorts({ incoming, instances, ports, source, now, f: { report } }: StepContext, diskUuids: readonly string[]): void {
  const attached = new Set<string>();
  const renumber = (disk: Disk, instance: Instance | null) => {
    forEachDiskLevel(disk, (d: JsonObject) => {
      if (readDrbdLogicalId(d) === undefined) return;
      const lid = d.logical_id as number[];
      const from = lid[2];
      const to = ports.allocate();
      lid[2] = to;
      if (typeof d.serial_no === 'number') d.serial_no += 1;
      if (d === disk || 'mtime' in d) d.mtime = now;
      report.reallocatedDiskPorts.push({ source, disk: String(d.uuid ?? disk.uuid), instance: instance?.name ?? null, from, to });
    });
  };
  for (const inst of instances) {
    for (const uuid of inst.disks) {
      attached.add(uuid);
      const disk = incoming.disks[uuid];
      if (disk) renumber(disk, inst);
    }
    if (typeof inst.network_port === 'number') {
      const from = inst.network_port;
      inst.network_port = ports.allocate();
      report.reallocatedConsolePorts.push({ source, instance: inst.name, from, to: inst.network_port });
    }
  }
  for (const uuid of diskUuids) {
    if (!attached.has(uuid)) renumber(incoming.disks[uuid], null);
  }
}
