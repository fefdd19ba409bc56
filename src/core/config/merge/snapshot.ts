/**
 * What the result check needs to know about the inputs, taken before anything is changed:
 * counts and uuids (I-32), the target's serials and cluster (I-6, I-11), and exact trails
 * (json-trail.ts) of every incoming instance, NIC and disk without the fields the merge owns
 * (I-33). Trails instead of copies keep the check cheap in memory and time, and make it work
 * when the merge consumes its inputs instead of cloning them.
 */
import { FORBIDDEN_KEYS } from '../model/fields';
import type { MergeInput } from './inputs';
import { cloneJson } from '../json/values';
import { match, record, Trail, type TrailRules } from '../json/trail';
import type { Cluster, GanetiConfig, Json, JsonObject } from '../types';

export const COUNTED = ['nodes', 'instances', 'disks', 'nodegroups', 'networks', 'filters'] as const;
export type CountedKind = (typeof COUNTED)[number];

/** `at`: where the object's record starts in the snapshot's trail. */
export interface NicRecord { at: number; mac: Json | undefined; network: Json | undefined }

/** pinDefaults only: copies of the parameter maps pins may extend (I-33 compares them separately). */
export interface ParamsRecord { beparams: Json | undefined; hvparams: Json | undefined; nicparams: (Json | undefined)[] }

export interface InputSnapshot {
  version: number;
  serial: number;
  clusterSerial: number;
  cluster: Cluster;
  /** per input (target first): uuids of each counted map */
  uuids: { [K in CountedKind]: string[] }[];
  instances: Map<string, { name: string; at: number; nics: NicRecord[]; params?: ParamsRecord }>;
  /** disk uuid -> start of its record */
  disks: Map<string, number>;
  /** the records of every incoming instance, NIC and disk */
  trail: Trail;
}

const INSTANCE_OWNED = ['serial_no', 'ctime', 'mtime', 'network_port', 'nics'];
const NIC_OWNED = ['mac', 'network'];
const DISK_OWNED = ['serial_no', 'mtime'];
/** I-11: the only cluster fields a merge may change (3.3, 3.6, 3.9). */
const CLUSTER_OWNED = ['reserved_lvs', 'prealloc_wipe_disks', 'osparams', 'osparams_private_cluster', 'os_hvp',
  'enabled_disk_templates', 'tcpudp_port_pool', 'highest_used_port', 'serial_no', 'mtime'];

/** Keys a digest skips; runtime-only keys too when the merge leaves them out. */
export interface OwnedKeys { instance: Set<string>; nic: Set<string>; disk: Set<string>; cluster: Set<string> }

/** Parameter maps pinDefaults may extend; the result check compares them against the pins. */
export const PINNED_INSTANCE_FIELDS = ['beparams', 'hvparams'];
export const PINNED_NIC_FIELDS = ['nicparams'];

export function ownedKeys(stripsForbidden: boolean, pinsDefaults = false): OwnedKeys {
  const add = (base: string[], extra: readonly string[]) => new Set(stripsForbidden ? [...base, ...extra] : base);
  const instance = pinsDefaults ? [...INSTANCE_OWNED, ...PINNED_INSTANCE_FIELDS] : INSTANCE_OWNED;
  const nic = pinsDefaults ? [...NIC_OWNED, ...PINNED_NIC_FIELDS] : NIC_OWNED;
  return {
    instance: add(instance, FORBIDDEN_KEYS.instance), nic: add(nic, FORBIDDEN_KEYS.nic),
    disk: add(DISK_OWNED, FORBIDDEN_KEYS.disk), cluster: add(CLUSTER_OWNED, FORBIDDEN_KEYS.cluster),
  };
}

/** Trail rules for the I-33 comparison of each copied object kind. */
export interface CopyRules { instance: TrailRules; nic: TrailRules; disk: TrailRules }

/** A disk tree without the owned keys at every level and without the DRBD port (logical_id[2]). */
export function copyRules(owned: OwnedKeys): CopyRules {
  const drbdLogicalId: TrailRules = { skipIndex: 2 };
  const disk: TrailRules = { skipKeys: owned.disk };
  const children: TrailRules = { elements: disk };
  disk.nested = (key, value, parent) => {
    if (key === 'logical_id' && parent.dev_type === 'drbd' && Array.isArray(value)) return drbdLogicalId;
    if (key === 'children' && Array.isArray(value)) return children;
    return undefined;
  };
  return { instance: { skipKeys: owned.instance }, nic: { skipKeys: owned.nic }, disk };
}

/** Whether `value` still equals the record at `at` (same rules as when it was recorded). */
export function unchanged(snap: InputSnapshot, at: number, value: JsonObject, rules: TrailRules): boolean {
  return match(snap.trail, at, value, rules) >= 0;
}

/** `keepParams`: also copy the parameter maps pinDefaults may extend. */
export function snapshotInputs(target: MergeInput, incoming: MergeInput[], owned: OwnedKeys, keepParams = false): InputSnapshot {
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
    trail: new Trail(),
  };
  const rules = copyRules(owned);
  const trail = snap.trail;
  for (const { config } of incoming) {
    for (const uuid in config.instances) {
      const inst = config.instances[uuid];
      const at = trail.length;
      record(trail, inst, rules.instance);
      const nics = (Array.isArray(inst.nics) ? inst.nics : []).map((nic) => {
        const nicAt = trail.length;
        record(trail, nic, rules.nic);
        return { at: nicAt, mac: nic.mac, network: nic.network };
      });
      const params = keepParams ? {
        beparams: copyOf(inst.beparams), hvparams: copyOf(inst.hvparams),
        nicparams: (Array.isArray(inst.nics) ? inst.nics : []).map((nic) => copyOf(nic.nicparams)),
      } : undefined;
      snap.instances.set(uuid, { name: inst.name, at, nics, params });
    }
    for (const uuid in config.disks) {
      snap.disks.set(uuid, trail.length);
      record(trail, config.disks[uuid], rules.disk);
    }
  }
  return snap;
}

function copyOf(v: Json | undefined): Json | undefined {
  return v === undefined ? undefined : cloneJson(v);
}
