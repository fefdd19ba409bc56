/**
 * Generates valid Ganeti clusters of any size for tests and the benchmark, modelled field for
 * field on Ganeti's 3.0 sample config. Everything that must be unique (uuids, names, IPs, MACs,
 * LV names, file paths, DRBD ports and minors) is unique within a cluster, and across clusters
 * with different names/seeds/ipBase/macPrefix. Deterministic for given options.
 */
import type { Disk, GanetiConfig, Instance, JsonObject, Network, Nic, Node, NodeGroup } from '../../../src/core/config/types';
import { SUPPORTED_VERSIONS } from '../../../src/core/config/version';
import { FIRST_DRBD_PORT, LAST_DRBD_PORT } from '../../../src/core/config/verify/ports';
import { clusterParameterTemplate } from './generator-template';
import { hashString, hexByte, SeededRandom } from './generator-random';

export interface GenerateOptions {
  /** Cluster name; "alpha" becomes "alpha.example.com". Must not contain whitespace. */
  name: string;
  nodes: number;
  instancesPerNode?: number;
  /** 2160000, 3000000 (default) or 3010000. */
  version?: number;
  seed?: number;
  /** Share of instances with a DRBD disk (default 0.3); needs at least 2 nodes. */
  drbdFraction?: number;
  /** Share of instances running on kvm with a console network_port (default 0). */
  networkPortFraction?: number;
  /** Add a network (the upper half of ipBase's /16) and put every second instance's NIC on it. */
  withNetwork?: boolean;
  /** MAC prefix "aa:bb:cc" (default derived from the name). */
  macPrefix?: string;
  /** First two octets of every IP of the cluster, e.g. "10.1" (default derived from the name). */
  ipBase?: string;
  /** Number of node groups (default 1, "default"); nodes are split into contiguous blocks. */
  groups?: number;
  /** Ports allocated and then freed again into tcpudp_port_pool (default 0). */
  freePorts?: number;
}

const CANDIDATE_POOL_SIZE = 10;
const MAX_NODES = 16000;
const MAX_NETWORK_NICS = 32000;

interface Ctx {
  rnd: SeededRandom;
  domain: string;
  ipBase: string;
  macPrefix: string;
  base: number;
  nextPort: number;
  minors: Map<string, number>;
}

function ipAt(ipBase: string, index: number): string {
  return `${ipBase}.${index >> 8}.${index & 255}`;
}

function allocatePort(ctx: Ctx): number {
  if (ctx.nextPort > LAST_DRBD_PORT) throw new Error('generateCluster: the DRBD/console port range 11000-14999 is exhausted; lower drbdFraction/networkPortFraction');
  return ctx.nextPort++;
}

function nextMinor(ctx: Ctx, node: string): number {
  const minor = ctx.minors.get(node) ?? 0;
  ctx.minors.set(node, minor + 1);
  return minor;
}

/** Evenly spread selection: exactly floor(count * fraction) of the indexes are chosen. */
function chosen(index: number, fraction: number): boolean {
  return Math.floor((index + 1) * fraction) > Math.floor(index * fraction);
}

function makeNodes(ctx: Ctx, count: number, groupUuids: string[]): Node[] {
  const nodes: Node[] = [];
  for (let k = 0; k < count; k++) {
    const t = ctx.base + k + 0.25;
    nodes.push({
      ctime: t,
      drained: false,
      group: groupUuids[Math.floor((k * groupUuids.length) / count)],
      master_candidate: k < CANDIDATE_POOL_SIZE,
      master_capable: true,
      mtime: t + 100,
      name: `node${k + 1}.${ctx.domain}`,
      ndparams: {},
      offline: false,
      powered: true,
      primary_ip: ipAt(ctx.ipBase, k + 2),
      secondary_ip: ipAt(ctx.ipBase, 16384 + k),
      serial_no: 1,
      tags: [],
      uuid: ctx.rnd.uuid(),
      vm_capable: true,
    });
  }
  return nodes;
}

function makeGroups(ctx: Ctx, count: number): NodeGroup[] {
  const groups: NodeGroup[] = [];
  for (let g = 0; g < count; g++) {
    groups.push({
      alloc_policy: 'preferred',
      ctime: ctx.base,
      diskparams: {},
      ipolicy: {},
      members: [],
      mtime: ctx.base + 1,
      name: g === 0 ? 'default' : `group${g + 1}`,
      ndparams: {},
      networks: {},
      serial_no: 1,
      tags: [],
      uuid: ctx.rnd.uuid(),
    });
  }
  return groups;
}

function baseDisk(ctx: Ctx, fields: JsonObject): JsonObject {
  return { ctime: ctx.base + 0.5, mtime: ctx.base + 0.5, params: {}, serial_no: 1, ...fields };
}

function plainDisk(ctx: Ctx, node: string, index: number, size: number): Disk {
  const uuid = ctx.rnd.uuid();
  return baseDisk(ctx, {
    dev_type: 'plain', iv_name: `disk/${index}`, logical_id: ['xenvg', `${ctx.rnd.uuid()}.disk${index}`],
    mode: 'rw', nodes: [node], size, uuid,
  }) as Disk;
}

function fileDisk(ctx: Ctx, node: string, instanceName: string, index: number, size: number): Disk {
  const uuid = ctx.rnd.uuid();
  return baseDisk(ctx, {
    dev_type: 'file', iv_name: `disk/${index}`,
    logical_id: ['loop', `/srv/ganeti/file-storage/${instanceName}/${uuid}.file.disk${index}`],
    mode: 'rw', nodes: [node], size, uuid,
  }) as Disk;
}

function drbdDisk(ctx: Ctx, primary: string, secondary: string, index: number, size: number): Disk {
  const lv = ctx.rnd.uuid();
  const nodes = [primary, secondary];
  const child = (suffix: string, childSize: number): JsonObject =>
    baseDisk(ctx, { dev_type: 'plain', logical_id: ['xenvg', `${lv}.disk${index}_${suffix}`], nodes: [...nodes], size: childSize, uuid: ctx.rnd.uuid() });
  const children = [child('data', size), child('meta', 128)];
  const port = allocatePort(ctx);
  const logicalId = [primary, secondary, port, nextMinor(ctx, primary), nextMinor(ctx, secondary), ctx.rnd.hex(20)];
  return baseDisk(ctx, {
    children, dev_type: 'drbd', iv_name: `disk/${index}`, logical_id: logicalId, mode: 'rw', nodes, size, uuid: ctx.rnd.uuid(),
  }) as Disk;
}

function makeMac(prefix: string, index: number): string {
  return `${prefix}:${hexByte(index >> 16)}:${hexByte(index >> 8)}:${hexByte(index)}`;
}

function makeNetwork(ctx: Ctx, shortName: string): { network: Network } {
  const size = 32768;
  const ext = new Array<string>(size).fill('0');
  ext[0] = '1';
  ext[size - 1] = '1';
  const network: Network = {
    ctime: ctx.base,
    ext_reservations: ext.join(''),
    mtime: ctx.base,
    name: `${shortName}-net`,
    network: `${ctx.ipBase}.128.0/17`,
    reservations: '0'.repeat(size),
    serial_no: 1,
    uuid: ctx.rnd.uuid(),
  };
  return { network };
}

function checkOptions(opts: GenerateOptions): void {
  if (/\s/.test(opts.name) || opts.name === '') throw new Error(`generateCluster: invalid cluster name ${JSON.stringify(opts.name)}`);
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > MAX_NODES) throw new Error(`generateCluster: nodes must be 1..${MAX_NODES}`);
  if (opts.version !== undefined && !SUPPORTED_VERSIONS.includes(opts.version)) throw new Error(`generateCluster: unsupported version ${opts.version}`);
  if (opts.ipBase !== undefined && !/^\d{1,3}\.\d{1,3}$/.test(opts.ipBase)) throw new Error('generateCluster: ipBase must look like "10.1"');
  if (opts.macPrefix !== undefined && !/^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/.test(opts.macPrefix)) throw new Error('generateCluster: macPrefix must look like "aa:bb:cc"');
}

export function generateCluster(opts: GenerateOptions): GanetiConfig {
  checkOptions(opts);
  const nameHash = hashString(opts.name);
  const seed = opts.seed ?? 1;
  const domain = opts.name.includes('.') ? opts.name : `${opts.name}.example.com`;
  const shortName = domain.split('.')[0];
  const ctx: Ctx = {
    rnd: new SeededRandom(hashString(`${opts.name}\u0000${seed}`)),
    domain,
    ipBase: opts.ipBase ?? `10.${nameHash & 255}`,
    macPrefix: opts.macPrefix ?? `aa:${hexByte(nameHash >>> 8)}:${hexByte(nameHash >>> 16)}`,
    base: 1_700_000_000 + (seed % 1000) * 1000,
    nextPort: FIRST_DRBD_PORT,
    minors: new Map(),
  };
  const groups = makeGroups(ctx, Math.max(1, opts.groups ?? 1));
  const nodes = makeNodes(ctx, opts.nodes, groups.map((g) => g.uuid));
  const net = opts.withNetwork ? makeNetwork(ctx, shortName) : undefined;
  if (net) groups[0].networks = { [net.network.uuid]: { link: 'br100', mode: 'bridged', vlan: '' } };
  const reservations = net ? (net.network.reservations as string).split('') : [];

  const instanceCount = opts.nodes * (opts.instancesPerNode ?? 2);
  const drbdFraction = opts.nodes >= 2 ? (opts.drbdFraction ?? 0.3) : 0;
  const portFraction = opts.networkPortFraction ?? 0;
  const instances: Instance[] = [];
  const disks: Disk[] = [];
  let networkNics = 0;
  let plainCount = 0;
  for (let j = 0; j < instanceCount; j++) {
    const p = j % opts.nodes;
    const primary = nodes[p].uuid;
    const name = `inst${j + 1}.${domain}`;
    const instDisks: Disk[] = [];
    const size = 1024 * (1 + (j % 8));
    if (chosen(j, drbdFraction)) {
      instDisks.push(drbdDisk(ctx, primary, nodes[(p + 1) % opts.nodes].uuid, 0, size));
    } else {
      // Every fifth non-DRBD instance uses file storage (independent of the DRBD spread).
      plainCount++;
      instDisks.push(plainCount % 5 === 0 ? fileDisk(ctx, primary, name, 0, size) : plainDisk(ctx, primary, 0, size));
      if (j % 5 === 4) instDisks.push(plainDisk(ctx, primary, 1, 2048));
    }
    const nic: Nic = { mac: makeMac(ctx.macPrefix, j), nicparams: {}, uuid: ctx.rnd.uuid() };
    if (net && j % 2 === 0 && networkNics < MAX_NETWORK_NICS) {
      const bit = 2 + networkNics++;
      nic.ip = ipAt(ctx.ipBase, 32768 + bit);
      nic.network = net.network.uuid;
      nic.nicparams = { link: 'br100', mode: 'bridged', vlan: '' };
      reservations[bit] = '1';
    }
    const consolePort = chosen(j, portFraction);
    const t = ctx.base + 10 + j;
    const instance: Instance = {
      admin_state: 'down',
      admin_state_source: 'admin',
      beparams: {},
      ctime: t,
      disks: instDisks.map((d) => d.uuid),
      disks_active: false,
      hvparams: {},
      hypervisor: consolePort ? 'kvm' : 'xen-pvm',
      mtime: t + 0.5,
      name,
      nics: [nic],
      os: j % 3 === 0 ? 'busybox' : 'debian-image',
      osparams: {},
      osparams_private: {},
      primary_node: primary,
      serial_no: 1,
      tags: [],
      uuid: ctx.rnd.uuid(),
    };
    if (consolePort) instance.network_port = allocatePort(ctx);
    instances.push(instance);
    disks.push(...instDisks);
  }
  const pool: number[] = [];
  for (let k = 0; k < (opts.freePorts ?? 0); k++) pool.push(allocatePort(ctx));
  if (net) net.network.reservations = reservations.join('');

  const master = nodes[0];
  const candidateCerts: JsonObject = {};
  for (const node of nodes) if (node.master_candidate) candidateCerts[node.uuid] = ctx.rnd.hex(32);
  const cluster = {
    ...clusterParameterTemplate(),
    candidate_certs: candidateCerts,
    cluster_name: domain,
    ctime: ctx.base,
    highest_used_port: ctx.nextPort - 1,
    mac_prefix: ctx.macPrefix,
    master_ip: ipAt(ctx.ipBase, 1),
    master_node: master.uuid,
    mtime: ctx.base + 5,
    serial_no: 10,
    tcpudp_port_pool: pool,
    uuid: ctx.rnd.uuid(),
  };
  const byUuid = <T extends { uuid: string }>(items: T[]): { [uuid: string]: T } => {
    const map: { [uuid: string]: T } = {};
    for (const item of items) map[item.uuid] = item;
    return map;
  };
  return {
    cluster: cluster as unknown as GanetiConfig['cluster'],
    ctime: ctx.base,
    disks: byUuid(disks),
    filters: {},
    instances: byUuid(instances),
    mtime: ctx.base + 20,
    networks: net ? byUuid([net.network]) : {},
    nodegroups: byUuid(groups),
    nodes: byUuid(nodes),
    serial_no: 100,
    version: opts.version ?? 3000000,
  };
}
