/**
 * Wires the engine with the real phases: what the editor and the CLI use (through openMergeSession).
 * It lives above both src/core/merger and src/core/phases, so the engine never imports the phases.
 */
import { fullRollback, standardPhases } from '../phases';
import type { CommandRunner } from '../remote/runner';
import type { Prompter } from '../operator/prompter';
import type { Transcript } from '../remote/transcript';
import { MergeEngine } from '../merger/engine';
import { Journal } from '../merger/journal';
import type { ConfigApprover } from '../merger/phase';
import { PlanOptionsError, validatePlanOptions } from '../merger/plan-options';
import { DEFAULT_PLAN_OPTIONS, type MergePlanOptions } from '../merger/types';

export interface MergeSession {
  readonly runner: CommandRunner;
  readonly prompter: Prompter;
  readonly transcript?: Transcript;
  readonly approveConfig?: ConfigApprover;
}

/** A new merge, journaled at `journalFile` (which must not exist yet); bad options write nothing. */
export function startMerge(journalFile: string, plan: Pick<MergePlanOptions, 'target' | 'mergees'> & Partial<MergePlanOptions>, session: MergeSession): MergeEngine {
  const { options, problems } = validatePlanOptions({ ...DEFAULT_PLAN_OPTIONS, ...plan }, { clusters: true });
  if (problems.length > 0) throw new PlanOptionsError(problems);
  return new MergeEngine({ journal: Journal.create(journalFile, options), phases: standardPhases(), fullRollback, ...session });
}

/** An existing merge from its journal (resume, step, roll back, show). */
export function openMerge(journalFile: string, session: MergeSession): MergeEngine {
  return new MergeEngine({ journal: Journal.load(journalFile), phases: standardPhases(), fullRollback, ...session });
}
