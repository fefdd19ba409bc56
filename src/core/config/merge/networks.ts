/**
 * Step E (spec 3.7): maps every incoming network onto the merged config — copied, renamed,
 * or absorbed into the same-named target network with its reservation bits OR-ed.
 */
import { describe, type Findings } from './report';
import { byString, jsonEqual } from '../json/values';
import { formatIpv4, ipv4CidrsOverlap, ipv4IndexInNetwork, parseIpv4Cidr, type Ipv4Cidr } from '../model/ipaddr';
import type { GanetiConfig, Network } from '../types';
import type { StepContext } from './step-context';

export interface NetworkPlan {
  /** incoming network uuid -> uuid in the merged config */
  map: Map<string, string>;
  add: { network: Network; name: string }[];
  merges: { target: Network; incoming: Network; reservations: string; extReservations: string }[];
}

const COMPARED = ['network', 'gateway', 'network6', 'gateway6', 'mac_prefix'];

export function planNetworks({ merged, index, incoming, source, options, f }: StepContext): NetworkPlan {
  const plan: NetworkPlan = { map: new Map(), add: [], merges: [] };
  const clusterName = String(incoming.cluster.cluster_name);
  const plannedNames = new Set<string>();
  const nets = Object.values(incoming.networks).sort((a, b) => byString(a.name, b.name));
  for (const net of nets) {
    const existingUuid = index.networkNames.get(net.name);
    if (existingUuid === undefined) {
      plan.map.set(net.uuid, net.uuid);
      plan.add.push({ network: net, name: net.name });
      plannedNames.add(net.name);
      continue;
    }
    const target = merged.networks[existingUuid];
    if (options.networks === 'refuse') {
      f.error('E_NETWORK_NAME_CONFLICT', `network ${net.name} exists in the target and in ${clusterName} and no --networks strategy was given`,
        source, [describe('network', net.name, net.uuid), describe('network', target.name, target.uuid)]);
    } else if (options.networks === 'rename') {
      const name = `${net.name}-${clusterName}`;
      if (index.networkNames.has(name) || plannedNames.has(name)) {
        f.error('E_NETWORK_RENAME_COLLISION', `network ${net.name} of ${clusterName} cannot be renamed to ${name}: that name is taken`, source,
          [describe('network', net.name, net.uuid)]);
      }
      plannedNames.add(name);
      plan.map.set(net.uuid, net.uuid);
      plan.add.push({ network: net, name });
    } else {
      const merge = planNetworkMerge(merged, incoming, target, net, source, f);
      if (merge) plan.merges.push(merge);
      plan.map.set(net.uuid, target.uuid);
    }
  }
  warnOverlaps(merged, nets, plan, clusterName, source, f);
  const icn = incoming.cluster.instance_communication_network;
  if (typeof icn === 'string' && icn !== '') {
    const renamed = plan.add.find((a) => a.network.name === icn && a.name !== icn);
    if (renamed) {
      f.warn('W_PARAM_DIFF', `network ${icn} was the instance communication network of ${clusterName}; it is renamed to ${renamed.name} and is no longer the communication network (target setting kept)`,
        source, ['cluster.instance_communication_network']);
    }
  }
  return plan;
}

function planNetworkMerge(merged: GanetiConfig, incoming: GanetiConfig, target: Network, net: Network, source: string,
  f: Findings): NetworkPlan['merges'][number] | null {
  const clusterName = String(incoming.cluster.cluster_name);
  const objects = [describe('network', net.name, net.uuid), describe('network', target.name, target.uuid)];
  const differing = COMPARED.filter((k) => !jsonEqual(net[k] ?? null, target[k] ?? null));
  if (differing.length > 0) {
    f.error('E_NETWORK_INCOMPATIBLE', `network ${net.name} of ${clusterName} cannot be merged into the target's: ${differing
      .map((k) => `${k} ${JSON.stringify(net[k] ?? null)} vs ${JSON.stringify(target[k] ?? null)}`).join(', ')}`, source, objects);
    return null;
  }
  const res = orBits(String(target.reservations ?? ''), String(net.reservations ?? ''));
  const ext = orBits(String(target.ext_reservations ?? ''), String(net.ext_reservations ?? ''));
  if (res === null || ext === null) {
    f.error('E_NETWORK_INCOMPATIBLE', `network ${net.name} of ${clusterName}: reservation bit strings differ in length from the target's`, source, objects);
    return null;
  }
  if (res.both.length > 0) {
    const cidr = typeof target.network === 'string' ? parseIpv4Cidr(target.network) : undefined;
    const owners = (c: GanetiConfig, uuid: string) => addressOwners(c, uuid, cidr);
    const tOwners = owners(merged, target.uuid);
    const iOwners = owners(incoming, net.uuid);
    for (const bit of res.both) {
      const addr = cidr ? formatIpv4(cidr.base + bit) : `bit ${bit}`;
      f.error('E_NIC_IP_COLLISION', `address ${addr} of network ${net.name} is reserved by ${iOwners.get(bit) ?? 'an instance'} of ${clusterName} and by ${tOwners.get(bit) ?? 'an instance'} in the target`,
        source, objects);
    }
    return null;
  }
  return { target, incoming: net, reservations: res.bits, extReservations: ext.bits };
}

/** Bitwise OR of two '0'/'1' strings via typed arrays; null when the lengths differ. */
function orBits(a: string, b: string): { bits: string; both: number[] } | null {
  if (a.length !== b.length) return null;
  const out = new Uint8Array(a.length);
  const both: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i) === 49;
    const y = b.charCodeAt(i) === 49;
    if (x && y) both.push(i);
    out[i] = x || y ? 49 : 48;
  }
  return { bits: Buffer.from(out).toString('latin1'), both };
}

/** bit index -> instance name, for the NICs of `config` on network `uuid`. */
function addressOwners(config: GanetiConfig, uuid: string, cidr: Ipv4Cidr | undefined): Map<number, string> {
  const owners = new Map<number, string>();
  if (!cidr) return owners;
  for (const inst of Object.values(config.instances)) {
    for (const nic of inst.nics) {
      if (nic.network !== uuid || typeof nic.ip !== 'string') continue;
      const bit = ipv4IndexInNetwork(cidr, nic.ip);
      if (bit !== undefined) owners.set(bit, `instance ${inst.name}`);
    }
  }
  return owners;
}

function warnOverlaps(merged: GanetiConfig, nets: Network[], plan: NetworkPlan, clusterName: string, source: string, f: Findings): void {
  const cidrOf = (n: Network) => (typeof n.network === 'string' ? parseIpv4Cidr(n.network) : undefined);
  const targets = Object.values(merged.networks).map((n) => ({ n, cidr: cidrOf(n) }));
  for (const net of nets) {
    if (plan.map.get(net.uuid) !== net.uuid) continue; // absorbed: same CIDR by construction
    const cidr = cidrOf(net);
    if (!cidr) continue;
    for (const t of targets) {
      if (!t.cidr || t.n.name === net.name) continue;
      if (ipv4CidrsOverlap(cidr, t.cidr)) {
        f.warn('W_NETWORK_OVERLAP', `network ${net.name} (${String(net.network)}) of ${clusterName} overlaps target network ${t.n.name} (${String(t.n.network)})`,
          source, [describe('network', net.name, net.uuid), describe('network', t.n.name, t.n.uuid)]);
      }
    }
  }
}

/** Applies the network plan of a clean step: adds copied/renamed networks, ORs absorbed ones. */
export function applyNetworks({ merged, index, source, now, f: { report } }: StepContext, plan: NetworkPlan): void {
  for (const { network, name } of plan.add) {
    if (name !== network.name) {
      report.renamedNetworks.push({ source, uuid: network.uuid, from: network.name, to: name });
      network.name = name;
    }
    merged.networks[network.uuid] = network;
    index.addNetwork(network);
  }
  for (const m of plan.merges) {
    report.absorbedNetworks.push({ source, uuid: m.incoming.uuid, name: m.incoming.name, into: m.target.uuid, intoName: m.target.name });
    if (m.reservations === m.target.reservations && m.extReservations === m.target.ext_reservations) continue;
    m.target.reservations = m.reservations;
    m.target.ext_reservations = m.extReservations;
    m.target.serial_no = (typeof m.target.serial_no === 'number' ? m.target.serial_no : 0) + 1;
    m.target.mtime = now;
  }
}
