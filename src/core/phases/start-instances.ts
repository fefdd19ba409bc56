/** Phase 14: start instances by policy: all, only those that ran before the merge (up), or none. */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';

export const startInstances: Phase = {
  id: 'start-instances',
  async run(ctx) {
    const master = ctx.facts().target.master;
    const policy = ctx.options.restart;
    if (policy === 'none') return;
    const names = policy === 'up'
      ? ctx.records('running-instances', 'stop-instances').flatMap((r) => (r.data.names as string[] | undefined) ?? [])
      : undefined;
    if (names && names.length === 0) return;
    const record = ctx.intend('instances-started', master, { policy, names: names ?? null });
    await ctx.run(master, ganeti.instanceStartup(names ? { names } : { all: true }));
    ctx.confirm(record);
  },
};
