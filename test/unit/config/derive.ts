/**
 * Derives a second, distinct cluster from a config (spec 5.2): all sample fixtures describe the
 * same cluster, so merging two of them is a self-merge. This gives every object a new uuid and
 * rewrites every reference (spec 2.10), and renames nodes/instances and renumbers IPs/MACs.
 * The input is not modified.
 */
import type { GanetiConfig, Json, JsonObject } from '../../../src/core/config/types';
import { isDrbd, walkDisk } from '../../../src/core/config/model/disk-walk';
import { hashString, hexByte, SeededRandom } from './generator-random';

export interface DeriveOptions {
  /** New cluster name; "beta" becomes "beta.example.com". */
  name: string;
  seed?: number;
  /** First two octets of the new host IPs (default derived from the name). */
  ipBase?: string;
  /** MAC prefix of the renumbered NICs (default derived from the name). */
  macPrefix?: string;
}

const UUID_TOKEN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object members of a map or list. */
function objects(container: Json | undefined): JsonObject[] {
  if (Array.isArray(container)) return container.filter(isObject);
  return isObject(container) ? Object.values(container).filter(isObject) : [];
}

export function deriveDistinctCluster(source: GanetiConfig, opts: DeriveOptions): GanetiConfig {
  const c = structuredClone(source);
  const nameHash = hashString(opts.name);
  const rnd = new SeededRandom(hashString(`derive\u0000${opts.name}\u0000${opts.seed ?? 1}`));
  const domain = opts.name.includes('.') ? opts.name : `${opts.name}.example.com`;
  const ipBase = opts.ipBase ?? `10.${nameHash & 255}`;
  const macPrefix = opts.macPrefix ?? `aa:${hexByte(nameHash >>> 8)}:${hexByte(nameHash >>> 16)}`;
  const uuids = new Map<string, string>();
  const fresh = (old: string): string => {
    let u = uuids.get(old);
    if (u === undefined) {
      u = rnd.uuid();
      uuids.set(old, u);
    }
    return u;
  };
  const ref = (v: Json | undefined): Json | undefined => (typeof v === 'string' ? fresh(v) : v);
  const rekey = (map: Json | undefined): { [k: string]: JsonObject } => {
    const out: { [k: string]: JsonObject } = {};
    for (const value of objects(map)) {
      value.uuid = fresh(String(value.uuid));
      out[value.uuid] = value;
    }
    return out;
  };
  const rename = (name: Json | undefined): string => `${String(name).split('.')[0]}.${domain}`;

  const cl = c.cluster as JsonObject;
  cl.uuid = rnd.uuid();
  cl.cluster_name = domain;
  cl.master_node = ref(cl.master_node) as Json;
  cl.master_ip = `${ipBase}.0.1`;
  cl.mac_prefix = macPrefix;
  const certs: JsonObject = {};
  for (const [node, digest] of Object.entries(isObject(cl.candidate_certs) ? cl.candidate_certs : {})) certs[fresh(node)] = digest;
  cl.candidate_certs = certs;

  c.nodes = rekey(c.nodes) as GanetiConfig['nodes'];
  Object.values(c.nodes).forEach((node, k) => {
    const samePrimary = node.secondary_ip === node.primary_ip;
    node.name = rename(node.name);
    node.group = ref(node.group) as string;
    node.primary_ip = `${ipBase}.0.${k + 2}`;
    node.secondary_ip = samePrimary ? node.primary_ip : `${ipBase}.64.${k + 2}`;
  });
  c.nodegroups = rekey(c.nodegroups) as GanetiConfig['nodegroups'];
  for (const group of Object.values(c.nodegroups)) {
    const nets: JsonObject = {};
    for (const [net, params] of Object.entries(isObject(group.networks) ? group.networks : {})) nets[fresh(net)] = params;
    if (group.networks !== undefined) group.networks = nets;
  }
  c.networks = rekey(c.networks) as GanetiConfig['networks'];
  c.filters = rekey(c.filters);

  let macIndex = 0;
  c.instances = rekey(c.instances) as GanetiConfig['instances'];
  for (const inst of Object.values(c.instances)) {
    inst.name = rename(inst.name);
    inst.primary_node = ref(inst.primary_node) as string;
    inst.disks = (inst.disks ?? []).map((d) => fresh(d));
    for (const nic of objects(inst.nics as Json)) {
      if (typeof nic.uuid === 'string') nic.uuid = fresh(nic.uuid);
      if (typeof nic.network === 'string' && nic.network !== '') nic.network = fresh(nic.network);
      nic.mac = `${macPrefix}:${hexByte(macIndex >> 16)}:${hexByte(macIndex >> 8)}:${hexByte(macIndex)}`;
      macIndex++;
    }
  }

  c.disks = rekey(c.disks) as GanetiConfig['disks'];
  for (const disk of Object.values(c.disks)) {
    walkDisk(disk, (d, path) => {
      if (path.length > 0 && typeof d.uuid === 'string') d.uuid = fresh(d.uuid);
      if (Array.isArray(d.nodes)) d.nodes = d.nodes.map((n) => ref(n) as Json);
      const lid = d.logical_id;
      if (!Array.isArray(lid)) return;
      if (isDrbd(d)) {
        lid[0] = ref(lid[0]) as Json;
        lid[1] = ref(lid[1]) as Json;
        if (lid.length > 5) lid[5] = rnd.hex(20);
      } else if (typeof lid[1] === 'string') {
        // LV names and file paths embed random uuids: renew them so storage stays distinct.
        lid[1] = lid[1].replace(UUID_TOKEN, (u) => fresh(u));
      }
    });
  }
  return c;
}
