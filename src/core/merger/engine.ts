/**
 * MergeEngine: runs the phases in order against a journal, one at a time, with events for the UI;
 * rolls back (completed phases in reverse, a half-done phase as far as its records say, a full
 * restore of every node past the point of no return) and resumes either from the journal.
 */
import type { CommandRunner } from '../remote/runner';
import type { Prompter } from '../operator/prompter';
import type { RemoteCommand } from '../remote/command';
import type { Transcript } from '../remote/transcript';
import { getMaxListeners, setMaxListeners } from 'node:events';
import { runLockPath } from '../remote/run-lock';
import { DEFAULT_ORPHAN_WAIT_SECONDS, settleOrphans } from './orphan-wait';
import { redactArgv } from '../remote/secret';
import { forEachBounded } from './parallel';
import { Journal, type UndoRecord } from './journal';
import { CancelledError, NotApprovedError, type ConfigApprover, type Phase, type PhaseContext } from './phase';
import { PHASES, phaseTitle, POINT_OF_NO_RETURN, type MergerEvent, type PhaseActions, type PhaseId, type PhaseStatus } from './types';
import { endedWith, outcomeMessage, type MergeEnd, type MergeOutcome } from './outcome';
import { BUSY_REFUSAL, lastUndoablePhase, PHASE_INDEX as INDEX, pastPointOfNoReturn, phaseActions, runRefusal, touchedPhases, undoRefusal, type EngineState } from './phase-refusals';
import type { MergePreview } from './preview';
import { WorkFiles } from './work-files';
import type { MergeGuard } from './merge-guard';

export type FullRollback = (ctx: PhaseContext) => Promise<void>;

export interface MergeEngineOptions {
  readonly journal: Journal;
  readonly runner: CommandRunner;
  readonly prompter: Prompter;
  readonly phases: Record<PhaseId, Phase>;
  readonly fullRollback: FullRollback;
  /** Defaults to the directory next to the journal. */
  readonly files?: WorkFiles;
  /** Command records to forward as 'command' events (tagged with the running phase). */
  readonly transcript?: Transcript;
  /** How the operator approves the config before phase write-config writes it (default: prompter.confirm). */
  readonly approveConfig?: ConfigApprover;
  /** How long a new run waits for commands an interrupted run left running (default 15 min). */
  readonly orphanWaitSeconds?: number;
  /** Cluster and journal locks, and the "changed since the merge left it" check (create.ts wires it). */
  readonly guard?: MergeGuard;
}

export type { MergeOutcome } from './outcome';

/**
 * Phases whose effects the full restore reverts: it restarts every daemon (the undo of phases 7
 * and 8, whose start would now fail on running daemons) and puts back every node's files.
 */
const FIRST_RESTORED: PhaseId = 'stop-mergee-daemons';

export class MergeEngine {
  readonly journal: Journal;
  readonly files: WorkFiles;
  private readonly listeners = new Set<(e: MergerEvent) => void>();
  private current: PhaseId | undefined;
  private busy = false;
  private kept: MergePreview | undefined;

  constructor(private readonly options: MergeEngineOptions) {
    this.journal = options.journal;
    this.files = options.files ?? WorkFiles.forJournal(options.journal.file);
    options.transcript?.onEvent((event) => {
      const phase = this.current;
      const { host, argv, exitCode, signal, error, startedAt, durationMs } = event;
      this.journal.commandEnded({
        ...(phase ? { phase } : {}), ...(this.journal.doc.rollback?.state === 'running' ? { rollback: true } : {}),
        // long scripts (sh -c ...) are cut: the journal is rewritten whole on every save
        host, argv: argv.map((a) => (a.length > 500 ? `${a.slice(0, 500)}...` : a)), exitCode, ...(signal ? { signal } : {}), ...(error ? { error } : {}), startedAt, durationMs,
      });
      this.emit({ type: 'command', phase, event });
    });
  }

  onEvent(listener: (e: MergerEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(event: MergerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A broken listener must not break the merge.
      }
    }
  }

  status(id: PhaseId): PhaseStatus {
    const e = this.journal.phase(id);
    return { id, title: phaseTitle(id), state: e.state, startedAt: e.startedAt, finishedAt: e.finishedAt, error: e.error };
  }

  statuses(): PhaseStatus[] {
    return PHASES.map((p) => this.status(p.id));
  }

  /** The journal and whether an operation runs, as the refusal rules read them (phase-refusals.ts). */
  private state(busy = this.busy): EngineState {
    return { journal: this.journal, busy };
  }

  /** Why phase `id` may not run now, or undefined when it may (the panel, the palette, the CLI's `step` obey it). */
  runRefusal(id: PhaseId): string | undefined {
    return runRefusal(this.state(), id);
  }

  /** Why phase `id` may not be undone on its own now. */
  undoRefusal(id: PhaseId): string | undefined {
    return undoRefusal(this.state(), id);
  }

  /** Run and Undo of every phase, in order, as the engine allows them now. */
  actions(): PhaseActions[] {
    return phaseActions(this.state());
  }

  /**
   * The merge preflight computed in this session (target config, merged config, findings), also
   * when it refused the merge; undefined before preflight ran here (it is not journaled).
   */
  preview(): MergePreview | undefined {
    return this.kept;
  }

  /** The first phase not done yet, or undefined when the merge is complete. */
  nextPhase(): PhaseId | undefined {
    return PHASES.find((p) => this.journal.phase(p.id).state !== 'done')?.id;
  }

  private setState(id: PhaseId, state: PhaseStatus['state'], error?: string): void {
    this.journal.setState(id, state, error);
    this.emit({ type: 'phase', phase: this.status(id) });
  }

  private context(phase: PhaseId, signal: AbortSignal): PhaseContext {
    const { runner, prompter } = this.options;
    const journal = this.journal;
    // Every command in flight listens on the phase's signal; a phase may run several commands for
    // each of `concurrency` clusters or nodes at once, more than Node's default leak warning of 10.
    const inFlight = 4 * (journal.doc.options.concurrency + journal.doc.options.mergees.length + 1);
    if (getMaxListeners(signal) < inFlight) setMaxListeners(inFlight, signal);
    const checkpoint = () => {
      if (signal.aborted) throw new CancelledError();
    };
    const ctx: PhaseContext = {
      phase, journal, signal, prompter, files: this.files, options: journal.doc.options, approveConfig: this.options.approveConfig,
      checkpoint,
      run: async <T>(host: string, command: RemoteCommand<T>) => {
        checkpoint();
        // Journaled before it is sent, and run under the merge's run lock: if this process dies, the
        // next run knows where a command may still run and waits for it (settleOrphans).
        const sent = journal.commandSent(phase, host, redactArgv(command.argv).join(' ').slice(0, 300));
        try {
          return await runner.run(host, command, { signal, runLock: runLockPath(journal.id) });
        } catch (err) {
          if (signal.aborted) throw new CancelledError();
          throw err;
        } finally {
          journal.commandReturned(sent);
        }
      },
      progress: (message, done, total) => this.emit({ type: 'progress', phase, message, done, total }),
      emit: (event) => this.emit(event),
      forEach: (items, fn) => forEachBounded(items, journal.doc.options.concurrency, async (item) => {
        checkpoint();
        await fn(item);
      }),
      facts: () => {
        if (!journal.doc.facts) throw new Error('preflight has not run: no facts about the clusters');
        return journal.doc.facts;
      },
      intend: (kind, host, data = {}) => journal.records(phase, kind, host)[0] ?? journal.addRecord(phase, kind, host, data),
      confirm: (record: UndoRecord, data) => journal.completeRecord(record, data),
      records: (kind, other) => journal.records(other ?? phase, kind),
      keepPreview: (preview) => {
        this.kept = preview;
      },
    };
    return ctx;
  }

  /**
   * One operation at a time; with a guard, it holds the cluster locks (and passed its check) around
   * `fn`. Busy, or cancelled before it began (no lock taken, nothing contacted): an outcome, not a
   * throw. A lock refusal (MergeLockError) still throws: its code is for the front end's formatter.
   */
  private async exclusive(op: 'run' | 'rollback', signal: AbortSignal | undefined, fn: () => Promise<MergeOutcome>, phase?: PhaseId): Promise<MergeOutcome> {
    if (this.busy) return endedWith('refused', phase, BUSY_REFUSAL);
    if (signal?.aborted) return endedWith('cancelled', phase, new CancelledError().message);
    this.busy = true;
    const guard = this.options.guard;
    try {
      try {
        await guard?.begin(op, signal);
      } catch (err) {
        if (err instanceof CancelledError || signal?.aborted) return endedWith('cancelled', phase, new CancelledError().message);
        throw err;
      }
      return await fn();
    } finally {
      try {
        await guard?.end();
      } finally {
        this.busy = false;
        this.current = undefined;
      }
    }
  }

  /** Before any phase or undo acts: a killed run's orphaned commands end first (orphan-wait.ts). */
  private settleOrphans(signal: AbortSignal): Promise<void> {
    const seconds = this.options.orphanWaitSeconds ?? DEFAULT_ORPHAN_WAIT_SECONDS;
    return settleOrphans(this.journal, this.options.runner, seconds, (e) => this.emit(e), signal);
  }

  /** Releases what this engine holds locally (the journal lock); the journal keeps the cluster locks. */
  close(): void {
    this.options.guard?.close();
  }

  /**
   * Runs one phase; every earlier phase must be done. Re-running a failed or interrupted phase is
   * allowed; a done one is not run twice ('done' at once). Ends 'done', 'failed', 'cancelled' (also
   * when the operator did not approve) or 'refused', with the phase.
   */
  runPhase(id: PhaseId, signal: AbortSignal = new AbortController().signal): Promise<MergeOutcome> {
    return this.exclusive('run', signal, () => this.runOne(id, signal), id);
  }

  private async runOne(id: PhaseId, signal: AbortSignal): Promise<MergeOutcome> {
    if (!INDEX.has(id)) return { outcome: 'refused', error: `unknown phase ${JSON.stringify(id)}` };
    const phase = this.options.phases[id];
    if (!phase) throw new Error(`no phase implements ${id}`); // a wiring bug, not an end of the merge
    // A done phase is not run twice (runPhase is idempotent); every other refusal is runRefusal's.
    if (this.journal.phase(id).state === 'done' && !this.journal.doc.rollback) return { outcome: 'done', phase: id };
    const refusal = runRefusal(this.state(false), id);
    if (refusal) return endedWith('refused', id, refusal);
    if (signal.aborted) return endedWith('cancelled', id, new CancelledError().message);
    try {
      await this.settleOrphans(signal);
      this.current = id;
      this.setState(id, 'running');
      try {
        await phase.run(this.context(id, signal));
      } catch (err) {
        const cancelled = err instanceof CancelledError || signal.aborted;
        this.setState(id, 'failed', cancelled ? 'cancelled' : (err as Error).message);
        await this.options.guard?.record(id);
        throw cancelled && !(err instanceof CancelledError) ? new CancelledError() : err;
      }
      this.setState(id, 'done');
      await this.options.guard?.record(id);
    } catch (err) {
      // the operator's "no" at an approval point ends the run like a cancel (nothing of the phase was done)
      return endedWith(err instanceof CancelledError || err instanceof NotApprovedError ? 'cancelled' : 'failed', id, (err as Error).message);
    }
    return { outcome: 'done', phase: id };
  }

  /** Runs the next phase not done yet ('nothing-to-do' when all are done); the outcome names it. */
  runNext(signal: AbortSignal = new AbortController().signal): Promise<MergeOutcome> {
    return this.exclusive('run', signal, async () => {
      const id = this.nextPhase();
      return id ? this.runOne(id, signal) : { outcome: 'nothing-to-do' };
    }, this.nextPhase());
  }

  /** Runs every remaining phase: 'merged', or where and why it stopped (journaled as the merge's outcome). */
  runAll(signal: AbortSignal = new AbortController().signal): Promise<MergeOutcome> {
    return this.exclusive('run', signal, async () => {
      let id: PhaseId | undefined;
      try {
        while ((id = this.nextPhase())) {
          const step = await this.runOne(id, signal);
          // a refusal in the middle of a run (e.g. a rollback began) fails the merge, as it always has
          if (step.outcome !== 'done') return this.finish(step.outcome === 'cancelled' ? 'cancelled' : 'failed', id, outcomeMessage(step));
        }
      } catch (err) {
        return this.finish('failed', id, (err as Error).message);
      }
      return this.finish('merged');
    });
  }

  private finish(outcome: MergeEnd, phase?: PhaseId, message?: string): MergeOutcome {
    this.journal.doc.outcome = outcome;
    this.journal.save();
    const result: MergeOutcome = message === undefined ? { outcome, phase, error: undefined } : endedWith(outcome, phase, message);
    this.emit({ type: 'finished', outcome, error: result.error });
    return result;
  }

  /**
   * Undoes the merge. Past the point of no return: the full restore first, then the phases
   * before the mergee daemons were stopped, in reverse. Journaled: an interrupted rollback continues where it stopped.
   */
  rollback(signal: AbortSignal = new AbortController().signal): Promise<MergeOutcome> {
    return this.exclusive('rollback', signal, async () => {
      const doc = this.journal.doc;
      if (!doc.rollback || doc.rollback.state !== 'running') {
        doc.rollback = { ...doc.rollback, state: 'running', startedAt: Date.now() };
        delete doc.rollback.error;
        this.journal.save();
      }
      let id: PhaseId | undefined;
      try {
        await this.settleOrphans(signal);
        const touched = touchedPhases(this.journal);
        if (touched.some(pastPointOfNoReturn) && !doc.rollback.fullRestoreDone) {
          const restored = touched.filter((t) => INDEX.get(t)! >= INDEX.get(FIRST_RESTORED)!);
          for (const t of restored) this.setState(t, 'undoing');
          this.current = POINT_OF_NO_RETURN;
          await this.options.fullRollback(this.context(POINT_OF_NO_RETURN, signal));
          doc.rollback.fullRestoreDone = true;
          this.journal.save();
          await this.options.guard?.record('rollback');
          for (const t of restored) this.setState(t, 'undone');
        }
        for (id of touchedPhases(this.journal)) {
          if (doc.rollback.fullRestoreDone && INDEX.get(id)! >= INDEX.get(FIRST_RESTORED)!) {
            this.setState(id, 'undone');
            continue;
          }
          this.current = id;
          this.setState(id, 'undoing');
          await this.options.phases[id].undo?.(this.context(id, signal));
          this.setState(id, 'undone');
          await this.options.guard?.record(id);
        }
      } catch (err) {
        const cancelled = err instanceof CancelledError || signal.aborted;
        doc.rollback.state = 'failed';
        doc.rollback.error = `${id ?? POINT_OF_NO_RETURN}: ${(err as Error).message}`;
        this.journal.save();
        await this.options.guard?.record('rollback');
        return this.finish(cancelled ? 'cancelled' : 'failed', id, (err as Error).message);
      }
      doc.rollback.state = 'done';
      doc.rollback.finishedAt = Date.now();
      this.journal.save();
      return this.finish('rolled-back');
    });
  }

  /** The phase "Roll Back Last Phase" would undo, if stepping back one phase is possible now. */
  lastUndoablePhase(): PhaseId | undefined {
    return lastUndoablePhase(this.state());
  }

  /**
   * Undoes only the latest phase that ran (stepping back by hand): 'undone' with the phase, or
   * 'refused' from the point of no return on, where only the full rollback restores the clusters,
   * or 'failed'/'cancelled'. The phase can then run again: its records are cleared once they are
   * all undone, so a re-run acts afresh.
   */
  undoLast(signal: AbortSignal = new AbortController().signal): Promise<MergeOutcome> {
    const newest = () => touchedPhases(this.journal)[0];
    return this.exclusive('rollback', signal, async () => {
      const last = newest();
      const refusal = undoRefusal(this.state(false), last ?? PHASES[0].id);
      if (refusal) return endedWith('refused', last, refusal);
      try {
        await this.settleOrphans(signal);
        this.current = last;
        this.setState(last, 'undoing');
        try {
          await this.options.phases[last].undo?.(this.context(last, signal));
        } catch (err) {
          this.setState(last, 'failed', `undo: ${(err as Error).message}`);
          throw err;
        }
      } catch (err) {
        return endedWith(err instanceof CancelledError || signal.aborted ? 'cancelled' : 'failed', last, (err as Error).message);
      }
      this.journal.phase(last).records = [];
      this.setState(last, 'undone');
      await this.options.guard?.record(last);
      return { outcome: 'undone', phase: last };
    }, newest());
  }

  /** Continues an interrupted merge, or an interrupted rollback. */
  resume(signal?: AbortSignal): Promise<MergeOutcome> {
    const r = this.journal.doc.rollback;
    if (r && r.state !== 'done') return this.rollback(signal);
    if (r) return Promise.resolve({ outcome: 'rolled-back' });
    return this.runAll(signal);
  }
}
