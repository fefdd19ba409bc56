/**
 * Phase 9: merge the configs fetched in phase 5 into the target's (read now, with its master
 * stopped), ask the operator to approve the summary, then replace config.data atomically (0640,
 * owner kept). The backup is recorded before the write; undo writes it back.
 */
import { ganeti } from '../remote';
import { NotApprovedError, type Phase } from '../merger/phase';
import { CONFIG_DATA, configFileName, MERGED, mergeFromBuffers, requireMerged, sha256, TARGET_BACKUP } from './common';
import { serializeGaneti } from '../config/print';

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
      const merged = requireMerged(ctx, mergeFromBuffers(ctx, facts.target.name, current, incoming, !ctx.options.stopInstances));
      const text = serializeGaneti(merged);
      ctx.files.write(MERGED, text);
      const approved = await ctx.prompter.confirm(`Write the merged config.data to ${master}?`, facts.mergeSummary);
      if (!approved) throw new NotApprovedError('the operator did not approve writing the merged config');
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
