/**
 * Phase 17: the target master's key added in phase 2 stays: Ganeti's own ssh setup of the merged
 * cluster needs it on every node. Snapshots and local copies are kept so the merge can still be
 * rolled back; forgetMerge() (`ganeti-merge forget`) deletes them once the operator is satisfied.
 */
import type { Phase } from '../merger/phase';

export const cleanup: Phase = {
  id: 'cleanup',
  async run(ctx) {
    const kept = ctx.records('authorized-key', 'authorize-target-master').filter((r) => r.data.added === true).length;
    ctx.progress(`kept the target master's key on ${kept} node(s) (Ganeti manages it now); snapshots kept for rollback`);
  },
};
