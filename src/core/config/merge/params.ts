/**
 * Step A.4–A.6: cluster parameter compatibility of one incoming cluster against the merged
 * target, and the (few) cluster fields the merge changes. Checks only; changes are returned
 * as a plan and applied by applyClusterParams once the whole incoming step is clean.
 */
import { checkEffectiveParams, type InstancePin } from './effective-params';
import { Findings } from './report';
import { byString, firstDifference, isJsonObject, jsonEqual, objectOrEmpty, own, showValue } from '../json/values';
import type { Cluster, GanetiConfig, Json, JsonObject } from '../types';
import type { StepContext } from './step-context';

export interface ClusterParamPlan {
  reservedLvsToAdd: string[];
  preallocWipeDisks: boolean | null;
  osparamsToAdd: [string, Json][];
  osparamsPrivateToAdd: [string, Json][];
  osHvpToAdd: [string, Json][];
  templatesToAdd: string[];
  /** A.6 pinDefaults: values to write into incoming instances/NICs */
  pins: InstancePin[];
}

/** Absent and null (and, for these fields, empty) mean the same to Ganeti. */
const ABSENT_IS_EMPTY_LIST = new Set(['hidden_os', 'uid_pool', 'reserved_lvs', 'tags']);

function norm(v: Json | undefined): Json {
  return v === undefined ? null : v;
}

function asSet(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort(byString) : [];
}

const STRICT_SCALARS = ['default_iallocator', 'drbd_usermode_helper', 'maintain_node_health',
  'master_netdev', 'primary_ip_family', 'uid_pool'];
const STRICT_SETS = ['hidden_os', 'tags'];
const INFORMATIONAL = ['blacklisted_os', 'candidate_pool_size', 'mac_prefix', 'master_netmask',
  'use_external_mip_script', 'default_iallocator_params', 'ipolicy', 'data_collectors',
  'max_running_jobs', 'max_tracked_jobs', 'compression_tools', 'install_image', 'zeroing_image',
  'hv_state_static', 'disk_state_static'];
const STORAGE_DIRS: [string, string][] = [['file_storage_dir', 'file'],
  ['shared_file_storage_dir', 'sharedfile'], ['gluster_storage_dir', 'gluster']];

/** Checks A.4/A.5 (and A.6 in warn mode); returns what to change on the target cluster. */
export function checkClusterParams({ merged: target, incoming, source, options, f }: StepContext): ClusterParamPlan {
  const t = target.cluster;
  const c = incoming.cluster;
  const strict = options.params === 'strict';
  const name = String(c.cluster_name);
  const msg = (path: string, inc: string, tgt: string) =>
    `cluster parameter ${path}: incoming ${name} has ${inc}, target has ${tgt}`;
  const differ = (path: string, a: Json | undefined, b: Json | undefined) => msg(path, showValue(a), showValue(b));
  const always = (path: string, a: Json | undefined, b: Json | undefined) =>
    f.error('E_PARAM_CONFLICT', differ(path, a, b), source, [`cluster.${path}`]);
  const strictDiff = (path: string, a: Json | undefined, b: Json | undefined) =>
    f.strictOr(strict, 'E_PARAM_CONFLICT', 'W_PARAM_DIFF', differ(path, a, b), source, [`cluster.${path}`]);
  const info = (path: string, text: string) => f.warn('W_PARAM_DIFF', text, source, [`cluster.${path}`]);

  // Hypervisors.
  const tHvs = (t.enabled_hypervisors ?? []) as string[];
  const cHvs = (c.enabled_hypervisors ?? []) as string[];
  if (!jsonEqual(asSet(tHvs), asSet(cHvs))) always('enabled_hypervisors', cHvs, tHvs);
  else if (tHvs[0] !== cHvs[0]) {
    info('enabled_hypervisors', `${differ('enabled_hypervisors[0]', cHvs[0], tHvs[0])} (new instances use the target default)`);
  }
  const tHv = objectOrEmpty(t.hvparams);
  const cHv = objectOrEmpty(c.hvparams);
  for (const hv of tHvs) diffLeaves(`hvparams.${hv}`, objectOrEmpty(own(cHv, hv)), objectOrEmpty(own(tHv, hv)), 1, strictDiff);
  for (const inst of Object.values(incoming.instances)) {
    if (!tHvs.includes(inst.hypervisor)) {
      f.error('E_PARAM_CONFLICT', `instance ${inst.name} of ${name} uses hypervisor ${inst.hypervisor}, not enabled on the target`,
        source, [`instances.${inst.uuid}.hypervisor`]);
    }
  }

  // os_hvp: compared where both sides know the OS; OSes only on the incoming side are copied.
  const tOsHvp = objectOrEmpty(t.os_hvp);
  const cOsHvp = objectOrEmpty(c.os_hvp);
  const osHvpToAdd: [string, Json][] = [];
  for (const os of Object.keys(cOsHvp).sort(byString)) {
    if (!Object.hasOwn(tOsHvp, os)) { osHvpToAdd.push([os, cOsHvp[os]]); continue; }
    for (const hv of tHvs) {
      diffLeaves(`os_hvp.${os}.${hv}`, objectOrEmpty(own(objectOrEmpty(cOsHvp[os]), hv)),
        objectOrEmpty(own(objectOrEmpty(tOsHvp[os]), hv)), 1, strictDiff);
    }
  }

  // Inherited defaults.
  diffLeaves('beparams', objectOrEmpty(c.beparams), objectOrEmpty(t.beparams), 2, strictDiff);
  diffLeaves('nicparams', objectOrEmpty(c.nicparams), objectOrEmpty(t.nicparams), 2, strictDiff);
  diffLeaves('ndparams', objectOrEmpty(c.ndparams), objectOrEmpty(t.ndparams), 1, strictDiff);

  for (const key of STRICT_SCALARS) {
    const a = ABSENT_IS_EMPTY_LIST.has(key) ? c[key] ?? [] : norm(c[key]);
    const b = ABSENT_IS_EMPTY_LIST.has(key) ? t[key] ?? [] : norm(t[key]);
    if (!jsonEqual(a, b)) strictDiff(key, c[key], t[key]);
  }
  for (const key of STRICT_SETS) if (!jsonEqual(asSet(c[key]), asSet(t[key]))) strictDiff(key, c[key], t[key]);
  checkIpFamily(t, incoming, source, f);

  // Storage locations.
  if (!jsonEqual(norm(c.volume_group_name), norm(t.volume_group_name))) always('volume_group_name', c.volume_group_name, t.volume_group_name);
  const tTemplates = (t.enabled_disk_templates ?? []) as string[];
  const cTemplates = (c.enabled_disk_templates ?? []) as string[];
  for (const [key, template] of STORAGE_DIRS) {
    const used = tTemplates.includes(template) || cTemplates.includes(template);
    if (used && !jsonEqual(norm(c[key]), norm(t[key]))) always(key, c[key], t[key]);
  }
  const usedTemplates = new Set<string>();
  for (const d of Object.values(incoming.disks)) if (typeof d.dev_type === 'string') usedTemplates.add(d.dev_type);
  const templatesToAdd: string[] = [];
  for (const tpl of [...usedTemplates].sort(byString)) {
    if (tTemplates.includes(tpl)) continue;
    if (options.extendDiskTemplates) {
      templatesToAdd.push(tpl);
      info('enabled_disk_templates', `disk template ${tpl} used by ${name} is appended to the target's enabled_disk_templates; ipolicy["disk-templates"] may need extending`);
    } else {
      f.error('E_DISK_TEMPLATE_DISABLED', `disk template ${tpl} is used by disks of ${name} but not enabled on the target (enabled: ${tTemplates.join(', ')}); use --extend-disk-templates`,
        source, ['cluster.enabled_disk_templates']);
    }
  }
  const tDp = objectOrEmpty(t.diskparams);
  const cDp = objectOrEmpty(c.diskparams);
  for (const tpl of [...new Set([...Object.keys(tDp), ...Object.keys(cDp)])].sort(byString)) {
    const report = usedTemplates.has(tpl) ? strictDiff : (p: string, a: Json | undefined, b: Json | undefined) => info(p, differ(p, a, b));
    diffLeaves(`diskparams.${tpl}`, objectOrEmpty(own(cDp, tpl)), objectOrEmpty(own(tDp, tpl)), 1, report);
  }

  // OS parameters: union, conflicts compared (private values never shown).
  const osparamsToAdd = unionByOs(objectOrEmpty(c.osparams), objectOrEmpty(t.osparams),
    (os, a, b) => strictDiff(`osparams.${os}`, a, b));
  const osparamsPrivateToAdd = unionByOs(objectOrEmpty(c.osparams_private_cluster), objectOrEmpty(t.osparams_private_cluster),
    (os) => f.strictOr(strict, 'E_PARAM_CONFLICT', 'W_PARAM_DIFF',
      msg(`osparams_private_cluster.${os}`, '<private value differs>', '<private value differs>'), source,
      [`cluster.osparams_private_cluster.${os}`]));

  const tLvs = (Array.isArray(t.reserved_lvs) ? t.reserved_lvs : []) as string[];
  const reservedLvsToAdd = (Array.isArray(c.reserved_lvs) ? c.reserved_lvs as string[] : []).filter((lv) => !tLvs.includes(lv));

  let preallocWipeDisks: boolean | null = null;
  if (norm(c.prealloc_wipe_disks) !== norm(t.prealloc_wipe_disks)) {
    preallocWipeDisks = true;
    info('prealloc_wipe_disks', `${differ('prealloc_wipe_disks', c.prealloc_wipe_disks, t.prealloc_wipe_disks)}; the merged cluster uses true (the safer value)`);
  }
  for (const key of ['modify_etc_hosts', 'modify_ssh_setup']) {
    if (!jsonEqual(norm(c[key]), norm(t[key]))) info(key, `${differ(key, c[key], t[key])}; target value kept`);
  }
  for (const key of ['ssh_key_type', 'ssh_key_bits']) {
    if (!jsonEqual(norm(c[key]), norm(t[key]))) info(key, `${differ(key, c[key], t[key])}; re-added nodes will receive the target's key type`);
  }
  if (!jsonEqual(norm(c.enabled_user_shutdown), norm(t.enabled_user_shutdown))
    && Object.values(incoming.instances).some((i) => i.admin_state_source === 'user')) {
    info('enabled_user_shutdown', `${differ('enabled_user_shutdown', c.enabled_user_shutdown, t.enabled_user_shutdown)}; instances shut down by their user will be treated differently`);
  }
  if (!jsonEqual(norm(c.instance_communication_network ?? ''), norm(t.instance_communication_network ?? ''))) {
    info('instance_communication_network', `${differ('instance_communication_network', c.instance_communication_network, t.instance_communication_network)}; target value kept`);
  }
  for (const key of INFORMATIONAL) {
    if (jsonEqual(norm(c[key]), norm(t[key]))) continue;
    const d = firstDifference(c[key], t[key], key);
    info(key, `${differ(d.path, d.a, d.b)}; target value kept`);
  }
  // In strict mode a differing default is already an E_PARAM_CONFLICT: nothing to list or pin.
  const pins = strict ? [] : checkEffectiveParams(t, incoming, options.pinDefaults, source, f);
  return { reservedLvsToAdd, preallocWipeDisks, osparamsToAdd, osparamsPrivateToAdd, osHvpToAdd, templatesToAdd, pins };
}

/** Reports each differing leaf of two parameter maps, descending `depth` object levels. */
function diffLeaves(path: string, a: JsonObject, b: JsonObject, depth: number,
  report: (path: string, a: Json | undefined, b: Json | undefined) => void): void {
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byString)) {
    const va = own(a, k);
    const vb = own(b, k);
    if (depth > 1 && (isJsonObject(va) || isJsonObject(vb))) {
      diffLeaves(`${path}.${k}`, objectOrEmpty(va), objectOrEmpty(vb), depth - 1, report);
    } else if (!jsonEqual(norm(va), norm(vb))) {
      report(`${path}.${k}`, va, vb);
    }
  }
}

function unionByOs(inc: JsonObject, tgt: JsonObject, conflict: (os: string, a: Json, b: Json) => void): [string, Json][] {
  const add: [string, Json][] = [];
  for (const os of Object.keys(inc).sort(byString)) {
    if (!Object.hasOwn(tgt, os)) add.push([os, inc[os]]);
    else if (!jsonEqual(inc[os], tgt[os])) conflict(os, inc[os], tgt[os]);
  }
  return add;
}

function checkIpFamily(t: Cluster, incoming: GanetiConfig, source: string, f: Findings): void {
  const family = t.primary_ip_family ?? 2;
  for (const node of Object.values(incoming.nodes)) {
    for (const key of ['primary_ip', 'secondary_ip']) {
      const ip = node[key];
      if (typeof ip !== 'string' || (family === 10) === ip.includes(':')) continue;
      f.error('E_PARAM_CONFLICT', `node ${node.name} of ${incoming.cluster.cluster_name} has ${key} ${ip}, not of the target's IP family ${String(family)}`,
        source, [`nodes.${node.uuid}.${key}`]);
    }
  }
}

/** Applies the cluster changes of one clean incoming step to the merged cluster. */
export function applyClusterParams(cluster: Cluster, plan: ClusterParamPlan): void {
  if (plan.reservedLvsToAdd.length > 0) {
    cluster.reserved_lvs = [...(Array.isArray(cluster.reserved_lvs) ? cluster.reserved_lvs : []), ...plan.reservedLvsToAdd];
  }
  if (plan.preallocWipeDisks !== null) cluster.prealloc_wipe_disks = plan.preallocWipeDisks;
  const addAll = (key: string, entries: [string, Json][]) => {
    if (entries.length === 0) return;
    const map = isJsonObject(cluster[key]) ? cluster[key] as JsonObject : (cluster[key] = {});
    for (const [os, value] of entries) map[os] = value;
  };
  addAll('osparams', plan.osparamsToAdd);
  addAll('osparams_private_cluster', plan.osparamsPrivateToAdd);
  addAll('os_hvp', plan.osHvpToAdd);
  for (const tpl of plan.templatesToAdd) {
    if (!cluster.enabled_disk_templates.includes(tpl)) cluster.enabled_disk_templates.push(tpl);
  }
}
