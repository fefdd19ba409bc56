/**
 * Phase 3: record which mergee instances run (before stopping them), then stop them all; with
 * stopping disabled only check that none runs. Undo starts exactly the recorded ones.
 */
import { ganeti } from '../remote';
import { PhaseCheckError, type Phase } from '../merger/phase';

export const stopInstances: Phase = {
  id: 'stop-instances',
  async run(ctx) {
    await ctx.forEach(ctx.facts().mergees, async (cluster) => {
      const listed = await ctx.run(cluster.master, ganeti.instanceList());
      // On a re-run the first record keeps what ran before the merge touched anything.
      const record = ctx.intend('running-instances', cluster.master, { cluster: cluster.name, names: listed.filter((i) => i.running).map((i) => i.name) });
      if (ctx.options.stopInstances && listed.some((i) => i.running)) {
        ctx.progress(`${cluster.name}: shutting down ${listed.filter((i) => i.running).length} instance(s)`);
        await ctx.run(cluster.master, ganeti.instanceShutdown({ all: true }));
      }
      const still = (await ctx.run(cluster.master, ganeti.instanceList())).filter((i) => i.running).map((i) => i.name);
      if (still.length) throw new PhaseCheckError(`${cluster.name}: instance(s) still running: ${still.join(', ')}`);
      ctx.confirm(record);
    });
  },
  async undo(ctx) {
    await ctx.forEach(ctx.records('running-instances'), async (record) => {
      const names = (record.data.names as string[] | undefined) ?? [];
      if (record.undone) return;
      if (names.length && ctx.options.stopInstances) await ctx.run(record.host, ganeti.instanceStartup({ names }));
      ctx.journal.markUndone(record);
    });
  },
};
