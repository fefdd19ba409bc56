/**
 * Step G check (spec 3.9, section 4): the merged config must pass every single-config
 * invariant (H1's verifyConfig) and the cross-input ones only a merger can check:
 * I-6 serials, I-11 cluster unchanged, I-14 fresh ports in range, I-32 conservation,
 * I-33 copied objects unchanged. Any failure is E_RESULT_INVALID: a merger bug.
 */
import { FORBIDDEN_KEYS } from './fields';
import type { MergeInput } from './merge-inputs';
import { isJsonObject, jsonEqual } from './merge-json';
import { FIRST_DRBD_PORT, LAST_DRBD_PORT } from './merge-ports';
import type { Findings } from './merge-report';
import type { GanetiConfig, Json, JsonObject } from './types';
import { verifyConfig } from './verify';

/** What the fold did, as needed to predict the output. */
export interface FoldRecord {
  /** per incoming input: network uuid -> merged uuid, group uuid -> merged uuid */
  networkMaps: Map<string, string>[];
  groupMaps: Map<string, string>[];
  /** "<instance uuid>/<nic index>" of NICs whose MAC was regenerated */
  regeneratedNics: Set<string>;
  freshPorts: number[];
  copiedFilters: number;
}

/** I-11: the only cluster fields a merge may change. */
const CLUSTER_MUTABLE = new Set(['reserved_lvs', 'prealloc_wipe_disks', 'osparams', 'osparams_private_cluster', 'os_hvp',
  'enabled_disk_templates', 'tcpudp_port_pool', 'highest_used_port', 'serial_no', 'mtime']);

export function checkResult(merged: GanetiConfig, target: MergeInput, incoming: MergeInput[], fold: FoldRecord,
  allowUnknownFields: boolean, f: Findings): void {
  const bad = (message: string, objects?: string[]) => f.error('E_RESULT_INVALID', `merged configuration: ${message}`, 'merged', objects);
  for (const finding of verifyConfig(merged, { allowUnknownFields, inputVersion: target.config.version, allowForthcoming: true, source: 'merged' })) {
    bad(finding.message, finding.objects);
  }
  const t = target.config;
  if (!(merged.serial_no > t.serial_no)) bad(`I-6: serial_no ${merged.serial_no} is not above the target's ${t.serial_no}`);
  if (!(Number(merged.cluster.serial_no) > Number(t.cluster.serial_no))) bad('I-6: cluster serial_no was not increased');
  for (const key of new Set([...Object.keys(merged.cluster), ...Object.keys(t.cluster)])) {
    if (!CLUSTER_MUTABLE.has(key) && !jsonEqual(merged.cluster[key], t.cluster[key])) bad(`I-11: cluster field ${key} changed`, [`cluster.${key}`]);
  }
  const outside = fold.freshPorts.filter((p) => p < FIRST_DRBD_PORT || p > LAST_DRBD_PORT);
  if (outside.length > 0) bad(`I-14: ports allocated outside ${FIRST_DRBD_PORT}-${LAST_DRBD_PORT}: ${outside.slice(0, 10).join(', ')}`);
  checkConservation(merged, target, incoming, fold, bad);
  checkCopiesUnchanged(merged, incoming, fold, !allowUnknownFields, bad);
}

function checkConservation(merged: GanetiConfig, target: MergeInput, incoming: MergeInput[], fold: FoldRecord,
  bad: (m: string) => void): void {
  const inputs = [target.config, ...incoming.map((i) => i.config)];
  const count = (k: 'nodes' | 'instances' | 'disks') => inputs.reduce((n, c) => n + Object.keys(c[k]).length, 0);
  for (const k of ['nodes', 'instances', 'disks'] as const) {
    const n = Object.keys(merged[k]).length;
    if (n !== count(k)) bad(`I-32: ${n} ${k} in the result, ${count(k)} in the inputs`);
    for (const c of inputs) for (const u of Object.keys(c[k])) if (!(u in merged[k])) bad(`I-32: ${k} ${u} is missing`);
  }
  const kept = (maps: Map<string, string>[]) => maps.reduce((n, m) => n + [...m].filter(([a, b]) => a === b).length, 0);
  const expect = [
    ['nodegroups', Object.keys(target.config.nodegroups).length + kept(fold.groupMaps)],
    ['networks', Object.keys(target.config.networks).length + kept(fold.networkMaps)],
    ['filters', Object.keys(target.config.filters).length + fold.copiedFilters],
  ] as const;
  for (const [k, n] of expect) {
    const got = Object.keys(merged[k]).length;
    if (got !== n) bad(`I-32: ${got} ${k} in the result, expected ${n}`);
  }
}

/** I-33: copied instances and disks equal their input except the fields the merge owns. */
function checkCopiesUnchanged(merged: GanetiConfig, incoming: MergeInput[], fold: FoldRecord, stripped: boolean,
  bad: (m: string, o?: string[]) => void): void {
  // Keys Ganeti never persists are dropped from copies unless unknown fields are allowed.
  const instanceOwned = stripped ? new Set([...INSTANCE_OWNED, ...FORBIDDEN_KEYS.instance]) : INSTANCE_OWNED;
  const nicOwned = stripped ? new Set([...NIC_OWNED, ...FORBIDDEN_KEYS.nic]) : NIC_OWNED;
  const diskOwned = stripped ? new Set([...DISK_OWNED, ...FORBIDDEN_KEYS.disk]) : DISK_OWNED;
  incoming.forEach(({ config }, k) => {
    const netMap = fold.networkMaps[k];
    for (const [uuid, orig] of Object.entries(config.instances)) {
      const out = merged.instances[uuid];
      if (!out) continue;
      if (!equalExcept(out, orig, instanceOwned)) bad(`I-33: instance ${orig.name} changed beyond the merge-owned fields`, [`instances.${uuid}`]);
      const nics = Array.isArray(orig.nics) ? orig.nics : [];
      nics.forEach((nic, i) => {
        const got = out.nics[i];
        const regenerated = fold.regeneratedNics.has(`${uuid}/${i}`);
        const network = typeof nic.network === 'string' && nic.network !== '' ? netMap.get(nic.network) : nic.network;
        if (!got || !equalExcept(got, nic, nicOwned) || (!regenerated && got.mac !== nic.mac) || got.network !== network) {
          bad(`I-33: NIC ${i} of instance ${orig.name} changed beyond MAC/network remapping`, [`instances.${uuid}.nics[${i}]`]);
        }
      });
    }
    for (const [uuid, orig] of Object.entries(config.disks)) {
      const out = merged.disks[uuid];
      if (out && !diskEqualExceptPorts(out, orig, diskOwned)) bad(`I-33: disk ${uuid} changed beyond its DRBD port, serial_no and mtime`, [`disks.${uuid}`]);
    }
  });
}

const INSTANCE_OWNED = new Set(['serial_no', 'ctime', 'mtime', 'network_port', 'nics']);
const NIC_OWNED = new Set(['mac', 'network']);
const DISK_OWNED = new Set(['serial_no', 'mtime']);

function equalExcept(a: JsonObject, b: JsonObject, owned: Set<string>): boolean {
  for (const k in a) if (!owned.has(k) && !jsonEqual(a[k], b[k])) return false;
  for (const k in b) if (!owned.has(k) && !(k in a)) return false;
  return true;
}

function diskEqualExceptPorts(a: Json, b: Json, owned: Set<string>): boolean {
  if (!isJsonObject(a) || !isJsonObject(b)) return jsonEqual(a, b);
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (owned.has(k)) continue;
    const x = a[k];
    const y = b[k];
    if (k === 'logical_id' && a.dev_type === 'drbd' && Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => i !== 2 && !jsonEqual(v, y[i]))) return false;
    } else if (k === 'children' && Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => !diskEqualExceptPorts(v, y[i], owned))) return false;
    } else if (!jsonEqual(x, y)) {
      return false;
    }
  }
  return true;
}
