/**
 * The clean path of verifyConfig: ONE pass over every object answering "would every per-object
 * check (PER_OBJECT_CHECKS in verify.ts) report nothing?". A merge verifies four configs of tens
 * of thousands of objects, and ~15 separate walks with their descriptions and closures cost
 * several times JSON.parse. The pass keeps plain Sets and Maps and builds no descriptions.
 *
 * Contract (tested in verify-one-pass.test.ts and the fuzz test): it may be stricter than the checks, never laxer.
 * When it answers false, verifyConfig discards its result and runs every check in full, so the
 * findings (codes, texts, order) are exactly those of the individual checks.
 */
import { type VerifyContext, has, isInt, isObject, lowerCase } from './context';
import { FORBIDDEN_KEYS } from '../model/fields';
import { DRBD_DEV_TYPE } from '../model/disk-walk';
import { clusterNicDefaults, effectiveNicParam, NIC_MODES, nicIpKey } from '../model/nic-key';
import { ipv4IndexInNetwork, parseIpv4Cidr, type Ipv4Cidr } from '../model/ipaddr';
import { UUID_PATTERN } from './identity';
import { forEachStorageIdentity } from './storage';
import type { Json, JsonObject } from '../types';
import { objectNameProblem } from '../../remote/names';

const WHITESPACE = /\s/;
const BIT_STRING = /^[01]*$/;
const VALID_MODES = new Set<string>(NIC_MODES);

function nonEmptyString(v: Json | undefined): v is string {
  return typeof v === 'string' && v !== '';
}

function hasAny(value: JsonObject, keys: readonly string[]): boolean {
  for (let i = 0; i < keys.length; i++) if (keys[i] in value) return true;
  return false;
}

/** Adds `value`; false if it was there already. */
function addNew<T>(set: Set<T>, value: T): boolean {
  if (set.has(value)) return false;
  set.add(value);
  return true;
}

class OnePass {
  private readonly c: JsonObject;
  private readonly cl: JsonObject;
  private readonly checkForbidden: boolean;
  private readonly allowForthcoming: boolean;
  private readonly nodes: JsonObject;
  private readonly disks: JsonObject;
  private readonly networks: JsonObject;
  private readonly hup: number;
  /**
   * Own keys of nodes: every disk level, DRBD end and instance names nodes, and a small Set is
   * cheaper to ask than a lookup of a fresh string in the object (which goes through V8's string table).
   */
  private readonly nodeKeys = new Set<string>();
  private readonly uuids = new Set<string>();
  private readonly ports = new Set<number>();
  /** node uuid -> DRBD minors in use on it */
  private readonly minors = new Map<string, Set<number>>();
  private readonly storage = new Set<string>();
  /** logical_id[1] of every plain level (see plainLevel) */
  private readonly lvNames = new Set<string>();
  private readonly cidrs = new Map<string, Ipv4Cidr>();
  private storageClean = true;

  constructor(ctx: VerifyContext) {
    this.c = ctx.config as JsonObject;
    this.cl = ctx.cluster;
    this.checkForbidden = ctx.opts.allowUnknownFields !== true;
    this.allowForthcoming = ctx.opts.allowForthcoming === true;
    this.nodes = isObject(this.c.nodes) ? this.c.nodes : {};
    this.disks = isObject(this.c.disks) ? this.c.disks : {};
    this.networks = isObject(this.c.networks) ? this.c.networks : {};
    const hup = this.cl.highest_used_port;
    this.hup = isInt(hup) ? hup : NaN;
  }

  run(): boolean {
    return this.cluster() && this.nodeMap() && this.groupMap() && this.networkMap() && this.filterMap()
      && this.diskMap() && this.instanceMap();
  }

  /** A uuid of namespace U1 (compared lower-cased, I-28). */
  private claimUuid(uuid: Json | undefined): boolean {
    return typeof uuid !== 'string' || addNew(this.uuids, lowerCase(uuid));
  }

  /** A port of namespace U9 (I-12) not above highest_used_port (I-13). */
  private claimPort(port: Json | undefined): boolean {
    return !isInt(port) || (port <= this.hup && addNew(this.ports, port));
  }

  private cluster(): boolean {
    const cl = this.cl;
    if (Number.isNaN(this.hup) || typeof cl.master_node !== 'string') return false;
    if (this.checkForbidden && hasAny(cl, FORBIDDEN_KEYS.cluster)) return false;
    const pool = cl.tcpudp_port_pool;
    if (pool !== undefined) {
      if (!Array.isArray(pool)) return false;
      for (let i = 0; i < pool.length; i++) if (!isInt(pool[i]) || !this.claimPort(pool[i])) return false;
    }
    return this.claimUuid(cl.uuid);
  }

  private nodeMap(): boolean {
    const names = new Set<string>();
    for (const key in this.nodes) {
      if (has(this.nodes, key)) this.nodeKeys.add(key);
      const node = this.nodes[key];
      if (!isObject(node)) continue;
      const name = node.name;
      if (node.uuid !== key || !nonEmptyString(name) || !nonEmptyString(node.primary_ip) || !nonEmptyString(node.group)) return false;
      if (node.secondary_ip !== undefined && !nonEmptyString(node.secondary_ip)) return false;
      if (!addNew(names, lowerCase(name)) || objectNameProblem(name) !== undefined || !this.claimUuid(key)) return false;
    }
    return true;
  }

  private groupMap(): boolean {
    const map = this.c.nodegroups;
    if (!isObject(map)) return true;
    const names = new Set<string>();
    for (const key in map) {
      const group = map[key];
      if (!isObject(group)) continue;
      const name = group.name;
      if (group.uuid !== key || typeof name !== 'string' || !addNew(names, name)) return false;
      if (UUID_PATTERN.test(name.toLowerCase()) || WHITESPACE.test(name) || !this.claimUuid(key)) return false;
      if ('members' in group && !(Array.isArray(group.members) && group.members.length === 0)) return false;
    }
    return true;
  }

  private networkMap(): boolean {
    const names = new Set<string>();
    for (const key in this.networks) {
      const net = this.networks[key];
      if (!isObject(net)) continue;
      const name = net.name;
      if (net.uuid !== key || !nonEmptyString(name) || !nonEmptyString(net.network)) return false;
      if (!addNew(names, name) || WHITESPACE.test(name) || !this.claimUuid(key)) return false;
      const cidr = parseIpv4Cidr(net.network);
      if (!cidr || !reservationsValid(net.reservations, cidr) || !reservationsValid(net.ext_reservations, cidr)) return false;
      this.cidrs.set(key, cidr);
    }
    return true;
  }

  private filterMap(): boolean {
    const map = this.c.filters;
    if (!isObject(map)) return true;
    for (const key in map) {
      const filter = map[key];
      if (isObject(filter) && (filter.uuid !== key || !this.claimUuid(key))) return false;
    }
    return true;
  }

  private diskMap(): boolean {
    const templates = new Set(listOf(this.cl.enabled_disk_templates));
    const disks = this.disks;
    for (const key in disks) {
      const disk = disks[key];
      if (!isObject(disk)) continue;
      if (disk.uuid !== key || !this.claimUuid(key)) return false;
      if (disk.mode !== 'rw' && disk.mode !== 'ro') return false;
      if (typeof disk.dev_type === 'string' && !templates.has(disk.dev_type)) return false;
      if (disk.forthcoming === true && !this.allowForthcoming) return false;
      if (!this.diskLevel(disk, true)) return false;
    }
    return this.storageClean;
  }

  /** Every per-level rule of one disk tree level, then its object children. */
  private diskLevel(d: JsonObject, top: boolean): boolean {
    if (this.checkForbidden && hasAny(d, FORBIDDEN_KEYS.disk)) return false;
    const lid = d.logical_id;
    if (!nonEmptyString(d.dev_type) || !Array.isArray(lid) || !isInt(d.size)) return false;
    if (!top && !this.claimUuid(d.uuid)) return false;
    const listed = d.nodes;
    if (Array.isArray(listed)) {
      for (let i = 0; i < listed.length; i++) {
        const n = listed[i];
        if (typeof n !== 'string' || !this.nodeKeys.has(n)) return false;
      }
    }
    if (d.dev_type === DRBD_DEV_TYPE && !this.drbdLevel(lid)) return false;
    if (d.dev_type === 'plain') {
      if (!this.plainLevel(lid, listed)) return false;
    } else {
      forEachStorageIdentity(d, this.claimStorage);
    }
    const children = d.children;
    if (Array.isArray(children)) {
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (isObject(child) && !this.diskLevel(child, false)) return false;
      }
    }
    return true;
  }

  /**
   * U11 for an LV without building "lv\0<node>\0<vg>/<name>" per node: LV names (logical_id[1])
   * are unique cluster-wide in real configs ("<uuid>.disk0_data"), so the pass asks for exactly
   * that, plus no node listed twice. Without a '/' in the name, two equal identities need equal
   * names, i.e. the same level; anything unusual falls back to the full check (stricter).
   */
  private plainLevel(lid: Json[], nodes: Json | undefined): boolean {
    const name = lid[1];
    if (typeof lid[0] !== 'string' || typeof name !== 'string') return true;
    if (name.indexOf('/') >= 0 || !addNew(this.lvNames, name)) return false;
    if (!Array.isArray(nodes)) return true;
    for (let i = 1; i < nodes.length; i++) {
      for (let j = 0; j < i; j++) if (nodes[i] === nodes[j]) return false;
    }
    return true;
  }

  private readonly claimStorage = (_rule: string, id: string): void => {
    if (!addNew(this.storage, id)) this.storageClean = false;
  };

  /** I-16 shape, nodes, I-15 minors and the port (I-12/I-13) of one DRBD level. */
  private drbdLevel(lid: Json[]): boolean {
    if (lid.length !== 6) return false;
    const nodeA = lid[0];
    const nodeB = lid[1];
    if (typeof nodeA !== 'string' || typeof nodeB !== 'string' || typeof lid[5] !== 'string') return false;
    if (!isInt(lid[2]) || !isInt(lid[3]) || !isInt(lid[4]) || nodeA === nodeB) return false;
    if (!this.nodeKeys.has(nodeA) || !this.nodeKeys.has(nodeB)) return false;
    return this.claimMinor(nodeA, lid[3]) && this.claimMinor(nodeB, lid[4]) && this.claimPort(lid[2]);
  }

  private claimMinor(node: string, minor: number): boolean {
    let used = this.minors.get(node);
    if (used === undefined) {
      used = new Set();
      this.minors.set(node, used);
    }
    return addNew(used, minor);
  }

  private instanceMap(): boolean {
    const map = this.c.instances;
    if (!isObject(map)) return true;
    const names = new Set<string>();
    const usedDisks = new Set<string>();
    const macs = new Set<string>();
    const nicIps = new Set<string>();
    const hypervisors = new Set(listOf(this.cl.enabled_hypervisors));
    const nicDefaults = clusterNicDefaults(this.cl);
    for (const key in map) {
      const inst = map[key];
      if (!isObject(inst)) continue;
      const name = inst.name;
      const primary = inst.primary_node;
      if (inst.uuid !== key || !nonEmptyString(name) || !nonEmptyString(primary) || !this.claimUuid(key)) return false;
      if (!addNew(names, lowerCase(name)) || objectNameProblem(name) !== undefined) return false;
      if (this.checkForbidden && hasAny(inst, FORBIDDEN_KEYS.instance)) return false;
      if (inst.forthcoming === true && !this.allowForthcoming) return false;
      if (!this.nodeKeys.has(primary) || !hypervisors.has(inst.hypervisor ?? null) || !this.claimPort(inst.network_port)) return false;
      if (!this.instanceDisks(inst.disks, primary, usedDisks)) return false;
      const nics = inst.nics;
      if (!Array.isArray(nics)) return false;
      for (let i = 0; i < nics.length; i++) {
        const nic = nics[i];
        if (!isObject(nic) || !this.nic(nic, macs, nicIps, nicDefaults)) return false;
      }
    }
    return true;
  }

  /** Required list of disk uuids, each an existing disk used once, iv_name, DRBD primary (I-17, I-17a). */
  private instanceDisks(list: Json | undefined, primary: string, usedDisks: Set<string>): boolean {
    if (!Array.isArray(list)) return false;
    for (let index = 0; index < list.length; index++) {
      const uuid = list[index];
      if (typeof uuid !== 'string') return false;
      const disk = this.disks[uuid];
      if (!isObject(disk) || !has(this.disks, uuid) || !addNew(usedDisks, uuid)) return false;
      if (disk.iv_name !== ivNameOf(index) || drbdLeavesOut(disk, primary)) return false;
    }
    return true;
  }

  private nic(nic: JsonObject, macs: Set<string>, nicIps: Set<string>, defaults: JsonObject): boolean {
    const mac = nic.mac;
    if (!nonEmptyString(mac) || !addNew(macs, lowerCase(mac)) || !this.claimUuid(nic.uuid)) return false;
    if (this.checkForbidden && hasAny(nic, FORBIDDEN_KEYS.nic)) return false;
    const mode = effectiveNicParam(nic, defaults, 'mode');
    if (typeof mode !== 'string' || !VALID_MODES.has(mode)) return false;
    if (mode === 'bridged' && !nonEmptyString(effectiveNicParam(nic, defaults, 'link'))) return false;
    const net = nic.network;
    const onNetwork = net !== undefined && net !== null && net !== '';
    if (onNetwork && (typeof net !== 'string' || !has(this.networks, net))) return false;
    const ip = nic.ip;
    if (!nonEmptyString(ip)) return true;
    if (!addNew(nicIps, nicIpKey(nic, defaults) as string)) return false;
    if (!onNetwork) return true;
    const cidr = this.cidrs.get(net as string);
    if (cidr === undefined) return false;
    const bit = ipv4IndexInNetwork(cidr, ip);
    const bits = (this.networks[net as string] as JsonObject).reservations;
    return bit !== undefined && typeof bits === 'string' && bits.length === cidr.size && bits.charCodeAt(bit) === 0x31;
  }
}

/** "disk/<index>" for the usual indexes without building a string per disk. */
const IV_NAMES = Array.from({ length: 32 }, (_, i) => `disk/${i}`);

function ivNameOf(index: number): string {
  return index < IV_NAMES.length ? IV_NAMES[index] : `disk/${index}`;
}

function listOf(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function reservationsValid(bits: Json | undefined, cidr: Ipv4Cidr): boolean {
  return bits === undefined || (typeof bits === 'string' && bits.length === cidr.size && BIT_STRING.test(bits));
}

/** Some DRBD level of the tree does not include the instance's primary node (I-17a). */
function drbdLeavesOut(d: JsonObject, primary: string): boolean {
  if (d.dev_type === DRBD_DEV_TYPE) {
    const lid = d.logical_id as Json[];
    if (lid[0] !== primary && lid[1] !== primary) return true;
  }
  const children = d.children;
  if (!Array.isArray(children)) return false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (isObject(child) && drbdLeavesOut(child, primary)) return true;
  }
  return false;
}

/** True when none of the per-object checks would report anything for this config. */
export function perObjectChecksClean(ctx: VerifyContext): boolean {
  return new OnePass(ctx).run();
}
