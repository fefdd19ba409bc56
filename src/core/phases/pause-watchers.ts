/** Phase 4: keep every cluster's watcher from "repairing" things mid-merge. */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';
import { retrying } from './common';

export const pauseWatchers: Phase = {
  id: 'pause-watchers',
  async run(ctx) {
    const masters = [ctx.facts().target.master, ...ctx.facts().mergees.map((m) => m.master)];
    await ctx.forEach(masters, async (master) => {
      const record = ctx.intend('watcher-paused', master);
      await ctx.run(master, ganeti.watcherPause(ctx.options.watcherPauseSeconds));
      ctx.confirm(record);
    });
  },
  async undo(ctx) {
    await ctx.forEach(ctx.records('watcher-paused'), async (record) => {
      if (record.undone) return;
      await retrying(ctx, `watcher continue on ${record.host}`, () => ctx.run(record.host, ganeti.watcherContinue()));
      ctx.journal.markUndone(record);
    });
  },
};
