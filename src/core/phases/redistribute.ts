/** Phase 12: push the merged configuration to every node. */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';

export const redistribute: Phase = {
  id: 'redistribute',
  async run(ctx) {
    await ctx.run(ctx.facts().target.master, ganeti.redistConf());
  },
};
