/** Wires the engine with the real phases, the locks and the "changed since" check: what the editor and the CLI use. */
import { fullRollback, standardPhases } from '../phases';
import type { CommandRunner } from '../remote/runner';
import type { Prompter } from '../remote/prompter';
import type { Transcript } from '../remote/transcript';
import { MergeEngine } from './engine';
import { Journal } from './journal';
import { JournalLock } from './journal-lock';
import { MergeGuard, type ChangedPolicy } from './merge-guard';
import type { ConfigApprover } from './phase';
import { DEFAULT_PLAN_OPTIONS, type MergePlanOptions } from './types';

export interface MergeSession {
  readonly runner: CommandRunner;
  readonly prompter: Prompter;
  readonly transcript?: Transcript;
  readonly approveConfig?: ConfigApprover;
  /** When the target changed since the merge left it (default: refuse). */
  readonly onChanged?: ChangedPolicy;
  /** Notes of the guard (a forced check, a lock that could not be released). */
  readonly note?: (message: string) => void;
}

/** Takes the journal's local lock (MergeLockError if another process drives it), then opens the journal. */
function engineFor(file: string, session: MergeSession, open: () => Journal): MergeEngine {
  const journalLock = JournalLock.acquire(file);
  try {
    const journal = open();
    const guard = new MergeGuard(journal, { runner: session.runner, prompter: session.prompter, onChanged: session.onChanged ?? 'refuse', journalLock, note: session.note });
    return new MergeEngine({ journal, phases: standardPhases(), fullRollback, guard, ...session });
  } catch (err) {
    journalLock.release();
    throw err;
  }
}

/** A new merge, journaled at `journalFile` (which must not exist yet). */
export function startMerge(journalFile: string, plan: Pick<MergePlanOptions, 'target' | 'mergees'> & Partial<MergePlanOptions>, session: MergeSession): MergeEngine {
  const options: MergePlanOptions = { ...DEFAULT_PLAN_OPTIONS, ...plan };
  return engineFor(journalFile, session, () => Journal.create(journalFile, options));
}

/** An existing merge from its journal (resume, step, roll back, show). */
export function openMerge(journalFile: string, session: MergeSession): MergeEngine {
  return engineFor(journalFile, session, () => Journal.load(journalFile));
}
