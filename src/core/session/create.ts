/**
 * Wires the engine with the real phases, the locks and the "changed since" check: what the editor
 * and the CLI use (through openMergeSession). It lives above both src/core/merger and
 * src/core/phases, so the engine never imports the phases.
 */
import { fullRollback, standardPhases } from '../phases';
import type { CommandRunner } from '../remote/runner';
import type { Prompter } from '../operator/prompter';
import type { Transcript } from '../remote/transcript';
import { MergeEngine } from '../merger/engine';
import { currentOrigin, Journal } from '../merger/journal';
import { JournalLock } from '../merger/journal-lock';
import { MergeGuard, type ChangedPolicy } from '../merger/merge-guard';
import { version } from '../../../package.json';
import type { ConfigApprover } from '../merger/phase';
import { PlanOptionsError, validatePlanOptions } from '../merger/plan-options';
import { DEFAULT_PLAN_OPTIONS, type MergePlanOptions } from '../merger/types';

export interface MergeSession {
  readonly runner: CommandRunner;
  readonly prompter: Prompter;
  readonly transcript?: Transcript;
  readonly approveConfig?: ConfigApprover;
  /** Which front end starts the merge ('cli', 'vscode'), recorded as the merge's origin. */
  readonly frontEnd?: string;
  /** When the target changed since the merge left it (default: refuse). */
  readonly onChanged?: ChangedPolicy;
  /** Notes of the guard (a forced check, a lock that could not be released). */
  readonly note?: (message: string) => void;
}

/** Takes the journal's local lock (MergeLockError if another process drives it; a dead holder's is taken over), then opens the journal. */
function engineFor(file: string, session: MergeSession, open: () => Journal): MergeEngine {
  const journalLock = JournalLock.acquire(file, session.note);
  try {
    const journal = open();
    const guard = new MergeGuard(journal, { runner: session.runner, prompter: session.prompter, onChanged: session.onChanged ?? 'refuse', journalLock, note: session.note });
    return new MergeEngine({ journal, phases: standardPhases(), fullRollback, guard, ...session });
  } catch (err) {
    journalLock.release();
    throw err;
  }
}

/** A new merge, journaled at `journalFile` (which must not exist yet); bad options write nothing. */
export function startMerge(journalFile: string, plan: Pick<MergePlanOptions, 'target' | 'mergees'> & Partial<MergePlanOptions>, session: MergeSession): MergeEngine {
  const { options, problems } = validatePlanOptions({ ...DEFAULT_PLAN_OPTIONS, ...plan }, { clusters: true });
  if (problems.length > 0) throw new PlanOptionsError(problems);
  const origin = currentOrigin(session.frontEnd ?? 'api', version);
  return engineFor(journalFile, session, () => Journal.create(journalFile, options, undefined, origin));
}

/** An existing merge from its journal (resume, step, roll back, show). */
export function openMerge(journalFile: string, session: MergeSession): MergeEngine {
  return engineFor(journalFile, session, () => Journal.load(journalFile));
}
