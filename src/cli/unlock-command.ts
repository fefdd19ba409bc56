/**
 * `ganeti-merge unlock [--journal FILE] [--host MASTER]... [--yes]`: clears a merge lock whose
 * holder is gone (a crashed process, a merge whose journal was deleted). Shows who holds each lock
 * and asks first; a lock is only ever removed while it still names the holder that was shown.
 */
import * as fs from 'node:fs';
import { describeJournalHolder, holderState, journalLockFile, readJournalLock } from '../core/merger/journal-lock';
import { describeLockOwner } from '../core/merger/merge-guard';
import { ganeti } from '../core/remote';
import { isHostName } from '../core/remote/names';
import { quoted } from '../core/safe-text';
import { openSshSession } from '../core/session/ssh-session';
import { parseCommandArgs, UsageError, type Command } from './args';
import { SSH_OPTIONS, SSH_USAGE, sshInputs, sshSessionOptions, TerminalPrompter } from './cli-session';
import { checkPaths } from './paths';

const USAGE = `usage: ganeti-merge unlock [--journal FILE] [--host MASTER]... [--yes]

Clears a merge lock whose holder is gone, after showing who holds it and asking.
  --journal FILE   the local lock on a journal (FILE.lock), left by a process that crashed
  --host MASTER    the cluster lock on a master (${ganeti.MERGE_LOCK_FILE}), left by a merge
                   whose journal is gone (repeat for several)
  --yes            do not ask

A lock whose merge still has its journal belongs to that journal: finish, roll back or forget
that merge instead (ganeti-merge resume/rollback/forget --journal FILE).

${SSH_USAGE}`;

export const unlockCommand: Command = {
  name: 'unlock',
  summary: 'clear a merge lock whose holder is gone (asks first)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { ...SSH_OPTIONS, journal: { type: 'string' }, host: { type: 'string', multiple: true }, yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const journal = typeof values.journal === 'string' ? values.journal : undefined;
    const hosts = (values.host as unknown as string[] | undefined) ?? [];
    if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    if (!journal && hosts.length === 0) throw new UsageError('give --journal FILE and/or --host MASTER');
    // every name and file first: nothing is removed, resolved or dialled before
    const bad = hosts.find((h) => !isHostName(h));
    if (bad !== undefined) throw new UsageError(`--host must be a host name or IP address, got ${quoted(bad)}`, 'E_NAME_INVALID');
    const ssh = hosts.length ? sshSessionOptions(values, io, values.yes === true) : undefined;
    if (ssh) checkPaths({ inputs: sshInputs(values), outputs: [] });
    const prompter = new TerminalPrompter(io, values.yes === true);
    let code = 0;
    if (journal !== undefined) {
      const held = readJournalLock(journal);
      if (!held) io.stdout(`${journal}: not locked\n`);
      else if (holderState(held) === 'alive') {
        io.stderr(`ganeti-merge unlock: E_JOURNAL_LOCKED: journal ${journal} is in use by ${describeJournalHolder(held)}, which still runs: stop it first\n`);
        code = 1;
      } else if (await prompter.confirm({ id: 'clear-journal-lock', journal, holder: describeJournalHolder(held), summary: '' })) {
        const lock = journalLockFile(journal);
        // only a file is a lock ganeti-merge wrote: a directory in its place is left for a person to inspect
        if (fs.lstatSync(lock, { throwIfNoEntry: false })?.isDirectory()) {
          io.stderr(`ganeti-merge unlock: E_JOURNAL_LOCKED: ${quoted(lock)} is a directory, not a lock file: inspect and remove it by hand\n`);
          code = 1;
        } else {
          fs.rmSync(lock, { force: true });
          io.stdout(`${journal}: unlocked\n`);
        }
      } else {
        io.stderr('ganeti-merge unlock: not confirmed: nothing changed\n');
        code = 1;
      }
    }
    if (hosts.length === 0) return code;
    const session = openSshSession(ssh!);
    try {
      for (const host of hosts) {
        const state = await session.runner.run(host, ganeti.readMergeLock());
        if (state.state === 'free') {
          io.stdout(`${host}: not locked\n`);
          continue;
        }
        if (!state.owner) {
          io.stderr(`ganeti-merge unlock: ${host}: the lock file cannot be read; inspect and remove ${ganeti.MERGE_LOCK_FILE} by hand\n`);
          code = 1;
          continue;
        }
        if (!(await prompter.confirm({ id: 'clear-cluster-lock', host, holder: describeLockOwner(state.owner), summary: '' }))) {
          io.stderr(`ganeti-merge unlock: ${host}: not confirmed: lock kept\n`);
          code = 1;
          continue;
        }
        const r = await session.runner.run(host, ganeti.releaseMergeLock(state.owner.id));
        io.stdout(`${host}: ${r === 'released' ? 'unlocked' : r === 'absent' ? 'not locked any more' : 'locked by another merge meanwhile: kept'}\n`);
        if (r === 'other') code = 1;
      }
    } finally {
      await session.close();
    }
    return code;
  },
};
