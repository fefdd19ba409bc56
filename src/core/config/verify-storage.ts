/**
 * Storage identities and pending objects: I-30 (external volumes, namespace U12), per-node
 * LVs and local files (namespace U11) and I-31 (forthcoming objects).
 */
import { type Lazy, type VerifyContext, describeObject, list, resolve, str } from './verify-context';
import { diskPathSuffix, walkDisk } from './disk-walk';
import type { JsonObject } from './types';

/** Identity strings of one disk level; several for node-local storage (one per node). */
export function storageIdentities(d: JsonObject): Array<{ rule: 'I-30' | 'U11'; id: string; shown: string }> {
  const lid = list(d.logical_id);
  const a = str(lid[0]);
  const b = str(lid[1]);
  if (a === undefined || b === undefined) return [];
  const nodes = list(d.nodes).filter((n): n is string => typeof n === 'string');
  switch (d.dev_type) {
    case 'rbd':
      return [{ rule: 'I-30', id: `rbd\u0000${b}`, shown: `rbd volume ${b}` }];
    case 'ext':
      return [{ rule: 'I-30', id: `ext\u0000${a}\u0000${b}`, shown: `ext volume ${a}/${b}` }];
    case 'sharedfile':
    case 'gluster':
      return [{ rule: 'I-30', id: `path\u0000${b}`, shown: `${String(d.dev_type)} path ${b}` }];
    case 'blockdev':
      return [{ rule: 'I-30', id: `blockdev\u0000${[...nodes].sort().join(',')}\u0000${b}`, shown: `block device ${b}` }];
    case 'plain':
      return nodes.map((n) => ({ rule: 'U11' as const, id: `lv\u0000${n}\u0000${a}/${b}`, shown: `LV ${a}/${b} on node ${n}` }));
    case 'file':
      return nodes.map((n) => ({ rule: 'U11' as const, id: `file\u0000${n}\u0000${b}`, shown: `file ${b} on node ${n}` }));
    default:
      return [];
  }
}

export function checkStorageIdentities(ctx: VerifyContext): void {
  const owner = new Map<string, Lazy>();
  for (const [uuid, disk] of ctx.entries('disks')) {
    walkDisk(disk, (d, path) => {
      const who = (): string => `${describeObject('disk', disk, uuid)}${diskPathSuffix(path)}`;
      for (const { rule, id, shown } of storageIdentities(d)) {
        const earlier = owner.get(id);
        if (earlier === undefined) {
          owner.set(id, who);
          continue;
        }
        // Two levels of one tree never share storage either, so no exemption for the same disk.
        const [a, b] = [resolve(earlier), who()];
        ctx.fail(rule, `${shown} used by ${a} and ${b}`, [a, b]);
      }
    });
  }
}

export function checkForthcoming(ctx: VerifyContext): void {
  if (ctx.opts.allowForthcoming) return;
  for (const [uuid, inst] of ctx.entries('instances')) {
    if (inst.forthcoming === true) {
      const who = describeObject('instance', inst, uuid);
      ctx.fail('I-31', `${who} is forthcoming (placeholder of an unfinished job); finish or cancel pending jobs first`, [who]);
    }
  }
  for (const [uuid, disk] of ctx.entries('disks')) {
    if (disk.forthcoming === true) {
      const who = describeObject('disk', disk, uuid);
      ctx.fail('I-31', `${who} is forthcoming (placeholder of an unfinished job); finish or cancel pending jobs first`, [who]);
    }
  }
}
