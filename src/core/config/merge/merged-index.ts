/**
 * Hash indexes over the merged-so-far configuration (the namespaces of spec 2.9), so that
 * every collision check of step B is a Map lookup. Built once from the target and extended
 * as each incoming cluster is folded in. Entries point at the owning objects; the text that
 * names an owner is only built when a collision is reported (keeps the big merges lean).
 */
import { normalizeIp } from '../model/ipaddr';
import { describe } from './report';
import { externalStorageKey, firstLabel, forEachDiskLevel } from './walk';
import { clusterNicDefaults, nicIpKey } from '../model/nic-key';
import { lowerCase } from '../verify/context';
import type { Disk, GanetiConfig, Instance, JsonObject, Network, Node, NodeGroup } from '../types';

/** Who holds a uuid / IP / MAC: the object and what kind of object it is. */
export interface Owner { kind: string; obj: JsonObject }

export function describeOwner(o: Owner): string {
  const name = typeof o.obj.name === 'string' ? o.obj.name : typeof o.obj.cluster_name === 'string' ? o.obj.cluster_name : undefined;
  if (o.kind === 'NIC') return `a NIC (${String(o.obj.uuid)})`;
  if (o.kind === 'master IP') return `the master IP of cluster ${String(o.obj.cluster_name)}`;
  return describe(o.kind, name, String(o.obj.uuid));
}

/** Kinds of U1 owners, in the order a uuid's owner is looked up. */
const UUID_KINDS = ['cluster', 'node group', 'network', 'node', 'instance', 'NIC', 'disk', 'filter'] as const;
type UuidKind = (typeof UUID_KINDS)[number];

export class MergedIndex {
  /**
   * U1: uuid -> owner per kind. Only a collision needs an owner, so the maps are built from the
   * merged config on the first one and kept up to date from then on; until then `allUuids`
   * alone answers (one Set insert per uuid instead of two hash inserts).
   */
  private owners: Map<UuidKind, Map<string, JsonObject>> | undefined;
  readonly nodeNames = new Map<string, Node>();
  readonly nodeShortNames = new Map<string, string>();
  readonly instanceNames = new Map<string, Instance>();
  readonly instanceShortNames = new Map<string, string>();
  /** group name -> group uuid */
  readonly groupNames = new Map<string, string>();
  /** network name -> network uuid */
  readonly networkNames = new Map<string, string>();
  readonly hostIps = new Map<string, Owner>();
  readonly macs = new Map<string, Instance>();
  readonly nicIps = new Map<string, Instance>();
  /** U12 key -> the disk tree holding it and its cluster's name */
  readonly storage = new Map<string, { disk: Disk; cluster: string }>();
  private readonly nicDefaults: JsonObject;
  /** Every uuid of U1, for the common case: a lookup that misses. */
  private readonly allUuids = new Set<string>();

  constructor(private readonly merged: GanetiConfig) {
    const c = merged;
    this.nicDefaults = clusterNicDefaults(c.cluster);
    this.allUuids.add(c.cluster.uuid);
    this.hostIps.set(normalizeIp(String(c.cluster.master_ip)), { kind: 'master IP', obj: c.cluster });
    for (const g of Object.values(c.nodegroups)) this.addGroup(g);
    for (const n of Object.values(c.networks)) this.addNetwork(n);
    for (const n of Object.values(c.nodes)) this.addNode(n);
    const name = String(c.cluster.cluster_name);
    for (const d of Object.values(c.disks)) this.addDisk(d, name);
    for (const i of Object.values(c.instances)) this.addInstance(i);
    for (const fl of Object.values(c.filters)) this.addFilter(String(fl.uuid), fl);
  }

  /** Description of whatever already holds `uuid`, or undefined. */
  uuidOwner(uuid: string): string | undefined {
    if (!this.allUuids.has(uuid)) return undefined;
    for (const [kind, map] of this.ownerMaps()) {
      const obj = map.get(uuid);
      if (obj !== undefined) return describeOwner({ kind, obj });
    }
    return undefined;
  }

  /** The owner maps, built from the merged config when first needed (it holds exactly what was indexed). */
  private ownerMaps(): Map<UuidKind, Map<string, JsonObject>> {
    if (this.owners) return this.owners;
    const owners = new Map<UuidKind, Map<string, JsonObject>>(UUID_KINDS.map((k) => [k, new Map()]));
    this.owners = owners;
    const c = this.merged;
    this.own('cluster', c.cluster.uuid, c.cluster);
    for (const g of Object.values(c.nodegroups)) this.own('node group', g.uuid, g);
    for (const n of Object.values(c.networks)) this.own('network', n.uuid, n);
    for (const n of Object.values(c.nodes)) this.own('node', n.uuid, n);
    for (const d of Object.values(c.disks)) forEachDiskLevel(d, (level) => this.own('disk', level.uuid, level));
    for (const i of Object.values(c.instances)) {
      this.own('instance', i.uuid, i);
      for (const nic of i.nics) this.own('NIC', nic.uuid, nic);
    }
    for (const uuid of Object.keys(c.filters)) this.own('filter', uuid, c.filters[uuid]);
    return owners;
  }

  /** Records an owner once the owner maps exist (before, allUuids is all there is). */
  private own(kind: UuidKind, uuid: unknown, obj: JsonObject): void {
    if (typeof uuid === 'string') this.owners?.get(kind)?.set(uuid, obj);
  }

  addGroup(g: NodeGroup): void {
    this.own('node group', g.uuid, g);
    this.allUuids.add(g.uuid);
    this.groupNames.set(g.name, g.uuid);
  }

  addNetwork(n: Network): void {
    this.own('network', n.uuid, n);
    this.allUuids.add(n.uuid);
    this.networkNames.set(n.name, n.uuid);
  }

  addNode(n: Node): void {
    this.own('node', n.uuid, n);
    this.allUuids.add(n.uuid);
    this.nodeNames.set(n.name.toLowerCase(), n);
    this.nodeShortNames.set(firstLabel(n.name), n.name);
    const owner = { kind: 'node', obj: n };
    this.hostIps.set(normalizeIp(n.primary_ip), owner);
    if (n.secondary_ip && n.secondary_ip !== n.primary_ip) this.hostIps.set(normalizeIp(n.secondary_ip), owner);
  }

  addDisk(disk: Disk, clusterName: string): void {
    const addLevel = (d: JsonObject) => {
      if (typeof d.uuid === 'string') { this.own('disk', d.uuid, d); this.allUuids.add(d.uuid); }
      const key = externalStorageKey(d);
      if (key !== null) this.storage.set(key, { disk, cluster: clusterName });
    };
    if (Array.isArray(disk.children)) forEachDiskLevel(disk, addLevel);
    else addLevel(disk);
  }

  /** Indexes an instance already in the merged config (its NIC networks are merged uuids). */
  addInstance(i: Instance): void {
    this.own('instance', i.uuid, i);
    this.allUuids.add(i.uuid);
    // lowerCase, not toLowerCase: no copy of names that are lower-case already (nearly all).
    this.instanceNames.set(lowerCase(i.name), i);
    this.instanceShortNames.set(firstLabel(i.name), i.name);
    for (let k = 0; k < i.nics.length; k++) {
      const nic = i.nics[k];
      if (typeof nic.uuid === 'string') { this.own('NIC', nic.uuid, nic); this.allUuids.add(nic.uuid); }
      if (typeof nic.mac === 'string') this.macs.set(lowerCase(nic.mac), i);
      const key = nicIpKey(nic, this.nicDefaults);
      if (key !== undefined) this.nicIps.set(key, i);
    }
  }

  addFilter(uuid: string, filter: JsonObject): void {
    this.own('filter', uuid, filter);
    this.allUuids.add(uuid);
  }
}
