/** Uniqueness of names, uuids, MACs and host IPs: I-19, I-23…I-26, I-28 (namespaces U1–U7). */
import { type Lazy, type MapName, type VerifyContext, describeObject, forEachNic, isObject, list, lowerCase, resolve, str } from './context';
import { type DiskTreePath, diskPathSuffix, walkDisk } from '../model/disk-walk';
import { normalizeIp } from '../model/ipaddr';
import type { JsonObject } from '../types';
import { normalizeHostName, objectNameProblem } from '../../remote/names';
import { quoted } from '../../safe-text';

export const UUID_PATTERN = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/** Reports the second and later claims of one value, naming the first claimant. */
class UniqueIndex {
  private readonly first = new Map<string, Lazy>();

  constructor(
    private readonly ctx: VerifyContext,
    private readonly rule: string,
    private readonly what: string,
  ) {}

  claim(value: string, owner: Lazy, shown: string = value): void {
    const earlier = this.first.get(value);
    if (earlier === undefined) {
      this.first.set(value, owner);
      return;
    }
    const [a, b] = [resolve(earlier), resolve(owner)];
    this.ctx.fail(this.rule, `${this.what} ${shown} used by ${a} and ${b}`, [a, b]);
  }
}

const WHITESPACE = /\s/;

/** Node and instance names are host names: compared in Ganeti's normal form and held to its rules. */
const NAMED_KINDS: Array<[kind: string, map: MapName, hostName: boolean]> = [
  ['node', 'nodes', true],
  ['instance', 'instances', true],
  ['network', 'networks', false],
];

/** Why the name cannot be merged (I-25; host names also by Ganeti's own rules), or undefined. */
function nameProblem(name: string, hostName: boolean): string | undefined {
  if (hostName) return objectNameProblem(name);
  return WHITESPACE.test(name) ? 'contains whitespace' : undefined;
}

const nameKey = (name: string, hostName: boolean): string => (hostName ? normalizeHostName(lowerCase(name)) : name);

export function checkNames(ctx: VerifyContext): void {
  checkObjectNames(ctx);
  checkGroupNames(ctx);
}

function checkObjectNames(ctx: VerifyContext): void {
  for (const [kind, map, hostName] of NAMED_KINDS) {
    const index = new UniqueIndex(ctx, 'I-24', `${kind} name`);
    for (let at = 0, all = ctx.entries(map); at < all.keys.length; at++) {
      const uuid = all.keys[at];
      const value = all.values[at];
      const name = str(value.name);
      if (name === undefined) continue;
      // Descriptions are built only when a finding needs them.
      index.claim(nameKey(name, hostName), () => describeObject(kind, value, uuid), name);
      const problem = nameProblem(name, hostName);
      if (problem !== undefined) {
        const who = describeObject(kind, value, uuid);
        ctx.fail('I-25', `${who}: the name ${quoted(name)} ${problem}`, [who]);
      }
    }
  }
}

function checkGroupNames(ctx: VerifyContext): void {
  const groupNames = new UniqueIndex(ctx, 'I-23', 'node group name');
  for (let at = 0, all = ctx.entries('nodegroups'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const group = all.values[at];
    const name = str(group.name);
    if (name === undefined) {
      ctx.fail('I-23', `nodegroup ${uuid} has no name`, [`nodegroup ${uuid}`]);
      continue;
    }
    const who = describeObject('nodegroup', group, uuid);
    groupNames.claim(name, who);
    if (UUID_PATTERN.test(name.toLowerCase())) ctx.fail('I-23', `${who} has a name that looks like a UUID`, [who]);
    if (WHITESPACE.test(name)) ctx.fail('I-25', `${who} has whitespace in its name`, [who]);
  }
}

export function checkMacs(ctx: VerifyContext): void {
  const macs = new UniqueIndex(ctx, 'I-19', 'MAC');
  forEachNic(ctx, (nic, index, inst, uuid) => {
    if (typeof nic.mac !== 'string') return;
    macs.claim(lowerCase(nic.mac), () => `${describeObject('instance', inst, uuid)} NIC ${index}`, nic.mac);
  });
}

/** I-26: master IP, node primary IPs and distinct secondary IPs are pairwise distinct. */
export function checkHostIps(ctx: VerifyContext): void {
  const ips = new UniqueIndex(ctx, 'I-26', 'IP address');
  const masterIp = str(ctx.cluster.master_ip);
  if (masterIp !== undefined) ips.claim(normalizeIp(masterIp), 'cluster master_ip', masterIp);
  for (let at = 0, all = ctx.entries('nodes'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const node = all.values[at];
    const who = (): string => describeObject('node', node, uuid);
    const primary = str(node.primary_ip);
    const secondary = str(node.secondary_ip);
    if (primary !== undefined) ips.claim(normalizeIp(primary), () => `${who()} (primary_ip)`, primary);
    if (secondary !== undefined && secondary !== '' && secondary !== primary) {
      ips.claim(normalizeIp(secondary), () => `${who()} (secondary_ip)`, secondary);
    }
  }
}

/** One claim of the uuid namespace; `describe` names the claimant (only called for findings). */
type UuidVisitor = (uuid: string, describe: UuidOwner) => void;

/** What a uuid belongs to, described without a closure per object (there are ~5 per instance). */
interface UuidOwner {
  kind: string;
  value: JsonObject;
  /** the instance of a NIC, or the top-level disk of a child disk */
  parent?: JsonObject;
  nicIndex?: number;
  path?: DiskTreePath;
}

function describeUuidOwner(o: UuidOwner): string {
  if (o.nicIndex !== undefined) return describeObject(`NIC ${o.nicIndex} of instance ${str(o.parent?.name) ?? ''}`.trim(), o.value);
  if (o.path !== undefined) return `${describeObject('disk', o.value)} (child ${diskPathSuffix(o.path)} of ${str(o.parent?.uuid)})`;
  return describeObject(o.kind, o.value);
}

/** Every claim of namespace U1 in document order. One owner record is reused when `reuse` is set. */
function forEachUuid(ctx: VerifyContext, visit: UuidVisitor, reuse: boolean): void {
  const shared: UuidOwner = { kind: '', value: {} };
  const owner = (kind: string, value: JsonObject, parent?: JsonObject, nicIndex?: number, path?: DiskTreePath): UuidOwner => {
    if (!reuse) return { kind, value, parent, nicIndex, path };
    shared.kind = kind;
    shared.value = value;
    shared.parent = parent;
    shared.nicIndex = nicIndex;
    shared.path = path;
    return shared;
  };
  const claim = (kind: string, value: JsonObject): void => {
    if (typeof value.uuid === 'string') visit(value.uuid, owner(kind, value));
  };
  for (let at = 0, all = ctx.entries('nodes'); at < all.keys.length; at++) {
    const node = all.values[at];
    claim('node', node);
  }
  for (let at = 0, all = ctx.entries('nodegroups'); at < all.keys.length; at++) {
    const group = all.values[at];
    claim('nodegroup', group);
  }
  for (let at = 0, all = ctx.entries('instances'); at < all.keys.length; at++) {
    const inst = all.values[at];
    claim('instance', inst);
    const nics = list(inst.nics);
    for (let i = 0; i < nics.length; i++) {
      const nic = nics[i];
      if (isObject(nic) && typeof nic.uuid === 'string') visit(nic.uuid, owner('NIC', nic, inst, i));
    }
  }
  for (let at = 0, all = ctx.entries('disks'); at < all.keys.length; at++) {
    const disk = all.values[at];
    claim('disk', disk);
    // Children are rare (DRBD's LVs): only they pay for the tree walk and its paths.
    if (Array.isArray(disk.children)) {
      walkDisk(disk, (d, path) => {
        if (path.length > 0 && typeof d.uuid === 'string') visit(d.uuid, owner('disk', d, disk, undefined, path));
      });
    }
  }
  for (let at = 0, all = ctx.entries('networks'); at < all.keys.length; at++) {
    const net = all.values[at];
    claim('network', net);
  }
  for (let at = 0, all = ctx.entries('filters'); at < all.keys.length; at++) {
    const filter = all.values[at];
    claim('filter', filter);
  }
}

/**
 * I-28: one shared uuid namespace for every object kind (children only when they carry a uuid).
 * A first pass only looks for repeats in a Set; owners are recorded in a second pass, and only
 * when there is something to report.
 */
export function checkUuidNamespace(ctx: VerifyContext): void {
  const cl = ctx.cluster;
  const clusterUuid = typeof cl.uuid === 'string' ? lowerCase(cl.uuid) : undefined;
  const seen = new Set<string>();
  if (clusterUuid !== undefined) seen.add(clusterUuid);
  let repeated = false;
  forEachUuid(ctx, (uuid) => {
    const key = lowerCase(uuid);
    if (seen.has(key)) repeated = true;
    else seen.add(key);
  }, true);
  if (!repeated) return;
  const uuids = new UniqueIndex(ctx, 'I-28', 'uuid');
  if (clusterUuid !== undefined) uuids.claim(clusterUuid, `cluster ${str(cl.cluster_name) ?? ''}`.trim(), cl.uuid as string);
  forEachUuid(ctx, (uuid, owner) => uuids.claim(lowerCase(uuid), () => describeUuidOwner(owner), uuid), false);
}
