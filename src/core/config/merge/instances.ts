/**
 * Step D copying (spec 3.6.5): incoming disks (attached and detached) and instances enter the
 * merged config under their own uuids; NIC networks are remapped and regenerated MACs applied.
 */
import type { MacChange } from './collisions';
import type { StepContext } from './step-context';

/**
 * `updateIndex` is false for the last input: nothing is checked against the index afterwards.
 * `diskUuids`: the incoming disk uuids in byString order (the order they enter the merged map and file).
 */
export function applyDisksAndInstances(ctx: StepContext, diskUuids: readonly string[], networkMap: Map<string, string>,
  macs: MacChange[], updateIndex: boolean): void {
  const { merged, incoming, instances, source, now, f: { report } } = ctx;
  const index = updateIndex ? ctx.index : null;
  const clusterName = String(incoming.cluster.cluster_name);
  for (const uuid of diskUuids) {
    const disk = incoming.disks[uuid];
    merged.disks[uuid] = disk;
    index?.addDisk(disk, clusterName);
  }
  for (const { instance, nic, to } of macs) {
    report.regeneratedMacs.push({ source, instance: instance.name, nic: String(nic.uuid), from: nic.mac, to });
    nic.mac = to;
  }
  for (const inst of instances) {
    for (const nic of inst.nics) {
      if (typeof nic.network === 'string' && nic.network !== '') nic.network = networkMap.get(nic.network) ?? nic.network;
    }
    inst.serial_no = 1;
    inst.ctime = now;
    inst.mtime = now;
    merged.instances[inst.uuid] = inst;
    index?.addInstance(inst);
  }
}
