/**
 * Known fields of every typed object of config.data 2.16–3.1 (spec 1.5, 2.x tables, the real
 * 3.0 fixture and Ganeti's object definitions). Ganeti's readers reject any other key in a
 * typed object, so unknown keys are reported (W_UNKNOWN_FIELD / E_UNKNOWN_FIELD, spec 5.4).
 * Free-form maps (hvparams, ndparams, …) are values of known keys and are never inspected.
 */
import type { Finding, GanetiConfig, Json, JsonObject } from '../types';
import { diskPathSuffix, walkDisk } from './disk-walk';

const TIMESTAMPS = ['ctime', 'mtime'];
/** Fields Ganeti bumps on every change of an object: they say when, not what (a diff may hide them). */
export const BOOKKEEPING_FIELDS: readonly string[] = ['serial_no', ...TIMESTAMPS];
const TAGGED = ['uuid', 'tags', ...BOOKKEEPING_FIELDS];

export const KNOWN_FIELDS = {
  topLevel: ['version', 'cluster', 'nodes', 'nodegroups', 'instances', 'networks', 'disks', 'filters', 'serial_no', ...TIMESTAMPS],
  cluster: [
    ...TAGGED, 'rsahostkeypub', 'dsahostkeypub', 'highest_used_port', 'tcpudp_port_pool', 'mac_prefix',
    'volume_group_name', 'reserved_lvs', 'drbd_usermode_helper', 'master_node', 'master_ip', 'master_netdev',
    'master_netmask', 'use_external_mip_script', 'cluster_name', 'file_storage_dir', 'shared_file_storage_dir',
    'gluster_storage_dir', 'enabled_hypervisors', 'hvparams', 'ipolicy', 'os_hvp', 'beparams', 'osparams',
    'osparams_private_cluster', 'nicparams', 'ndparams', 'diskparams', 'candidate_pool_size', 'modify_etc_hosts',
    'modify_ssh_setup', 'maintain_node_health', 'uid_pool', 'default_iallocator', 'default_iallocator_params',
    'hidden_os', 'blacklisted_os', 'primary_ip_family', 'prealloc_wipe_disks', 'hv_state_static',
    'disk_state_static', 'enabled_disk_templates', 'candidate_certs', 'max_running_jobs', 'max_tracked_jobs',
    'install_image', 'instance_communication_network', 'zeroing_image', 'compression_tools',
    'enabled_user_shutdown', 'data_collectors', 'ssh_key_type', 'ssh_key_bits',
  ],
  node: [
    ...TAGGED, 'name', 'primary_ip', 'secondary_ip', 'master_candidate', 'offline', 'drained', 'group',
    'master_capable', 'vm_capable', 'ndparams', 'powered', 'hv_state_static', 'disk_state_static',
  ],
  nodegroup: [
    ...TAGGED, 'name', 'members', 'ndparams', 'diskparams', 'ipolicy', 'hv_state_static', 'disk_state_static',
    'alloc_policy', 'networks',
  ],
  instance: [
    ...TAGGED, 'name', 'primary_node', 'os', 'hypervisor', 'hvparams', 'beparams', 'osparams', 'osparams_private',
    'admin_state', 'admin_state_source', 'nics', 'disks', 'disks_active', 'network_port', 'forthcoming',
  ],
  nic: ['uuid', 'name', 'mac', 'ip', 'network', 'nicparams'],
  disk: [
    'uuid', 'name', 'dev_type', 'logical_id', 'children', 'nodes', 'iv_name', 'size', 'mode', 'params', 'spindles',
    'serial_no', 'forthcoming', ...TIMESTAMPS,
  ],
  network: [
    ...TAGGED, 'name', 'mac_prefix', 'network', 'network6', 'gateway', 'gateway6', 'reservations', 'ext_reservations',
  ],
  filter: ['uuid', 'watermark', 'priority', 'predicates', 'action', 'reason_trail'],
} as const;

export type ObjectKind = keyof typeof KNOWN_FIELDS;

/** Python attributes that are never persisted; WConfd rejects them (spec 1.5, I-5). */
export const FORBIDDEN_KEYS = {
  cluster: ['default_bridge', 'default_hypervisor'],
  instance: ['secondary_nodes', 'disks_info', 'disk_template'],
  nic: ['netinfo', 'pci', 'hvinfo'],
  disk: ['dynamic_params', 'pci', 'hvinfo', 'physical_id'],
} as const;

const KNOWN_SETS: { [K in ObjectKind]: ReadonlySet<string> } = Object.fromEntries(
  Object.entries(KNOWN_FIELDS).map(([k, v]) => [k, new Set<string>(v)]),
) as unknown as { [K in ObjectKind]: ReadonlySet<string> };

export function isKnownField(kind: ObjectKind, key: string): boolean {
  return KNOWN_SETS[kind].has(key);
}

export interface UnknownFieldOptions {
  /** strict parameter mode: unknown fields are errors (E_UNKNOWN_FIELD) … */
  strict?: boolean;
  /** … unless the operator allowed them. */
  allowUnknownFields?: boolean;
  source?: string;
}

export interface UnknownField {
  kind: ObjectKind;
  key: string;
  /** JSON path, e.g. `instances.<uuid>.nics[0].netinfo`. */
  path: string;
  forbidden: boolean;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ".nics[<i>]" for the usual NIC indexes, built once. */
const NIC_SUFFIXES = Array.from({ length: 16 }, (_, i) => `.nics[${i}]`);

/** Every unknown key of every typed object, in document order. */
export function listUnknownFields(c: GanetiConfig): UnknownField[] {
  const out: UnknownField[] = [];
  const forbidden = FORBIDDEN_KEYS as { [kind: string]: readonly string[] };
  // The object's path is prefix + key + suffix, joined only when it has an unknown key (most have
  // none): no path string or closure per object of a 30k-object map.
  const scan = (kind: ObjectKind, value: JsonObject, prefix: string, key = '', suffix = ''): void => {
    const known = KNOWN_SETS[kind];
    for (const field in value) {
      if (known.has(field)) continue;
      const at = `${prefix}${key}${suffix}`;
      out.push({ kind, key: field, path: at === '' ? field : `${at}.${field}`, forbidden: forbidden[kind]?.includes(field) ?? false });
    }
  };
  const each = (map: Json | undefined, fn: (uuid: string, v: JsonObject) => void): void => {
    if (!isObject(map)) return;
    for (const uuid in map) {
      const v = map[uuid];
      if (isObject(v)) fn(uuid, v);
    }
  };
  scan('topLevel', c, '');
  if (isObject(c.cluster)) scan('cluster', c.cluster, 'cluster');
  each(c.nodes, (u, v) => scan('node', v, 'nodes.', u));
  each(c.nodegroups, (u, v) => scan('nodegroup', v, 'nodegroups.', u));
  each(c.instances, (u, v) => {
    scan('instance', v, 'instances.', u);
    const nics = v.nics;
    if (!Array.isArray(nics)) return;
    for (let i = 0; i < nics.length; i++) {
      const nic = nics[i];
      if (isObject(nic)) scan('nic', nic, 'instances.', u, i < NIC_SUFFIXES.length ? NIC_SUFFIXES[i] : `.nics[${i}]`);
    }
  });
  each(c.disks, (u, v) => {
    if (Array.isArray(v.children)) walkDisk(v, (d, p) => scan('disk', d, 'disks.', u, diskPathSuffix(p)));
    else scan('disk', v, 'disks.', u);
  });
  each(c.networks, (u, v) => scan('network', v, 'networks.', u));
  each(c.filters, (u, v) => scan('filter', v, 'filters.', u));
  return out;
}

const LISTED_PATHS = 5;

/**
 * One finding per (object kind, key) listing every path (spec 5.4): W_UNKNOWN_FIELD, or
 * E_UNKNOWN_FIELD in strict mode without allowUnknownFields. `listed`: listUnknownFields(c), when
 * the caller has it already.
 */
export function unknownFieldFindings(c: GanetiConfig, opts: UnknownFieldOptions = {}, listed: UnknownField[] = listUnknownFields(c)): Finding[] {
  const groups = new Map<string, UnknownField[]>();
  for (const f of listed) {
    const id = `${f.kind}\u0000${f.key}`;
    const group = groups.get(id);
    if (group) group.push(f);
    else groups.set(id, [f]);
  }
  const asError = opts.strict === true && opts.allowUnknownFields !== true;
  const findings: Finding[] = [];
  for (const fields of groups.values()) {
    const { kind, key, forbidden } = fields[0];
    const paths = fields.map((f) => f.path);
    const shown = paths.slice(0, LISTED_PATHS).join(', ') + (paths.length > LISTED_PATHS ? `, … (${paths.length} in total)` : '');
    const why = forbidden ? 'a runtime-only field Ganeti never persists' : 'not a field of this object type';
    const finding: Finding = {
      code: asError ? 'E_UNKNOWN_FIELD' : 'W_UNKNOWN_FIELD',
      severity: asError ? 'error' : 'warning',
      message: `unknown ${kind} field "${key}" (${why}; Ganeti will likely refuse the file): ${shown}`,
      objects: paths,
    };
    if (opts.source !== undefined) finding.source = opts.source;
    findings.push(finding);
  }
  return findings;
}
