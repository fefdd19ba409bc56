/** Phase 10 (Ganeti's point of no return): start the target master on the merged config, without voting. */
import { ganeti } from '../remote';
import { NotApprovedError, type Phase } from '../merger/phase';
import { waitForMaster } from './common';

export const startMasterNoVoting: Phase = {
  id: 'start-master-no-voting',
  async run(ctx) {
    const { target } = ctx.facts();
    const rerun = ctx.records('master-started').length > 0;
    if (!rerun) {
      const approved = await ctx.prompter.confirm({ id: 'point-of-no-return', master: target.master, summary: ctx.facts().mergeSummary });
      if (!approved) throw new NotApprovedError('the operator did not approve passing the point of no return');
    }
    const record = ctx.intend('master-started', target.master);
    // An interrupted earlier attempt may have left them running: start-master on running daemons fails.
    if (rerun) await ctx.run(target.master, ganeti.daemonUtil('stop-master'));
    await ctx.run(target.master, ganeti.startMasterNoVoting(target.major));
    await waitForMaster(ctx, target.master);
    ctx.confirm(record);
  },
  // Undone by the full rollback (src/core/phases/full-rollback.ts).
};
