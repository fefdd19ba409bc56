/**
 * Phase 14: start instances by policy: all, only those that ran before the merge (up), or none.
 * Only instances that are not running yet are named: the target's instances ran throughout, and
 * every name costs Ganeti a job (luxid forks job processes one at a time, ~1 s each on a small
 * master), so `--all` spent most of this phase on no-op startups. Re-running after an interruption
 * asks again and names only what still does not run.
 */
import { ganeti } from '../remote';
import type { Phase } from '../merger/phase';

export const startInstances: Phase = {
  id: 'start-instances',
  async run(ctx) {
    const master = ctx.facts().target.master;
    const policy = ctx.options.restart;
    if (policy === 'none') return;
    const wanted = policy === 'up'
      ? new Set(ctx.records('running-instances', 'stop-instances').flatMap((r) => (r.data.names as string[] | undefined) ?? []))
      : undefined;
    if (wanted && wanted.size === 0) return;
    const listed = await ctx.run(master, ganeti.instanceList());
    // Exactly "running": ERROR_up runs but is marked down, and startup marks it up.
    const down = listed.filter((i) => i.status !== 'running' && (!wanted || wanted.has(i.name))).map((i) => i.name);
    const record = ctx.intend('instances-started', master, { policy, names: down });
    if (down.length) {
      ctx.progress(`starting ${down.length} instance(s)`);
      await ctx.run(master, ganeti.instanceStartup({ names: down }));
    }
    ctx.confirm(record);
  },
};
