/** Phase 1: the target must verify clean before anything is merged into it. */
import { ganeti } from '../remote';
import { PhaseCheckError, type Phase, type PhaseContext } from '../merger/phase';

export async function verifyClean(ctx: PhaseContext, master: string, what: string): Promise<void> {
  const result = await ctx.run(master, ganeti.clusterVerify({ ignoreErrors: ctx.options.ignoredVerifyCodes }));
  for (const w of result.warnings) ctx.progress(`${what}: warning ${w.code ?? ''} ${w.objectName}: ${w.message}`);
  if (!result.ok || result.errors.length > 0 || result.failedJobs > 0) {
    // Exit 1 without findings: the command itself failed (no master, a broken binary), not the cluster.
    const errors = result.errors.slice(0, 5).map((e) => `${e.code ?? 'ERROR'} ${e.objectName}: ${e.message}`).join('; ')
      || (result.failedJobs === 0 ? 'it exited non-zero without reporting any finding (did it run?)' : '');
    throw new PhaseCheckError(`gnt-cluster verify on ${what} failed (${result.errors.length} error(s), ${result.failedJobs} failed job(s)): ${errors}`);
  }
}

export const verifyTarget: Phase = {
  id: 'verify-target',
  async run(ctx) {
    await verifyClean(ctx, ctx.facts().target.master, `the target ${ctx.facts().target.name}`);
  },
};
