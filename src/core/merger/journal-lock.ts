/**
 * The local lock on a journal file: at most one process (a CLI run, an editor window) drives a
 * journal at a time. `<journal>.lock` is created exclusively and names its holder; it is removed by
 * its holder only. A lock whose process is gone (same machine, pid not alive) is stale: reported
 * with how to clear it, never broken silently.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { MergeLockError } from './lock-errors';

export interface JournalLockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

export const journalLockFile = (journal: string) => `${journal}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readJournalLock(journal: string): JournalLockOwner | 'unreadable' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(journalLockFile(journal), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
  try {
    const v = JSON.parse(text) as Partial<JournalLockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.since === 'string') return { pid: v.pid, host: v.host, since: v.since };
  } catch {
    // fall through: a torn or foreign file
  }
  return 'unreadable';
}

/** True when the holder is known to be gone (a process of this machine that no longer runs). */
export function isStale(owner: JournalLockOwner | 'unreadable'): boolean {
  return owner !== 'unreadable' && owner.host === os.hostname() && !alive(owner.pid);
}

export function describeJournalHolder(owner: JournalLockOwner | 'unreadable'): string {
  return owner === 'unreadable' ? 'an unreadable lock file' : `process ${owner.pid} on ${JSON.stringify(owner.host)} since ${owner.since}`;
}

export class JournalLock {
  private constructor(readonly journal: string, private readonly owner: JournalLockOwner) {}

  /** Takes the lock or throws MergeLockError (E_JOURNAL_LOCKED, or E_LOCK_STALE when its holder is gone). */
  static acquire(journal: string): JournalLock {
    const owner: JournalLockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
    try {
      fs.writeFileSync(journalLockFile(journal), `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o600 });
      return new JournalLock(journal, owner);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readJournalLock(journal) ?? 'unreadable';
    const how = `if no ganeti-merge or editor is using it, clear it with \`ganeti-merge unlock --journal ${journal}\``;
    if (isStale(held)) {
      throw new MergeLockError('E_LOCK_STALE', `journal ${journal} is locked by ${describeJournalHolder(held)}, which is gone; ${how}`);
    }
    throw new MergeLockError('E_JOURNAL_LOCKED', `journal ${journal} is in use by ${describeJournalHolder(held)}; ${how}`);
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    const held = readJournalLock(this.journal);
    if (held && held !== 'unreadable' && held.pid === this.owner.pid && held.since === this.owner.since) {
      fs.rmSync(journalLockFile(this.journal), { force: true });
    }
  }
}
