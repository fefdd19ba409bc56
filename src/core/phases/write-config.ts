/**
 * Phase 9: merge the configs fetched in phase 5 into the target's (read now, with its master
 * stopped), ask the operator to approve the summary, then replace config.data atomically (0640,
 * owner kept). The backup is recorded before the write; undo writes it back.
 */
import { ganeti } from '../remote';
import { NotApprovedError, PhaseCheckError, type Phase, type PhaseContext } from '../merger/phase';
import { parseConfigBuffer } from '../config/parse';
import type { GanetiConfig } from '../config/types';
import { verifyConfig } from '../config/verify';
import { CONFIG_DATA, configFileName, MERGED, mergeFromBuffers, requireMerged, sha256, TARGET_BACKUP, type MergeFromBuffers } from './common';
import { serializeGaneti } from '../config/print';
import { guestImpact } from '../config/merge/guest-impact';
import { keptRunning } from './stop-instances';
import { buildMergePlan } from '../report/merge-plan';

/**
 * The instances Stop Instances kept running must be exactly as their guests run them in the
 * config about to be written (preflight decided on configs read earlier, and the operator may
 * have edited this one): otherwise refuse, before the point of no return.
 */
function checkKeptInstances(ctx: PhaseContext, incoming: MergeFromBuffers['incoming'], toWrite: GanetiConfig): void {
  const kept = keptRunning(ctx);
  if (kept.size === 0) return;
  const changed = guestImpact(incoming, toWrite).filter((i) => kept.has(i.instance) && i.reasons.length > 0);
  if (changed.length) {
    throw new PhaseCheckError(`instance(s) kept running would change under their running guest: ${changed.map((i) => `${i.instance} (${i.reasons.join('; ')})`).join(', ')}; roll back and merge with --stop-instances all`);
  }
}

/** The operator approves (and may have edited) the config; an edit must satisfy every invariant. */
async function approve(ctx: PhaseContext, master: string, current: Buffer, merged: GanetiConfig): Promise<GanetiConfig> {
  const summary = ctx.facts().mergeSummary;
  if (!ctx.approveConfig) {
    if (await ctx.prompter.confirm({ id: 'write-config', master, summary })) return merged;
    throw new NotApprovedError('the operator did not approve writing the merged config');
  }
  const plan = buildMergePlan(ctx.journal.doc);
  const chosen = await ctx.approveConfig({ master, summary, current: parseConfigBuffer(current, 'target'), merged, ...(plan ? { plan } : {}) });
  if (!chosen) throw new NotApprovedError('the operator did not approve writing the merged config');
  if (chosen !== merged) {
    const errors = verifyConfig(chosen).filter((f) => f.severity === 'error');
    if (errors.length) throw new PhaseCheckError(`the edited merged config breaks ${errors.length} invariant(s): ${errors.slice(0, 3).map((f) => f.message).join('; ')}`);
    ctx.progress('writing the operator\'s edited merged config');
  }
  return chosen;
}

export const writeConfig: Phase = {
  id: 'write-config',
  async run(ctx) {
    const facts = ctx.facts();
    const master = facts.target.master;
    let record = ctx.records('config-written')[0];
    if (!record) {
      // Not written yet: the file on the master is the target's own config, stable while the master is stopped.
      const current = await ctx.run(master, ganeti.readFile(CONFIG_DATA));
      ctx.files.write(TARGET_BACKUP, current);
      const incoming = facts.mergees.map((m) => ({ cluster: m.name, config: ctx.files.read(configFileName(m.name)) }));
      const result = mergeFromBuffers(ctx, facts.target.name, current, incoming, ctx.options.stopInstances !== 'all');
      const merged = requireMerged(ctx, result);
      const chosen = await approve(ctx, master, current, merged);
      checkKeptInstances(ctx, result.incoming, chosen);
      const text = serializeGaneti(chosen);
      ctx.files.write(MERGED, text);
      record = ctx.intend('config-written', master, { backup: TARGET_BACKUP, backupSha256: sha256(current), merged: MERGED, mergedSha256: sha256(text) });
    }
    if (record.done) return;
    await ctx.run(master, ganeti.writeFileAtomic(CONFIG_DATA, ctx.files.read(MERGED), { mode: '0640' }));
    ctx.confirm(record);
  },
  async undo(ctx) {
    for (const record of ctx.records('config-written')) {
      if (record.undone) continue;
      const backup = ctx.files.read(String(record.data.backup));
      await ctx.run(record.host, ganeti.writeFileAtomic(CONFIG_DATA, backup, { mode: '0640' }));
      ctx.journal.markUndone(record);
    }
  },
};
