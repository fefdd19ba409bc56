/**
 * What the result check needs to know about the inputs, taken before anything is changed:
 * counts and uuids (I-32), the target's serials and cluster (I-6, I-11), and order-sensitive
 * digests of every incoming instance, NIC and disk without the fields the merge owns (I-33).
 * Digests instead of copies keep the check cheap in memory, and make it work when the merge
 * consumes its inputs instead of cloning them.
 */
import { FORBIDDEN_KEYS } from './fields';
import type { MergeInput } from './merge-inputs';
import { cloneJson } from './merge-json';
import type { Cluster, GanetiConfig, Json, JsonObject } from './types';

export const COUNTED = ['nodes', 'instances', 'disks', 'nodegroups', 'networks', 'filters'] as const;
export type CountedKind = (typeof COUNTED)[number];

export interface NicRecord { digest: number; mac: Json | undefined; network: Json | undefined }

export interface InputSnapshot {
  version: number;
  serial: number;
  clusterSerial: number;
  cluster: Cluster;
  /** per input (target first): uuids of each counted map */
  uuids: { [K in CountedKind]: string[] }[];
  instances: Map<string, { name: string; digest: number; nics: NicRecord[] }>;
  disks: Map<string, number>;
}

const INSTANCE_OWNED = ['serial_no', 'ctime', 'mtime', 'network_port', 'nics'];
const NIC_OWNED = ['mac', 'network'];
const DISK_OWNED = ['serial_no', 'mtime'];
/** I-11: the only cluster fields a merge may change (3.3, 3.6, 3.9). */
const CLUSTER_OWNED = ['reserved_lvs', 'prealloc_wipe_disks', 'osparams', 'osparams_private_cluster', 'os_hvp',
  'enabled_disk_templates', 'tcpudp_port_pool', 'highest_used_port', 'serial_no', 'mtime'];

/** Keys a digest skips; runtime-only keys too when the merge leaves them out. */
export interface OwnedKeys { instance: Set<string>; nic: Set<string>; disk: Set<string>; cluster: Set<string> }

export function ownedKeys(stripsForbidden: boolean): OwnedKeys {
  const add = (base: string[], extra: readonly string[]) => new Set(stripsForbidden ? [...base, ...extra] : base);
  return {
    instance: add(INSTANCE_OWNED, FORBIDDEN_KEYS.instance), nic: add(NIC_OWNED, FORBIDDEN_KEYS.nic),
    disk: add(DISK_OWNED, FORBIDDEN_KEYS.disk), cluster: add(CLUSTER_OWNED, FORBIDDEN_KEYS.cluster),
  };
}

/** FNV-1a style 32-bit hash over a JSON value in key order; `skip` applies to this object's own keys. */
function hashValue(v: Json | undefined, h: number): number {
  if (v === null || v === undefined) return Math.imul(h ^ 0x6e, 16777619);
  switch (typeof v) {
    case 'string': return hashString(v, Math.imul(h ^ 0x73, 16777619));
    case 'number': return hashString(String(v), Math.imul(h ^ 0x6d, 16777619));
    case 'boolean': return Math.imul(h ^ (v ? 0x74 : 0x66), 16777619);
    default: break;
  }
  if (Array.isArray(v)) {
    h = Math.imul(h ^ 0x5b, 16777619);
    for (const x of v) h = hashValue(x, h);
    return Math.imul(h ^ 0x5d, 16777619);
  }
  return hashObject(v, h, undefined);
}

function hashString(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return Math.imul(h ^ 0x22, 16777619);
}

function hashObject(o: JsonObject, h: number, skip: Set<string> | undefined): number {
  h = Math.imul(h ^ 0x7b, 16777619);
  for (const k in o) {
    if (skip?.has(k)) continue;
    h = hashValue(o[k], hashString(k, h));
  }
  return Math.imul(h ^ 0x7d, 16777619);
}

const SEED = 2166136261;

export function digestObject(o: JsonObject, skip: Set<string>): number {
  return hashObject(o, SEED, skip) >>> 0;
}

/** A disk tree without serial_no/mtime at every level and without the DRBD port (logical_id[2]). */
export function digestDisk(disk: JsonObject, skip: Set<string>): number {
  const walk = (d: JsonObject, h: number): number => {
    h = Math.imul(h ^ 0x7b, 16777619);
    for (const k in d) {
      if (skip.has(k)) continue;
      h = hashString(k, h);
      const v = d[k];
      if (k === 'logical_id' && d.dev_type === 'drbd' && Array.isArray(v)) {
        v.forEach((x, i) => { if (i !== 2) h = hashValue(x, h); });
      } else if (k === 'children' && Array.isArray(v)) {
        for (const c of v) h = typeof c === 'object' && c !== null && !Array.isArray(c) ? walk(c, h) : hashValue(c, h);
      } else {
        h = hashValue(v, h);
      }
    }
    return Math.imul(h ^ 0x7d, 16777619);
  };
  return walk(disk, SEED) >>> 0;
}

export function digestNic(nic: JsonObject, skip: Set<string>): number {
  return digestObject(nic, skip);
}

export function snapshotInputs(target: MergeInput, incoming: MergeInput[], owned: OwnedKeys): InputSnapshot {
  const t = target.config;
  const uuidsOf = (c: GanetiConfig) => Object.fromEntries(COUNTED.map((k) => [k, Object.keys(c[k])])) as InputSnapshot['uuids'][number];
  const snap: InputSnapshot = {
    version: t.version,
    serial: t.serial_no,
    clusterSerial: Number(t.cluster.serial_no),
    cluster: cloneJson(t.cluster),
    uuids: [t, ...incoming.map((i) => i.config)].map(uuidsOf),
    instances: new Map(),
    disks: new Map(),
  };
  for (const { config } of incoming) {
    for (const [uuid, inst] of Object.entries(config.instances)) {
      const nics = (Array.isArray(inst.nics) ? inst.nics : []).map((nic) => ({ digest: digestNic(nic, owned.nic), mac: nic.mac, network: nic.network }));
      snap.instances.set(uuid, { name: inst.name, digest: digestObject(inst, owned.instance), nics });
    }
    for (const [uuid, disk] of Object.entries(config.disks)) snap.disks.set(uuid, digestDisk(disk, owned.disk));
  }
  return snap;
}
