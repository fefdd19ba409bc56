/** Identifiers that two merged clusters must not share, for distinctness tests. */
import * as assert from 'assert';
import type { GanetiConfig } from '../../../src/core/config/types';
import { walkDisk } from '../../../src/core/config/model/disk-walk';

/** Every identifier that must not be shared between two clusters that are merged. */
export function identities(c: GanetiConfig): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>([['uuid', new Set()], ['name', new Set()], ['ip', new Set()], ['mac', new Set()], ['nicip', new Set()], ['storage', new Set()]]);
  const add = (kind: string, v: unknown): void => {
    if (typeof v === 'string') ids.get(kind)!.add(v.toLowerCase());
  };
  add('uuid', c.cluster.uuid);
  add('ip', c.cluster.master_ip);
  for (const n of Object.values(c.nodes)) {
    add('uuid', n.uuid);
    add('name', n.name);
    add('ip', n.primary_ip);
    add('ip', n.secondary_ip);
  }
  for (const g of Object.values(c.nodegroups)) add('uuid', g.uuid);
  for (const i of Object.values(c.instances)) {
    add('uuid', i.uuid);
    add('name', i.name);
    for (const nic of i.nics) {
      add('uuid', nic.uuid);
      add('mac', nic.mac);
      add('nicip', nic.ip);
    }
  }
  for (const d of Object.values(c.disks)) {
    walkDisk(d, (x) => {
      add('uuid', x.uuid);
      add('storage', (x.logical_id as string[])[1]);
    });
  }
  for (const n of Object.values(c.networks)) add('uuid', n.uuid);
  return ids;
}

export function assertDisjoint(a: GanetiConfig, b: GanetiConfig, ignore: string[] = []): void {
  const ia = identities(a);
  const ib = identities(b);
  for (const [kind, values] of ia) {
    if (ignore.includes(kind)) continue;
    const shared = [...values].filter((v) => ib.get(kind)!.has(v));
    assert.deepStrictEqual(shared, [], `${kind} shared between the clusters`);
  }
}
