/**
 * The local lock on a journal file: at most one process (a CLI run, an editor window) drives a
 * journal at a time. `<journal>.lock` appears complete or not at all (a hard link of a written temp
 * file) and names its holder: host, pid and the process's start time. Its holder removes it; a
 * holder that is provably gone (this host, and its pid no longer runs or now is another process,
 * told by the start time) left it behind when it was killed: the next opener takes it over and
 * says so. A holder alive or on another host is refused with how to clear the lock.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import { quoted } from '../safe-text';
import { MergeLockError } from './lock-errors';
import { realJournalPath } from './journal';
import { readStateFileSync } from '../read-state-file';

export interface JournalLockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** The process's start time (/proc/PID/stat field 22, clock ticks since boot); absent where there is no /proc. */
  readonly start?: string;
}

/** Next to the journal's real file: two paths to one journal (a symlink) are one lock. */
export const journalLockFile = (journal: string) => `${realJournalPath(journal)}.lock`;

/** Field 22 of /proc/PID/stat, or undefined (no such process, or no /proc on this system). */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // field 2 (the command name, in parentheses) may hold spaces and parentheses: count after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[22 - 3];
}

function pidRuns(pid: number): boolean {
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
    text = readStateFileSync(journalLockFile(journal));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
  return parseOwner(text);
}

function parseOwner(text: string): JournalLockOwner | 'unreadable' {
  try {
    const v = JSON.parse(text) as Partial<JournalLockOwner>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.host === 'string' && typeof v.since === 'string') {
      return { pid: v.pid, host: v.host, since: v.since, ...(typeof v.start === 'string' ? { start: v.start } : {}) };
    }
  } catch {
    // fall through: a foreign file
  }
  return 'unreadable';
}

/**
 * 'gone' only when provably so: a process of this host whose pid no longer runs, or runs with
 * another start time (the pid was reused). 'alive' on this host otherwise; 'unknown' for another
 * host's process or an unreadable file, which nobody here can check.
 */
export function holderState(owner: JournalLockOwner | 'unreadable'): 'alive' | 'gone' | 'unknown' {
  if (owner === 'unreadable' || owner.host !== os.hostname()) return 'unknown';
  if (!pidRuns(owner.pid)) return 'gone';
  const now = processStartTime(owner.pid);
  return owner.start !== undefined && now !== undefined && now !== owner.start ? 'gone' : 'alive';
}

export function describeJournalHolder(owner: JournalLockOwner | 'unreadable'): string {
  return owner === 'unreadable' ? 'an unreadable lock file' : `process ${owner.pid} on ${quoted(owner.host)} since ${quoted(owner.since)}`;
}

const sameOwner = (a: JournalLockOwner | 'unreadable' | undefined, b: JournalLockOwner) =>
  a !== undefined && a !== 'unreadable' && a.pid === b.pid && a.host === b.host && a.since === b.since && a.start === b.start;

/** Creates the lock file from a complete temp file: it exists whole or not at all. False when a lock exists. */
function createLock(lock: string, owner: JournalLockOwner): boolean {
  const tmp = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(tmp, lock);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Removes a dead holder's lock, only while it still is that holder's: the file is first moved
 * aside atomically (of two openers, one moves it), then checked. A live lock moved aside by
 * mistake (another opener replaced the dead one in between) is put back.
 */
function removeDeadLock(lock: string, dead: JournalLockOwner): void {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.dead`;
  try {
    fs.renameSync(lock, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const moved = parseOwner(readStateFileSync(aside));
    if (!sameOwner(moved, dead)) fs.linkSync(aside, lock);
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

export class JournalLock {
  private constructor(readonly journal: string, private readonly owner: JournalLockOwner) {}

  /**
   * Takes the lock, taking over one whose holder is provably gone (and telling `note` whose it
   * was); throws MergeLockError E_JOURNAL_LOCKED when a holder is alive or cannot be checked.
   */
  static acquire(journal: string, note?: (message: string) => void): JournalLock {
    const lock = journalLockFile(journal);
    const start = processStartTime(process.pid);
    const owner: JournalLockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), ...(start !== undefined ? { start } : {}) };
    let dead: JournalLockOwner | undefined;
    // a few rounds: an opener racing this one for a dead holder's lock may win it first
    for (let round = 0; round < 3; round++) {
      if (createLock(lock, owner)) {
        if (dead) note?.(`journal lock: taken over from ${describeJournalHolder(dead)} (gone): ${quoted(journal)}`);
        return new JournalLock(journal, owner);
      }
      const held = readJournalLock(journal);
      if (held === undefined) continue; // released meanwhile
      if (held === 'unreadable' || holderState(held) !== 'gone') {
        throw new MergeLockError('E_JOURNAL_LOCKED', `journal ${quoted(journal)} is in use by ${describeJournalHolder(held)}; use that one, or if no ganeti-merge or editor is using it any more, clear the lock with \`ganeti-merge unlock --journal ${journal}\` (it asks first)`);
      }
      removeDeadLock(lock, held);
      dead = held;
    }
    throw new MergeLockError('E_JOURNAL_LOCKED', `journal ${quoted(journal)}: other processes keep taking its lock; try again`);
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    if (sameOwner(readJournalLock(this.journal), this.owner)) fs.rmSync(journalLockFile(this.journal), { force: true });
  }
}
