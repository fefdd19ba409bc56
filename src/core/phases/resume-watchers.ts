/** Phase 15: the merged cluster's watcher runs again. */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';

export const resumeWatchers: Phase = {
  id: 'resume-watchers',
  async run(ctx) {
    await ctx.run(ctx.facts().target.master, ganeti.watcherContinue());
  },
};
