/**
 * The whole inventory of a lab cluster as Ganeti's own gnt-* commands show it (explicit `-o`
 * fields, read on the master from outside, independent of the code under test): nodes with group,
 * flags and role; groups; networks with subnet, gateway, reservations and the groups they are
 * connected to; instances with primary node, admin and real run state, NICs, disks and tags;
 * cluster tags. Every value is kept as Ganeti prints it, so two captures compare byte for byte.
 *
 * `expectedUnion` says what the target must show after a merge: the inputs' union with exactly the
 * renames and absorptions the plan announced (the journal's merge summary) and the changes the spec
 * makes to every merged node (3.5: flags reset, re-added by Ganeti), nothing else.
 */

/** One object's fields, as Ganeti prints them (lists comma-joined). */
export type Row = Record<string, string>;

export interface Inventory {
  clusterTags: string[];
  nodes: Record<string, Row>;
  groups: Record<string, Row>;
  networks: Record<string, Row>;
  instances: Record<string, Row>;
}

const FIELDS = {
  nodes: ['name', 'group', 'role', 'master_candidate', 'drained', 'offline', 'master_capable', 'vm_capable', 'tags'],
  groups: ['name', 'alloc_policy', 'tags'],
  networks: ['name', 'network', 'gateway', 'network6', 'gateway6', 'mac_prefix', 'free_count', 'reserved_count', 'map',
    'external_reservations', 'group_list', 'tags'],
  instances: ['name', 'pnode', 'admin_state', 'oper_state', 'status', 'nic.macs', 'nic.ips', 'nic.networks.names', 'nic.links',
    'nic.modes', 'disk_template', 'disk.sizes', 'tags'],
} as const;

const SEP = '|';
const LIST = {
  nodes: 'gnt-node list',
  groups: 'gnt-group list',
  networks: 'gnt-network list',
  instances: 'gnt-instance list --units=m',
} as const;

/** Shell lines (for the master) printing the inventory as `@inv_KIND` sections (see lab-state's `sections`). */
export const INVENTORY_SCRIPT = [
  ...Object.entries(LIST).map(([kind, cmd]) =>
    `echo "@inv_${kind}"; ${cmd} --no-headers --separator='${SEP}' -o ${FIELDS[kind as keyof typeof LIST].join(',')}`),
  'echo "@inv_cluster_tags"; gnt-cluster list-tags',
].join('\n');

/** Builds the inventory from the `@inv_*` sections. */
export function parseInventory(sections: Record<string, string[]>): Inventory {
  const table = (kind: keyof typeof FIELDS): Record<string, Row> => {
    const out: Record<string, Row> = {};
    for (const line of sections[`inv_${kind}`] ?? []) {
      const values = line.split(SEP);
      if (values.length !== FIELDS[kind].length) throw new Error(`inventory: ${kind} line with ${values.length} fields: ${line}`);
      const row: Row = {};
      FIELDS[kind].forEach((f, i) => (row[f] = values[i]));
      // Ganeti lists a network's groups in config order, which a merge may change: compare them sorted
      if (kind === 'networks') row.group_list = groupList(row.group_list).sort().join(', ');
      out[row.name] = row;
    }
    return out;
  };
  return {
    clusterTags: [...(sections.inv_cluster_tags ?? [])].sort(),
    nodes: table('nodes'),
    groups: table('groups'),
    networks: table('networks'),
    instances: table('instances'),
  };
}

/** What the plan announced, parsed from the journal's merge summary (summarizeMerge). */
export interface Announced {
  /** "cluster/name" of an incoming group or network -> its name in the target. */
  groups: Map<string, string>;
  networks: Map<string, string>;
  /** Incoming NICs whose MAC was regenerated. */
  regeneratedMacs: number;
  /** The plan's restart policy: `all` starts every instance (admin-down ones too), `up` those that ran. */
  restart: string;
}

/** Reads the "groups renamed/absorbed", "networks renamed/absorbed" and "MACs regenerated" lines. */
export function announcedChanges(summary: string, restart: string): Announced {
  if (restart !== 'all' && restart !== 'up') throw new Error(`expectedUnion: restart=${restart} is not modelled`);
  const out: Announced = { groups: new Map(), networks: new Map(), regeneratedMacs: 0, restart };
  for (const line of summary.split('\n')) {
    const m = /^(groups|networks) (renamed|absorbed): (.*)$/.exec(line);
    if (m) {
      for (const item of m[3].split(', ')) {
        // renamed: "name (cluster) -> new name"; absorbed: "name (cluster)", into the target's same-named one
        const r = /^(\S+) \((\S+)\)(?: -> (\S+))?$/.exec(item);
        if (!r || (m[2] === 'renamed') !== (r[3] !== undefined)) throw new Error(`merge summary: cannot read "${item}" in "${line}"`);
        out[m[1] as 'groups' | 'networks'].set(`${r[2]}/${r[1]}`, r[3] ?? r[1]);
      }
    }
    const macs = /^MACs regenerated: (\d+)$/.exec(line);
    if (macs) out.regeneratedMacs = Number(macs[1]);
  }
  return out;
}

const list = (v: string) => (v === '' ? [] : v.split(','));
/** "default (bridged, gnt-br0, ), rack2 (bridged, gnt-br0, )" -> one entry per group. */
const groupList = (v: string) => (v === '' ? [] : v.split(/(?<=\)), /));
/** nic.networks.names prints a Python list ("[None, 'labnet']"): renames the quoted names. */
const renameNetworks = (v: string, rename: (n: string) => string) => v.replace(/'([^']*)'/g, (_, n: string) => `'${rename(n)}'`);

/**
 * The target's inventory after merging `mergees` (cluster name -> pre-merge inventory) into
 * `target`: every incoming object under the name the plan announced (unannounced: unchanged);
 * absorbed groups vanish, absorbed networks OR their reservation maps into the target's; merged
 * nodes re-added by Ganeti (online, not drained, master candidates if master capable: the lab's
 * clusters are within Ganeti's default candidate pool of 10) with their tags (spec 3.5's
 * procedure keeps every node field it does not name; its 2.2 table's "tags reset" is not what
 * the engine or the spec's procedure does); the cluster
 * tags stay the target's. MACs differ only where the plan announced regenerated ones. Run
 * states as before the merge, or all running under restart=all.
 */
export function expectedUnion(target: Inventory, mergees: Record<string, Inventory>, announced: Announced): Inventory {
  const out: Inventory = structuredClone(target);
  for (const [cluster, inv] of Object.entries(mergees)) {
    const groupName = (g: string) => announced.groups.get(`${cluster}/${g}`) ?? g;
    const netName = (n: string) => announced.networks.get(`${cluster}/${n}`) ?? n;
    for (const g of Object.values(inv.groups)) {
      const name = groupName(g.name);
      if (out.groups[name]) continue; // absorbed: the target's group and its fields stay
      out.groups[name] = { ...g, name };
    }
    for (const n of Object.values(inv.networks)) {
      const name = netName(n.name);
      const groups = groupList(n.group_list).map((entry) => entry.replace(/^\S+/, (g) => groupName(g)));
      const mine = out.networks[name];
      if (!mine) {
        out.networks[name] = { ...n, name, group_list: groups.sort().join(', ') };
        continue;
      }
      const map = [...mine.map].map((c, i) => (c === 'X' || n.map[i] === 'X' ? 'X' : c)).join('');
      const reserved = [...map].filter((c) => c === 'X').length;
      mine.map = map;
      mine.reserved_count = String(reserved);
      mine.free_count = String(map.length - reserved);
      mine.group_list = [...new Set([...groupList(mine.group_list), ...groups])].sort().join(', ');
      const ext = new Set([...mine.external_reservations.split(', '), ...n.external_reservations.split(', ')].filter((x) => x !== '' && x !== '-'));
      const ipValue = (ip: string) => ip.split('.').reduce((v, o) => v * 256 + Number(o), 0);
      if (ext.size) mine.external_reservations = [...ext].sort((a, b) => ipValue(a) - ipValue(b)).join(', ');
    }
    for (const n of Object.values(inv.nodes)) {
      // master_capable is copied (spec 3.5), and only a master-capable node becomes a candidate
      const candidate = n.master_capable === 'Y';
      out.nodes[n.name] = { ...n, group: groupName(n.group), role: candidate ? 'C' : 'R', master_candidate: candidate ? 'Y' : 'N', drained: 'N', offline: 'N' };
    }
    for (const i of Object.values(inv.instances)) {
      out.instances[i.name] = { ...i, 'nic.networks.names': renameNetworks(i['nic.networks.names'], netName) };
    }
  }
  if (announced.restart === 'all') {
    for (const i of Object.values(out.instances)) Object.assign(i, { admin_state: 'up', oper_state: 'Y', status: 'running' });
  }
  return out;
}

/** Blanks the MACs of incoming instances when the plan announced regenerated ones, returning how many differ. */
export function maskRegeneratedMacs(expected: Inventory, actual: Inventory, announced: Announced): number {
  let differ = 0;
  for (const [name, row] of Object.entries(expected.instances)) {
    const got = actual.instances[name];
    if (!got) continue;
    const a = list(row['nic.macs']);
    const b = list(got['nic.macs']);
    differ += a.filter((m, i) => m !== b[i]).length;
    if (announced.regeneratedMacs > 0) row['nic.macs'] = got['nic.macs'];
  }
  return differ;
}
