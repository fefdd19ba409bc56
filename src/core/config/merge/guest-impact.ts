/**
 * What a merge changes that a running guest (or the hypervisor process Ganeti tracks it by) would
 * notice. The zero-downtime policy keeps an incoming instance running only when nothing here
 * differs between its own cluster's config and the merged one; every difference is a reason to
 * stop it first. The comparison is of a projection ("guest view") computed the same way on both
 * sides, so a merge step that starts changing one more field is caught without touching this file
 * as long as the field is in the view.
 */
import { readDrbdLogicalId } from '../model/disk-walk';
import { HYPERVISOR_GLOBAL_PARAMS } from './effective-params';
import { byString, isJsonObject, jsonEqual, objectOrEmpty, showValue } from '../json/values';
import type { GanetiConfig, Instance, Json, JsonObject } from '../types';

/** One incoming instance and why it cannot stay running through the merge (empty: it can). */
export interface GuestImpact {
  instance: string;
  uuid: string;
  source: string;
  reasons: string[];
}

/** Backend parameters the hypervisor's command line is built from (memory, CPUs). */
const GUEST_BEPARAMS = ['maxmem', 'memory', 'vcpus'];

/** One line of the view: a stable key, a value, and how a change of it reads. */
interface ViewEntry {
  value: Json;
  /** Values are shown unless they may carry secrets (DRBD logical_id holds the shared secret). */
  secret?: boolean;
}
type GuestView = Map<string, ViewEntry>;

/** Ganeti's FillHV: cluster hvparams[hv] <- os_hvp[base os][hv] <- os_hvp[os][hv] <- instance hvparams. */
function effectiveHvparams(config: GanetiConfig, inst: Instance): JsonObject {
  const cluster = config.cluster;
  const os = typeof inst.os === 'string' ? inst.os : '';
  const osHvp = objectOrEmpty(cluster.os_hvp);
  const base = os.split('+')[0];
  const layers = [objectOrEmpty(objectOrEmpty(cluster.hvparams)[inst.hypervisor])];
  for (const name of base === os ? [os] : [base, os]) layers.push(objectOrEmpty(objectOrEmpty(osHvp[name])[inst.hypervisor]));
  layers.push(objectOrEmpty(inst.hvparams));
  return Object.assign({}, ...layers) as JsonObject;
}

/** The group of the instance's primary node, or an empty object. */
function primaryGroup(config: GanetiConfig, inst: Instance): JsonObject {
  const node = config.nodes[inst.primary_node];
  return node ? objectOrEmpty(config.nodegroups[node.group]) : {};
}

/**
 * Whether the instance's console port reaches the hypervisor: KVM only opens it for VNC or
 * SPICE; Xen HVM always uses it for VNC; the other hypervisors never use it.
 */
function consolePortUsed(hypervisor: string, hv: JsonObject): boolean {
  if (hypervisor === 'kvm') return Boolean(hv.vnc_bind_address) || Boolean(hv.spice_bind);
  return hypervisor === 'xen-hvm';
}

function addDisk(view: GuestView, config: GanetiConfig, diskParams: JsonObject, key: string, disk: JsonObject): void {
  view.set(`${key} type`, { value: disk.dev_type ?? null });
  view.set(`${key} uuid`, { value: disk.uuid ?? null });
  view.set(`${key} size`, { value: disk.size ?? null });
  view.set(`${key} mode`, { value: disk.mode ?? null });
  const drbd = readDrbdLogicalId(disk);
  if (drbd !== undefined) {
    const lid = disk.logical_id as Json[];
    view.set(`${key} DRBD port`, { value: lid[2] });
    view.set(`${key} DRBD minors`, { value: [lid[3], lid[4]] });
    view.set(`${key} DRBD nodes`, { value: [lid[0], lid[1]] });
    view.set(`${key} DRBD secret`, { value: lid[5] ?? null, secret: true });
  } else {
    view.set(`${key} storage identity (logical_id)`, { value: disk.logical_id ?? null });
  }
  const type = typeof disk.dev_type === 'string' ? disk.dev_type : '';
  const params = { ...objectOrEmpty(diskParams[type]), ...objectOrEmpty(disk.params) };
  for (const k of Object.keys(params).sort(byString)) view.set(`${key} param ${k}`, { value: params[k] });
  const children = Array.isArray(disk.children) ? disk.children : [];
  view.set(`${key} children`, { value: children.length });
  children.forEach((child, i) => {
    if (isJsonObject(child)) addDisk(view, config, diskParams, `${key}.${i}`, child);
  });
}

/** Everything about one instance that its running hypervisor process was started from. */
function guestView(config: GanetiConfig, inst: Instance): GuestView {
  const view: GuestView = new Map();
  const hv = effectiveHvparams(config, inst);
  view.set('name', { value: inst.name });
  view.set('hypervisor', { value: inst.hypervisor });
  view.set('primary node', { value: config.nodes[inst.primary_node]?.name ?? inst.primary_node });
  view.set('disk template', { value: inst.disk_template ?? null });
  for (const k of Object.keys(hv).sort(byString)) {
    // migration settings are cluster-wide and only read when migrating, never by a running guest
    if (!HYPERVISOR_GLOBAL_PARAMS.has(k)) view.set(`hvparams.${k}`, { value: hv[k] });
  }
  const be = { ...objectOrEmpty(objectOrEmpty(config.cluster.beparams).default), ...objectOrEmpty(inst.beparams) };
  for (const k of GUEST_BEPARAMS) if (k in be) view.set(`beparams.${k}`, { value: be[k] });
  if (consolePortUsed(inst.hypervisor, hv)) view.set('console port', { value: inst.network_port ?? null });

  const group = primaryGroup(config, inst);
  const groupNets = objectOrEmpty(group.networks);
  const nicDefaults = objectOrEmpty(objectOrEmpty(config.cluster.nicparams).default);
  view.set('NIC count', { value: inst.nics.length });
  inst.nics.forEach((nic, i) => {
    // a NIC on a network is connected with the netparams of its node group's connection
    const net = typeof nic.network === 'string' ? objectOrEmpty(groupNets[nic.network]) : {};
    const params = { ...nicDefaults, ...net, ...objectOrEmpty(nic.nicparams) };
    view.set(`nic ${i} MAC`, { value: nic.mac });
    view.set(`nic ${i} uuid`, { value: nic.uuid ?? null });
    view.set(`nic ${i} IP`, { value: nic.ip ?? null });
    for (const k of ['mode', 'link', 'vlan']) view.set(`nic ${i} ${k}`, { value: params[k] ?? null });
  });

  const diskParams = { ...objectOrEmpty(config.cluster.diskparams) };
  for (const [t, p] of Object.entries(objectOrEmpty(group.diskparams))) diskParams[t] = { ...objectOrEmpty(diskParams[t]), ...objectOrEmpty(p) };
  view.set('disk count', { value: inst.disks.length });
  inst.disks.forEach((uuid, i) => {
    const disk = config.disks[uuid];
    if (disk) addDisk(view, config, diskParams, `disk ${i}`, disk);
    else view.set(`disk ${i} uuid`, { value: uuid });
  });
  return view;
}

/** The differences between two views, as reasons an operator can read (secrets never shown). */
function differences(before: GuestView, after: GuestView): string[] {
  const reasons: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    if (jsonEqual(a?.value ?? null, b?.value ?? null)) continue;
    if (a?.secret || b?.secret) reasons.push(`${key} changes`);
    else reasons.push(`${key}: ${showValue(a?.value)} -> ${showValue(b?.value)}`);
  }
  return reasons;
}

/**
 * For every instance of every incoming config, what the merged config changes that its running
 * guest would notice. An instance absent from the merged config is reported as such. Sorted by
 * source order, then instance name.
 */
export function guestImpact(incoming: readonly { config: GanetiConfig; source: string }[], merged: GanetiConfig): GuestImpact[] {
  const out: GuestImpact[] = [];
  for (const { config, source } of incoming) {
    const insts = Object.values(config.instances).sort((a, b) => byString(a.name, b.name));
    for (const inst of insts) {
      const now = merged.instances[inst.uuid];
      const reasons = now ? differences(guestView(config, inst), guestView(merged, now)) : ['not in the merged config'];
      out.push({ instance: inst.name, uuid: inst.uuid, source, reasons });
    }
  }
  return out;
}
