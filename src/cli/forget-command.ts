/**
 * `ganeti-merge forget --journal FILE [--yes]`: delete what a merge kept for its rollback (snapshots
 * on the nodes, identity files moved aside, added keys on nodes outside the target, local copies) and
 * the journal. Lists what it deletes first; while a rollback is still possible it needs --yes.
 */
import { forgetMerge, ForgetRefusedError, planForget, type ForgetItem } from '../core/merger/forget';
import { Journal } from '../core/merger/journal';
import { JournalLock } from '../core/merger/journal-lock';
import { oneLine } from '../core/safe-text';
import { parseCommandArgs, requiredString, type CliIo, type Command, type ParsedArgs } from './args';
import { openJournalSshSession } from '../core/session/merge-session';
import { SSH_OPTIONS, SSH_USAGE, sshInputs, sshSessionOptions } from './cli-session';
import { checkPaths } from './paths';

const USAGE = `usage: ganeti-merge forget --journal FILE [--yes]

Deletes the merge's snapshots and backups on the nodes, the target master's key where the merge
added it on a node that is not in the target cluster now, the local work files and the journal.
Afterwards the merge can no longer be rolled back: while it still could, forget refuses unless
--yes is given.
  --yes   forget even though a rollback is still possible

${SSH_USAGE}`;

const describe = (i: ForgetItem) => oneLine(`${i.host ? `${i.host}: ` : ''}${i.what}`);

export const forgetCommand: Command = {
  name: 'forget',
  summary: 'delete the snapshots, backups and journal of a finished merge',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...SSH_OPTIONS, journal: { type: 'string' }, yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const file = requiredString(values, 'journal');
    // forget deletes the journal and its work files: its directory must be writable.
    checkPaths({ inputs: sshInputs(values), outputs: [{ flag: '--journal', path: file, alsoInput: true }] });
    const lock = JournalLock.acquire(file, (m) => io.stderr(`${oneLine(m)}\n`)); // never delete a journal another process drives
    try {
      return await forget(Journal.load(file), file, values, io);
    } finally {
      lock.release();
    }
  },
};

async function forget(journal: Journal, file: string, values: ParsedArgs['values'], io: CliIo): Promise<number> {
  const plan = planForget(journal);
  io.stderr(`forgetting merge ${journal.id} deletes:\n${plan.items.map((i) => `  ${describe(i)}\n`).join('')}`);
  if (plan.rollbackPossible && values.yes !== true) {
    io.stderr(`ganeti-merge forget: refused: ${oneLine(plan.rollbackPossible)}; afterwards it could not be. Run \`ganeti-merge rollback --journal ${file}\`, or forget with --yes.\n`);
    return 1;
  }
  const session = openJournalSshSession(file, sshSessionOptions(values, io, values.yes === true));
  try {
    const result = await forgetMerge(journal, { runner: session.runner, force: values.yes === true, progress: (m) => io.stderr(`${oneLine(m)}\n`) });
    io.stdout(`forgotten: ${result.deleted.length} item(s) deleted${result.keptKeys.length ? `, the target master's key kept on ${result.keptKeys.length} node(s) (they are in the target cluster now)` : ''}\n`);
    return 0;
  } catch (err) {
    const why = err instanceof ForgetRefusedError ? 'refused' : 'failed (the journal is kept: run forget again)';
    io.stderr(`ganeti-merge forget: ${why}: ${oneLine((err as Error).message)}\n`);
    return 1;
  } finally {
    await session.close();
  }
}
