/** Phase 1: the target must verify clean before anything is merged into it. */
import { ganeti } from '../remote';
import { PhaseCheckError, type Phase, type PhaseContext } from '../merger/phase';
import { pause } from './common';

/**
 * Every gnt-cluster verify writes config.data and distributes it; a verify that compares the copies
 * while a write (its own, or another job's) is still on its way reports them different. Only that,
 * and only once, is checked again after a pause: a difference that stays is an error.
 */
export const CONFIG_COPIES_DIFFER = 'ECLUSTERFILECHECK';
export const REVERIFY_PAUSE_MS = 5_000;

export async function verifyClean(ctx: PhaseContext, master: string, what: string, pauseMs = REVERIFY_PAUSE_MS): Promise<void> {
  const verify = () => ctx.run(master, ganeti.clusterVerify({ ignoreErrors: ctx.options.ignoredVerifyCodes }));
  let result = await verify();
  if (!result.ok && result.failedJobs === 0 && result.errors.length > 0 && result.errors.every((e) => e.code === CONFIG_COPIES_DIFFER)) {
    ctx.progress(`${what}: ${CONFIG_COPIES_DIFFER} ${result.errors[0].message}; a config write may still be on its way to the candidates: verifying again in ${pauseMs / 1000} s`);
    await pause(pauseMs);
    ctx.checkpoint();
    result = await verify();
  }
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
