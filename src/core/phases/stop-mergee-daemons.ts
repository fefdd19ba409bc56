/**
 * Phase 7: stop every daemon on every mergee node; on Ganeti 3.x also move ssconf_cluster_name and
 * server.pem aside (else the re-add refuses: "Current cluster name is ...", "Given cluster
 * certificate does not match local key"). Undo moves them back and restarts the daemons (stop
 * first: after a failed or interrupted stop some may still run, and starting a running one fails).
 */
import { ganeti } from '../remote';
import { onlineNodes } from '../merger/facts';
import type { Phase } from '../merger/phase';
import { moveIdentityAside, moveIdentityBack } from '../remote/commands/node-files';

export const stopMergeeDaemons: Phase = {
  id: 'stop-mergee-daemons',
  async run(ctx) {
    const facts = ctx.facts();
    const nodes = facts.mergees.flatMap(onlineNodes);
    await ctx.forEach(nodes, async (node) => {
      const record = ctx.intend('daemons-stopped', node);
      await ctx.run(node, ganeti.daemonUtil('stop-all'));
      if (facts.target.major >= 3) await ctx.run(node, moveIdentityAside());
      ctx.confirm(record);
    });
  },
  async undo(ctx) {
    const records = ctx.records('daemons-stopped').filter((r) => !r.undone);
    await ctx.forEach(records, async (record) => {
      await ctx.run(record.host, moveIdentityBack());
      await ctx.run(record.host, ganeti.daemonUtil('stop-all'));
    });
    // All nodes of a cluster start together: a master with voting waits for its peers.
    await Promise.all(records.map((record) => ctx.run(record.host, ganeti.daemonUtil('start-all'))));
    for (const record of records) ctx.journal.markUndone(record);
  },
};
