/**
 * What the operator may do with each phase now, and why not: the one rule the panel, the palette,
 * the CLI's `step` and the engine itself obey. Pure functions of the journal and whether the
 * engine is busy, so they read the same from inside and outside a run.
 */
import type { Journal } from './journal';
import { PHASES, POINT_OF_NO_RETURN, type PhaseActions, type PhaseId } from './types';

/** The journal, and whether another operation of the engine is running now. */
export interface EngineState {
  readonly journal: Journal;
  readonly busy: boolean;
}

export const BUSY_REFUSAL = 'the merge engine is already running a phase or a rollback';

/** Each phase's position in the procedure. */
export const PHASE_INDEX = new Map<PhaseId, number>(PHASES.map((p, i) => [p.id, i]));

/** True from the point of no return on. */
export function pastPointOfNoReturn(id: PhaseId): boolean {
  return PHASE_INDEX.get(id)! >= PHASE_INDEX.get(POINT_OF_NO_RETURN)!;
}

/** Phases with something that may need undoing, latest first. */
export function touchedPhases(journal: Journal): PhaseId[] {
  return PHASES.map((p) => p.id).filter((id) => !['pending', 'undone'].includes(journal.phase(id).state)).reverse();
}

/** Why phase `id` may not run now, or undefined when it may. */
export function runRefusal({ journal, busy }: EngineState, id: PhaseId): string | undefined {
  if (!PHASE_INDEX.has(id)) return `unknown phase ${JSON.stringify(id)}`;
  if (busy) return BUSY_REFUSAL;
  if (journal.doc.rollback) return `this merge is being rolled back (${journal.doc.rollback.state}); it cannot run phases any more`;
  const blocking = PHASES.slice(0, PHASE_INDEX.get(id)).find((p) => journal.phase(p.id).state !== 'done');
  if (blocking) return `phase ${id} cannot run before ${blocking.id} is done`;
  if (journal.phase(id).state === 'done') return `phase ${id} is done`;
  return undefined;
}

/** Why phase `id` may not be undone on its own now (Undo steps back one phase, newest first, before the point of no return). */
export function undoRefusal({ journal, busy }: EngineState, id: PhaseId): string | undefined {
  if (!PHASE_INDEX.has(id)) return `unknown phase ${JSON.stringify(id)}`;
  if (busy) return BUSY_REFUSAL;
  if (journal.doc.rollback) return 'this merge is being rolled back; use Roll Back Merge to continue';
  const last = touchedPhases(journal)[0];
  if (!last) return 'no phase has run yet: nothing to undo';
  if (pastPointOfNoReturn(last)) {
    return `phase ${last} is past the point of no return (${POINT_OF_NO_RETURN}): only a full rollback restores the clusters`;
  }
  if (last !== id) {
    return ['pending', 'undone'].includes(journal.phase(id).state)
      ? `phase ${id} has nothing to undo`
      : `only the newest phase (${last}) can be undone on its own; Roll Back undoes everything`;
  }
  return undefined;
}

/** Run and Undo of every phase, in order, as the engine allows them now. */
export function phaseActions(state: EngineState): PhaseActions[] {
  return PHASES.map(({ id }) => {
    const run = runRefusal(state, id);
    const undo = undoRefusal(state, id);
    return { id, canRun: !run, canUndo: !undo, ...(run ? { runRefusal: run } : {}), ...(undo ? { undoRefusal: undo } : {}) };
  });
}

/** The phase "Roll Back Last Phase" would undo, if stepping back one phase is possible now. */
export function lastUndoablePhase(state: EngineState): PhaseId | undefined {
  const last = touchedPhases(state.journal)[0];
  return last && !undoRefusal(state, last) ? last : undefined;
}
