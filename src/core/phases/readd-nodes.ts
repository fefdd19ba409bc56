/**
 * Phase 11: `gnt-node add --readd` of every mergee node on the target master. One node at a time:
 * node adds take Ganeti's cluster-wide locks anyway, and the lab-proven procedure is serial.
 */
import { ganeti } from '../remote';
import { allMergeeNodes } from '../merger/facts';
import type { Phase } from '../merger/phase';
import { READDED_NODES_KNOWN_HOSTS } from '../merger/work-files';
import { hostPublicKeys } from '../remote/commands/node-files';

export const readdNodes: Phase = {
  id: 'readd-nodes',
  async run(ctx) {
    const master = ctx.facts().target.master;
    const nodes = allMergeeNodes(ctx.facts());
    // Re-adding gives a node the target master's ssh host keys. Record them as that node's keys
    // before acting, so later sessions (rollback, resume after a crash) still trust the node.
    const keys = await ctx.run(master, hostPublicKeys());
    const lines = nodes.flatMap((node) => keys.map((key) => `${node} ${key.split(' ').slice(0, 2).join(' ')}`));
    ctx.files.write(READDED_NODES_KNOWN_HOSTS, `${lines.join('\n')}\n`);
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
