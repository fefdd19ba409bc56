/**
 * Phase 2: the target master's root key on every mergee node, so the target can re-add them.
 * Whether the line was already there is recorded BEFORE adding: undo removes only what we added.
 */
import { ganeti } from '../remote';
import { allMergeeNodes } from '../merger/facts';
import { PhaseCheckError, type Phase, type PhaseContext } from '../merger/phase';

const PUBLIC_KEYS = ['/root/.ssh/id_rsa.pub', '/root/.ssh/id_ed25519.pub', '/root/.ssh/id_ecdsa.pub'];

async function masterPublicKey(ctx: PhaseContext, master: string): Promise<string> {
  for (const file of PUBLIC_KEYS) {
    const text = await ctx.run(master, ganeti.readFile(file)).then((b) => b.toString('utf8').trim(), () => '');
    if (text) return ganeti.assertAuthorizedKeyLine(text.split('\n')[0]);
  }
  throw new PhaseCheckError(`the target master ${master} has no root public key (${PUBLIC_KEYS.join(', ')})`);
}

async function hasLine(ctx: PhaseContext, node: string, line: string): Promise<boolean> {
  const text = await ctx.run(node, ganeti.readFile(ganeti.ROOT_AUTHORIZED_KEYS)).then((b) => b.toString('utf8'), () => '');
  return text.split('\n').some((l) => l.trim() === line);
}

export const authorizeTargetMaster: Phase = {
  id: 'authorize-target-master',
  async run(ctx) {
    const key = await masterPublicKey(ctx, ctx.facts().target.master);
    await ctx.forEach(allMergeeNodes(ctx.facts()), async (node) => {
      const existing = ctx.records('authorized-key').find((r) => r.host === node);
      const record = existing ?? ctx.intend('authorized-key', node, { key, preexisting: await hasLine(ctx, node, key) });
      if (record.done) return;
      const { added } = await ctx.run(node, ganeti.addAuthorizedKey(key));
      ctx.confirm(record, { added });
    });
  },
  async undo(ctx) {
    await ctx.forEach(ctx.records('authorized-key'), async (record) => {
      if (record.undone || record.data.preexisting === true) return;
      await ctx.run(record.host, ganeti.removeAuthorizedKey(String(record.data.key)));
      ctx.journal.markUndone(record);
    });
  },
};
