/** Cluster-level and node-flag invariants: I-7…I-10, I-20…I-22. */
import { type VerifyContext, describeObject, has, isInt, isObject, list, obj, str } from './context';
import type { Json } from '../types';

const IPOLICY_KEYS = new Set(['minmax', 'std', 'disk-templates', 'spindle-ratio', 'vcpu-ratio']);
const ACCESS_TEMPLATES = ['rbd', 'gluster', 'ext'];
const ACCESS_MODES = new Set(['kernelspace', 'userspace']);

export function checkCluster(ctx: VerifyContext): void {
  const cl = ctx.cluster;
  const hypervisors = list(cl.enabled_hypervisors);
  const hvparams = obj(cl.hvparams);
  if (hypervisors.length === 0) ctx.fail('I-7', 'cluster.enabled_hypervisors is empty');
  for (const hv of hypervisors) {
    if (typeof hv !== 'string' || !isObject(hvparams[hv])) {
      ctx.fail('I-7', `enabled hypervisor ${JSON.stringify(hv)} has no entry in cluster.hvparams`);
    }
  }
  if (list(cl.enabled_disk_templates).length === 0) ctx.fail('I-8', 'cluster.enabled_disk_templates is empty');

  const master = str(cl.master_node);
  if (master !== undefined) {
    const nodes = obj(ctx.config.nodes as Json);
    const node = has(nodes, master) ? nodes[master] : undefined;
    if (!isObject(node)) {
      ctx.fail('I-9', `cluster.master_node ${master} is not a key of nodes`);
    } else if (node.master_candidate !== true || node.offline === true || node.drained === true) {
      ctx.fail('I-9', `master node ${describeObject('node', node, master)} must be an online, undrained master candidate`, [
        describeObject('node', node, master),
      ]);
    }
  }

  if (cl.ipolicy !== undefined) {
    for (const key of Object.keys(obj(cl.ipolicy))) {
      if (!IPOLICY_KEYS.has(key)) ctx.fail('I-10', `cluster.ipolicy has the unexpected key "${key}"`);
    }
  }
  const diskparams = obj(cl.diskparams);
  for (const template of ACCESS_TEMPLATES) {
    const access = obj(diskparams[template]).access ?? 'kernelspace';
    if (typeof access !== 'string' || !ACCESS_MODES.has(access)) {
      ctx.fail('I-10', `cluster.diskparams.${template}.access is ${JSON.stringify(access)}; expected kernelspace or userspace`);
    }
  }
}

export function checkNodeFlags(ctx: VerifyContext): void {
  let candidates = 0;
  let eligible = 0;
  for (let at = 0, all = ctx.entries('nodes'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const node = all.values[at];
    const who = describeObject('node', node, uuid);
    const flags = (['master_candidate', 'drained', 'offline'] as const).filter((f) => node[f] === true);
    if (flags.length > 1) ctx.fail('I-20', `${who} has more than one of ${flags.join(', ')} set`, [who]);
    if (node.master_candidate === true) candidates++;
    if (node.offline !== true && node.drained !== true && node.master_capable !== false) eligible++;
    if (isObject(node.ndparams) && 'exclusive_storage' in node.ndparams) {
      ctx.fail('I-22', `${who} sets ndparams.exclusive_storage, which is a cluster/group-only parameter`, [who]);
    }
  }
  const poolSize = ctx.cluster.candidate_pool_size;
  if (isInt(poolSize)) {
    const wanted = Math.min(poolSize, eligible);
    if (candidates < wanted) {
      ctx.fail('I-21', `only ${candidates} master candidate(s); candidate_pool_size ${poolSize} and ${eligible} eligible node(s) require ${wanted}`);
    }
  }
}
