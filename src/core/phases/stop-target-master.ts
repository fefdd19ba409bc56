/**
 * Phase 8: stop the target's master daemons so its config.data can be replaced. Undo restarts
 * them with a stop first: after a failed or interrupted stop they may still run, and start-master
 * on running daemons fails ("matching only on non-root pidfile ... is insecure").
 */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';
import { waitForMaster } from './common';

export const stopTargetMaster: Phase = {
  id: 'stop-target-master',
  async run(ctx) {
    const master = ctx.facts().target.master;
    const record = ctx.intend('master-stopped', master);
    await ctx.run(master, ganeti.daemonUtil('stop-master'));
    ctx.confirm(record);
  },
  async undo(ctx) {
    for (const record of ctx.records('master-stopped')) {
      if (record.undone) continue;
      await ctx.run(record.host, ganeti.daemonUtil('stop-master'));
      await ctx.run(record.host, ganeti.daemonUtil('start-master'));
      await waitForMaster(ctx, record.host);
      ctx.journal.markUndone(record);
    }
  },
};
