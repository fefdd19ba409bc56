/**
 * Hash indexes over the merged-so-far configuration (the namespaces of spec 2.9), so that
 * every collision check of step B is a Map lookup. Built once from the target and extended
 * as each incoming cluster is folded in.
 */
import { describe } from './merge-report';
import { walkDisk } from './disk-walk';
import { normalizeIp } from './ipaddr';
import { externalStorageKey, firstLabel } from './merge-walk';
import { clusterNicDefaults, nicIpKey } from './nic-key';
import type { Disk, GanetiConfig, Instance, JsonObject, Network, Node, NodeGroup } from './types';

export class MergedIndex {
  /** U1: uuid -> description of its owner. */
  readonly uuids = new Map<string, string>();
  readonly nodeNames = new Map<string, string>();
  readonly nodeShortNames = new Map<string, string>();
  readonly instanceNames = new Map<string, string>();
  readonly instanceShortNames = new Map<string, string>();
  /** group name -> group uuid */
  readonly groupNames = new Map<string, string>();
  /** network name -> network uuid */
  readonly networkNames = new Map<string, string>();
  readonly hostIps = new Map<string, string>();
  readonly macs = new Map<string, string>();
  readonly nicIps = new Map<string, string>();
  /** U12 key -> "disk ... of <cluster>" */
  readonly storage = new Map<string, { owner: string; cluster: string }>();

  constructor(private readonly merged: GanetiConfig) {
    const c = merged;
    const name = String(c.cluster.cluster_name);
    this.uuids.set(c.cluster.uuid, describe('cluster', name, c.cluster.uuid));
    this.hostIps.set(normalizeIp(String(c.cluster.master_ip)), `master IP of cluster ${name}`);
    for (const g of Object.values(c.nodegroups)) this.addGroup(g);
    for (const n of Object.values(c.networks)) this.addNetwork(n);
    for (const n of Object.values(c.nodes)) this.addNode(n);
    for (const d of Object.values(c.disks)) this.addDisk(d, name);
    for (const i of Object.values(c.instances)) this.addInstance(i);
    for (const fl of Object.values(c.filters)) this.uuids.set(String(fl.uuid), describe('filter', undefined, String(fl.uuid)));
  }

  addGroup(g: NodeGroup): void {
    this.uuids.set(g.uuid, describe('node group', g.name, g.uuid));
    this.groupNames.set(g.name, g.uuid);
  }

  addNetwork(n: Network): void {
    this.uuids.set(n.uuid, describe('network', n.name, n.uuid));
    this.networkNames.set(n.name, n.uuid);
  }

  addNode(n: Node): void {
    const d = describe('node', n.name, n.uuid);
    this.uuids.set(n.uuid, d);
    this.nodeNames.set(n.name.toLowerCase(), d);
    this.nodeShortNames.set(firstLabel(n.name), n.name);
    this.hostIps.set(normalizeIp(n.primary_ip), d);
    if (n.secondary_ip && n.secondary_ip !== n.primary_ip) this.hostIps.set(normalizeIp(n.secondary_ip), d);
  }

  addDisk(disk: Disk, clusterName: string): void {
    const owner = describe('disk', typeof disk.name === 'string' ? disk.name : undefined, disk.uuid);
    walkDisk(disk, (d: JsonObject) => {
      if (typeof d.uuid === 'string') this.uuids.set(d.uuid, describe('disk', undefined, d.uuid));
      const key = externalStorageKey(d);
      if (key !== null) this.storage.set(key, { owner, cluster: clusterName });
    });
  }

  /** Indexes an instance already in the merged config (its NIC networks are merged uuids). */
  addInstance(i: Instance): void {
    const d = describe('instance', i.name, i.uuid);
    this.uuids.set(i.uuid, d);
    this.instanceNames.set(i.name.toLowerCase(), d);
    this.instanceShortNames.set(firstLabel(i.name), i.name);
    const defaults = clusterNicDefaults(this.merged.cluster);
    for (const nic of i.nics) {
      if (typeof nic.uuid === 'string') this.uuids.set(nic.uuid, `NIC ${nic.uuid} of ${d}`);
      if (typeof nic.mac === 'string') this.macs.set(nic.mac.toLowerCase(), d);
      const key = nicIpKey(nic, defaults);
      if (key !== undefined) this.nicIps.set(key, d);
    }
  }

  addFilter(uuid: string): void {
    this.uuids.set(uuid, describe('filter', undefined, uuid));
  }
}
