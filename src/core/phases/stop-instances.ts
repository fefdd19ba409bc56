/**
 * Phase 3: record which mergee instances run (before stopping any), then stop those the stop
 * policy names (preflight's plan: all, only those the merge changes, or none); with `none` only
 * check that none runs. Undo starts exactly the instances this phase stopped.
 */
import { ganeti } from '../remote';
import { instancesToStop } from '../merger/facts';
import type { UndoRecord } from '../merger/journal';
import { PhaseCheckError, type Phase, type PhaseContext } from '../merger/phase';
import type { StopInstancesPolicy } from '../merger/types';

export const stopInstances: Phase = {
  id: 'stop-instances',
  async run(ctx) {
    const policy = ctx.options.stopInstances;
    await ctx.forEach(ctx.facts().mergees, async (cluster) => {
      const running = (await ctx.run(cluster.master, ganeti.instanceList())).filter((i) => i.running).map((i) => i.name);
      const stop = policy === 'none' ? [] : policy === 'all' ? running : instancesToStop(ctx.facts(), cluster.name, running);
      // On a re-run the first record keeps what ran before the merge touched anything.
      const record = ctx.intend('running-instances', cluster.master, { cluster: cluster.name, names: running, stopped: stop });
      const stopped = widenRecord(ctx, record, running, stop);
      ctx.progress(`${cluster.name}: shutting down ${stop.length} instance(s), keeping ${running.length - stop.length} running`);
      if (stop.length) await ctx.run(cluster.master, ganeti.instanceShutdown({ names: stop }));
      const still = (await ctx.run(cluster.master, ganeti.instanceList())).filter((i) => i.running && (policy === 'none' || stopped.includes(i.name))).map((i) => i.name);
      if (still.length) throw new PhaseCheckError(`${cluster.name}: instance(s) still running: ${still.join(', ')}`);
      ctx.confirm(record);
    });
  },
  async undo(ctx) {
    await ctx.forEach(ctx.records('running-instances'), async (record) => {
      if (record.undone) return;
      const stopped = stoppedBy(record, ctx.options.stopInstances);
      if (stopped.length) await ctx.run(record.host, ganeti.instanceStartup({ names: stopped }));
      ctx.journal.markUndone(record);
    });
  },
};

/**
 * The instances a `running-instances` record says this phase stopped. Journals from before the
 * stop policy recorded no `stopped`: with stopping on they stopped every running one, off none.
 */
function stoppedBy(record: UndoRecord, policy: StopInstancesPolicy): string[] {
  const stopped = record.data.stopped as string[] | undefined;
  return stopped ?? (policy === 'none' ? [] : (record.data.names as string[] | undefined) ?? []);
}

/**
 * A re-run (after a failure midway) may find instances running that the first attempt's record
 * does not name (started since) and stop them: they go into the record before the shutdown, so
 * the undo starts them, `--restart up` knows they ran, and keptRunning does not count them.
 * Returns the instances the record now says this phase stops.
 */
function widenRecord(ctx: PhaseContext, record: UndoRecord, running: string[], stop: string[]): string[] {
  const stopped = stoppedBy(record, ctx.options.stopInstances);
  const names = (record.data.names as string[] | undefined) ?? [];
  const newStops = stop.filter((n) => !stopped.includes(n));
  const newNames = running.filter((n) => !names.includes(n));
  if (newStops.length === 0 && newNames.length === 0) return stopped;
  ctx.journal.amendRecord(record, { names: [...names, ...newNames], stopped: [...stopped, ...newStops] });
  return [...stopped, ...newStops];
}

/** Mergee instances that ran before the merge and that Stop Instances did not stop. */
export function keptRunning(ctx: PhaseContext): Set<string> {
  return new Set(ctx.records('running-instances', 'stop-instances').flatMap((r) => {
    const stopped = new Set(stoppedBy(r, ctx.options.stopInstances));
    return ((r.data.names as string[] | undefined) ?? []).filter((n) => !stopped.has(n));
  }));
}
