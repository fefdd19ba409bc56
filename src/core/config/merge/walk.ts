/** Small keys over disks and names used by several merge steps (namespaces U2/U3/U12 of spec 2.9). */
import { isDrbd } from '../model/disk-walk';
import { lowerCase } from '../verify/context';
import type { Disk, GanetiConfig, Instance, JsonObject } from '../types';

/** Number of DRBD levels in a disk tree: each needs its own port. Counted without a list or closure. */
export function countDrbdLevels(disk: Disk | JsonObject): number {
  let n = isDrbd(disk) ? 1 : 0;
  const children = disk.children;
  if (!Array.isArray(children)) return n;
  for (const child of children) {
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) n += countDrbdLevels(child);
  }
  return n;
}

const EXTERNAL_TYPES = new Set(['rbd', 'ext', 'sharedfile', 'gluster', 'blockdev']);

/** U12 identity of a disk on storage two clusters may share, or null for local storage. */
export function externalStorageKey(d: JsonObject): string | null {
  if (typeof d.dev_type !== 'string' || !EXTERNAL_TYPES.has(d.dev_type)) return null;
  return `${d.dev_type}:${JSON.stringify(d.logical_id ?? null)}`;
}

/** The first DNS label, lower-cased: what Ganeti accepts as a short name. */
export function firstLabel(fqdn: string): string {
  const dot = fqdn.indexOf('.');
  return lowerCase(dot < 0 ? fqdn : fqdn.slice(0, dot));
}

/**
 * Visits a disk, then its children depth-first (spec 3.6.3 order). Same order as disk-walk's
 * walkDisk, without building tree paths: the merge calls this for every disk of every input.
 */
export function forEachDiskLevel(disk: JsonObject, visit: (d: JsonObject) => void): void {
  visit(disk);
  const children = disk.children;
  if (!Array.isArray(children)) return;
  for (const child of children) {
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) forEachDiskLevel(child, visit);
  }
}

/** Instances in name order: the deterministic processing order of every per-instance step. */
export function instancesByName(config: GanetiConfig): Instance[] {
  return Object.values(config.instances).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
