/**
 * A lower bound for any merge that checks what the spec requires (issue #2's ratio question):
 * only the uniqueness namespaces (uuids, node and instance names, MACs, NIC IPs, ports, LV
 * names), one Set insertion per value, on each input and on the result, and nothing else: no
 * other invariant, no reference check, no merge. Real verification does strictly more.
 * Returns the number of repeated values (0 for valid configs) so the work cannot be skipped.
 */
import type { GanetiConfig, Json, JsonObject } from '../src/core/config/types';

function addCounting<T>(set: Set<T>, value: T): number {
  const before = set.size;
  set.add(value);
  return set.size === before ? 1 : 0;
}

export function uniquenessOnly(c: GanetiConfig): number {
  const uuids = new Set<string>();
  const names = new Set<Json>();
  const macs = new Set<Json>();
  const ips = new Set<Json>();
  const ports = new Set<Json>();
  const lvs = new Set<Json>();
  let repeats = 0;
  for (const key in c.nodes) repeats += addCounting(uuids, key) + addCounting(names, c.nodes[key].name);
  for (const key in c.disks) {
    const levels: JsonObject[] = [c.disks[key]];
    repeats += addCounting(uuids, key);
    while (levels.length > 0) {
      const d = levels.pop() as JsonObject;
      const lid = d.logical_id as Json[];
      repeats += d.dev_type === 'drbd' ? addCounting(ports, lid[2]) : addCounting(lvs, lid[1]);
      for (const child of (d.children as JsonObject[] | undefined) ?? []) {
        repeats += addCounting(uuids, child.uuid as string);
        levels.push(child);
      }
    }
  }
  for (const key in c.instances) {
    const inst = c.instances[key];
    repeats += addCounting(uuids, key) + addCounting(names, inst.name);
    if (inst.network_port !== undefined) repeats += addCounting(ports, inst.network_port);
    for (const nic of inst.nics) {
      repeats += addCounting(uuids, nic.uuid as string) + addCounting(macs, nic.mac);
      if (nic.ip) repeats += addCounting(ips, nic.ip);
    }
  }
  return repeats;
}
