import { PHASES, type PhaseId } from '../../core/merger/types';
import type { UiCommand, UiServices } from '../services';

/** Command id of "Run Phase: <title>" (package.json contributes one per phase). */
export function runPhaseCommandId(id: PhaseId): string {
  return `ganeti.runPhase.${id}`;
}

/** One command per phase, plus "Run Next Phase". */
export function mergePhaseCommands(s: UiServices): UiCommand[] {
  return [
    ...PHASES.map(({ id }) => ({ id: runPhaseCommandId(id), run: () => s.merges.runPhase(id) })),
    { id: 'ganeti.runNextPhase', run: () => s.merges.runNext() },
  ];
}
