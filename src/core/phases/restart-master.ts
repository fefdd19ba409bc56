/** Phase 13: restart the target master normally (with voting), now that every node is a member. */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';
import { waitForMaster } from './common';

export const restartMaster: Phase = {
  id: 'restart-master',
  async run(ctx) {
    const master = ctx.facts().target.master;
    await ctx.run(master, ganeti.daemonUtil('stop-master'));
    await ctx.run(master, ganeti.daemonUtil('start-master'));
    await waitForMaster(ctx, master);
  },
};
