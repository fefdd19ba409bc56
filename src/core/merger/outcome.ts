/**
 * How every engine operation on the clusters ends (runPhase, runNext, undoLast, runAll, rollback,
 * resume): one result the UI and the CLI render, returned and not thrown for every end the
 * operator can meet. Only bugs, and a lock refusal before anything began (MergeLockError, with
 * its code for the front end's one formatter), still throw.
 */
import type { PhaseId } from './types';

/** How a whole merge or rollback ended: what the journal (doc.outcome) and the 'finished' event record. */
export type MergeEnd = 'merged' | 'rolled-back' | 'failed' | 'cancelled';

export type OutcomeKind =
  | MergeEnd
  /** One phase ran (runPhase, runNext). */
  | 'done'
  /** One phase was undone (undoLast). */
  | 'undone'
  /** The engine would not start it (the reason in `error`); nothing was changed. */
  | 'refused'
  /** runNext with every phase done. */
  | 'nothing-to-do';

export interface MergeOutcome {
  readonly outcome: OutcomeKind;
  /** The phase it ran, undid, stopped in or refused (absent for a whole-merge success). */
  readonly phase?: PhaseId;
  /** The cause, `phase: message` when there is a phase (as the journal's rollback error). */
  readonly error?: string;
}

/** The result of an end with a cause; the phase prefixes the message when there is one. */
export function endedWith(outcome: OutcomeKind, phase: PhaseId | undefined, message: string): MergeOutcome {
  return { outcome, phase, error: phase ? `${phase}: ${message}` : message };
}

/** The cause without its phase prefix (for text that names the phase itself). */
export function outcomeMessage(o: MergeOutcome): string | undefined {
  return o.phase && o.error?.startsWith(`${o.phase}: `) ? o.error.slice(o.phase.length + 2) : o.error;
}

/** True for the ends that did what was asked (or found nothing left to do). */
export function succeeded(o: MergeOutcome): boolean {
  return o.outcome === 'merged' || o.outcome === 'rolled-back' || o.outcome === 'done' || o.outcome === 'undone' || o.outcome === 'nothing-to-do';
}
