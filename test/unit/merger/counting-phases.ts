import type { Phase } from '../../../src/core/merger/phase';
import { PHASES, type PhaseId } from '../../../src/core/merger/types';

/** Phases that record one action each and count runs and undos, to watch undoLast step back. */
export function countingPhases(log: string[]): Record<PhaseId, Phase> {
  const phases = {} as Record<PhaseId, Phase>;
  for (const { id } of PHASES) {
    phases[id] = {
      id,
      async run(ctx) {
        const record = ctx.intend('act', 'h1');
        if (record.done) return;
        log.push(`run ${id}`);
        ctx.confirm(record);
      },
      async undo(ctx) {
        for (const r of ctx.records('act')) if (!r.undone) { log.push(`undo ${id}`); ctx.journal.markUndone(r); }
      },
    };
  }
  return phases;
}
