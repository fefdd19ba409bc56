/** Small keys over disks and names used by several merge steps (namespaces U2/U3/U12 of spec 2.9). */
import { drbdLevels } from './disk-walk';
import type { Disk, JsonObject } from './types';

/** Number of DRBD levels in a disk tree: each needs its own port. */
export function countDrbdLevels(disk: Disk): number {
  return drbdLevels(disk).length;
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
  return (dot < 0 ? fqdn : fqdn.slice(0, dot)).toLowerCase();
}
