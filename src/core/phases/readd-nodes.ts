/**
 * Phase 11: `gnt-node add --readd` of every mergee node on the target master. One node at a time:
 * node adds take Ganeti's cluster-wide locks anyway, and the lab-proven procedure is serial.
 */
import { ganeti } from '../remote';
import { allMergeeNodes } from '../merger/facts';
import type { Phase } from '../merger/phase';

export const readdNodes: Phase = {
  id: 'readd-nodes',
  async run(ctx) {
    const master = ctx.facts().target.master;
    const nodes = allMergeeNodes(ctx.facts());
    let n = 0;
    for (const node of nodes) {
      ctx.checkpoint();
      const record = ctx.intend('readd', node);
      n++;
      if (record.done) continue;
      ctx.progress(`re-adding ${node}`, n - 1, nodes.length);
      await ctx.run(master, ganeti.nodeReadd(node));
      ctx.confirm(record);
      ctx.progress(`re-added ${node}`, n, nodes.length);
    }
  },
};
