/**
 * Storage identities and pending objects: I-30 (external volumes, namespace U12), per-node
 * LVs and local files (namespace U11) and I-31 (forthcoming objects).
 */
import { type Lazy, type VerifyContext, describeObject, list, resolve, str } from './context';
import { type DiskTreePath, diskPathSuffix, walkDisk } from '../model/disk-walk';
import type { JsonObject } from '../types';

type StorageRule = 'I-30' | 'U11';
/**
 * Receives one identity of a disk level. `node` is the node of node-local storage; with the
 * level it is all describeIdentity needs (descriptions are only built for findings).
 */
type IdentityVisitor = (rule: StorageRule, id: string, d: JsonObject, node: string | undefined) => void;

function stringNodes(d: JsonObject): string[] {
  return list(d.nodes).filter((n): n is string => typeof n === 'string');
}

/** Calls `visit` for each identity string of one disk level; several for node-local storage (one per node). */
export function forEachStorageIdentity(d: JsonObject, visit: IdentityVisitor): void {
  const lid = list(d.logical_id);
  const a = str(lid[0]);
  const b = str(lid[1]);
  if (a === undefined || b === undefined) return;
  switch (d.dev_type) {
    case 'rbd':
      return visit('I-30', `rbd\u0000${b}`, d, undefined);
    case 'ext':
      return visit('I-30', `ext\u0000${a}\u0000${b}`, d, undefined);
    case 'sharedfile':
    case 'gluster':
      return visit('I-30', `path\u0000${b}`, d, undefined);
    case 'blockdev':
      return visit('I-30', `blockdev\u0000${stringNodes(d).sort().join(',')}\u0000${b}`, d, undefined);
    case 'plain':
      for (let i = 0, nodes = list(d.nodes); i < nodes.length; i++) {
        const n = nodes[i];
        if (typeof n === 'string') visit('U11', `lv\u0000${n}\u0000${a}/${b}`, d, n);
      }
      return;
    case 'file':
      for (let i = 0, nodes = list(d.nodes); i < nodes.length; i++) {
        const n = nodes[i];
        if (typeof n === 'string') visit('U11', `file\u0000${n}\u0000${b}`, d, n);
      }
      return;
    default:
      return;
  }
}

/** What an identity of forEachStorageIdentity is, in words ("LV xenvg/x on node n"). */
function describeIdentity(d: JsonObject, node: string | undefined): string {
  const lid = list(d.logical_id);
  const a = str(lid[0]);
  const b = str(lid[1]);
  switch (d.dev_type) {
    case 'rbd': return `rbd volume ${b}`;
    case 'ext': return `ext volume ${a}/${b}`;
    case 'sharedfile':
    case 'gluster': return `${String(d.dev_type)} path ${b}`;
    case 'blockdev': return `block device ${b}`;
    case 'plain': return `LV ${a}/${b} on node ${node}`;
    default: return `file ${b} on node ${node}`;
  }
}

/** Identity strings of one disk level, as a list (for tests and reports). */
export function storageIdentities(d: JsonObject): Array<{ rule: StorageRule; id: string; shown: string }> {
  const out: Array<{ rule: StorageRule; id: string; shown: string }> = [];
  forEachStorageIdentity(d, (rule, id, level, node) => out.push({ rule, id, shown: describeIdentity(level, node) }));
  return out;
}

export function checkStorageIdentities(ctx: VerifyContext): void {
  const owner = new Map<string, Lazy>();
  // One visitor for the whole run; the current disk is held in these variables.
  let uuid = '';
  let disk: JsonObject = {};
  let path: DiskTreePath = [];
  const claim: IdentityVisitor = (rule, id, level, node) => {
    const earlier = owner.get(id);
    if (earlier === undefined) {
      const [u, top, p] = [uuid, disk, path];
      owner.set(id, () => `${describeObject('disk', top, u)}${diskPathSuffix(p)}`);
      return;
    }
    // Two levels of one tree never share storage either, so no exemption for the same disk.
    const [a, b] = [resolve(earlier), `${describeObject('disk', disk, uuid)}${diskPathSuffix(path)}`];
    ctx.fail(rule, `${describeIdentity(level, node)} used by ${a} and ${b}`, [a, b]);
  };
  const visitLevel = (d: JsonObject, p: DiskTreePath): void => {
    path = p;
    forEachStorageIdentity(d, claim);
  };
  for (let at = 0, all = ctx.entries('disks'); at < all.keys.length; at++) {
    uuid = all.keys[at];
    disk = all.values[at];
    walkDisk(disk, visitLevel);
  }
}

export function checkForthcoming(ctx: VerifyContext): void {
  if (ctx.opts.allowForthcoming) return;
  for (let at = 0, all = ctx.entries('instances'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const inst = all.values[at];
    if (inst.forthcoming === true) {
      const who = describeObject('instance', inst, uuid);
      ctx.fail('I-31', `${who} is forthcoming (placeholder of an unfinished job); finish or cancel pending jobs first`, [who]);
    }
  }
  for (let at = 0, all = ctx.entries('disks'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const disk = all.values[at];
    if (disk.forthcoming === true) {
      const who = describeObject('disk', disk, uuid);
      ctx.fail('I-31', `${who} is forthcoming (placeholder of an unfinished job); finish or cancel pending jobs first`, [who]);
    }
  }
}
