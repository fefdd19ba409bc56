/** Phase 6: take the mergees' master IPs down (they would clash with nothing, but must not linger). */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';
import { retrying } from './common';

export const removeMasterIps: Phase = {
  id: 'remove-master-ips',
  async run(ctx) {
    await ctx.forEach(ctx.facts().mergees, async (cluster) => {
      const record = ctx.intend('master-ip-down', cluster.master, { cluster: cluster.name });
      await ctx.run(cluster.master, ganeti.deactivateMasterIp());
      ctx.confirm(record);
    });
  },
  async undo(ctx) {
    await ctx.forEach(ctx.records('master-ip-down'), async (record) => {
      if (record.undone) return;
      // Right after a restore the master daemons may still be starting.
      await retrying(ctx, `activate-master-ip on ${record.host}`, () => ctx.run(record.host, ganeti.activateMasterIp()));
      ctx.journal.markUndone(record);
    });
  },
};
