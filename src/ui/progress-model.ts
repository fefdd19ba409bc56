/**
 * The progress panel's state, owned by the host: MergerEvents in, PanelState out. The webview only
 * renders what this model says, so a reloaded or re-created panel shows exactly the same thing.
 * No vscode import.
 */
import { PHASES, POINT_OF_NO_RETURN, type MergerEvent, type PhaseActions } from '../core/merger/types';
import { MAX_TRANSCRIPT_LINES, type PanelLabels, type PanelPhase, type PanelState } from '../protocol';
import { formatEvent, progressCounter } from '../core/merger/format-event';
import type { TranscriptEvent } from '../core/remote/transcript';
import { oneLine } from '../core/safe-text';


export const ENGLISH_LABELS: PanelLabels = {
  phase: 'Phase', state: 'State', elapsed: 'Elapsed', run: 'Run', undo: 'Undo', rollBack: 'Roll Back', transcript: 'Transcript',
  pointOfNoReturn: 'Point of no return: from here on only a full rollback restores the clusters',
  states: { pending: 'pending', running: 'running', done: 'done', failed: 'failed', undoing: 'undoing', undone: 'undone' },
  outcomes: { merged: 'merged', 'rolled-back': 'rolled back', failed: 'failed', cancelled: 'cancelled' },
};

export type TranscriptFormatter = (event: TranscriptEvent) => string;

/** An event's own text for a cell or tooltip (transcript lines are formatEvent's, already one line each): it may quote a cluster. */
const shown = (text: string | undefined): string | undefined => (text === undefined ? undefined : oneLine(text));

/** Without a merge (or before the engine answered) nothing may run or be undone. */
const NO_ACTIONS = { canRun: false, canUndo: false } as const;

function pendingPhases(): PanelPhase[] {
  return PHASES.map((p) => ({ id: p.id, title: p.title, state: 'pending', ...NO_ACTIONS }));
}

export class ProgressModel {
  private phases: PanelPhase[] = pendingPhases();
  private canRollBack = false;
  private transcript: string[] = [];
  private outcome: PanelState['outcome'];
  private outcomeError: string | undefined;
  private busy = false;
  private readonly listeners = new Set<(change: { state: PanelState; newLines: string[] }) => void>();

  constructor(
    private title: string,
    private readonly formatCommand: TranscriptFormatter,
    private readonly labels: PanelLabels = ENGLISH_LABELS,
  ) {}

  /** Called with the new state and the transcript lines added by the change. */
  onChange(listener: (change: { state: PanelState; newLines: string[] }) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get state(): PanelState {
    return {
      title: this.title,
      labels: this.labels,
      phases: this.phases.map((p) => ({ ...p })),
      pointOfNoReturn: POINT_OF_NO_RETURN,
      transcript: [...this.transcript],
      outcome: this.outcome,
      outcomeError: this.outcomeError,
      busy: this.busy,
      canRollBack: this.canRollBack,
    };
  }

  /** Restores a state saved by the webview (panel revived after a reload), keeping only known phases. */
  restore(saved: PanelState): void {
    this.title = saved.title;
    this.phases = PHASES.map((p) => {
      const s = saved.phases.find((x) => x.id === p.id);
      // a revived panel has no engine yet: the controller sends the actions once a merge is open
      return s ? { ...s, id: p.id, title: p.title, ...NO_ACTIONS } : { id: p.id, title: p.title, state: 'pending', ...NO_ACTIONS };
    });
    this.canRollBack = false;
    this.transcript = saved.transcript.slice(-MAX_TRANSCRIPT_LINES);
    this.outcome = saved.outcome;
    this.outcomeError = saved.outcomeError;
    this.busy = false;
    this.emit([]);
  }

  /** Starts over for another merge: every phase pending, transcript and outcome cleared. */
  reset(title: string): void {
    this.title = title;
    this.phases = pendingPhases();
    this.canRollBack = false;
    this.transcript = [];
    this.outcome = undefined;
    this.outcomeError = undefined;
    this.busy = false;
    this.emit([]);
  }

  /** What the engine allows now (MergeEngine.actions); the panel's buttons show exactly that. */
  setActions(actions: readonly PhaseActions[], canRollBack: boolean): void {
    this.phases = this.phases.map((p) => {
      const a = actions.find((x) => x.id === p.id);
      const { runRefusal: _r, undoRefusal: _u, ...rest } = p;
      return a ? { ...rest, canRun: a.canRun, canUndo: a.canUndo, runRefusal: shown(a.runRefusal), undoRefusal: shown(a.undoRefusal) } : { ...rest, ...NO_ACTIONS };
    });
    this.canRollBack = canRollBack;
    this.emit([]);
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.emit([]);
  }

  apply(event: MergerEvent): void {
    if (event.type === 'phase') {
      const i = this.phaseIndex(event.phase.id);
      const { id, state, startedAt, finishedAt, error } = event.phase;
      this.phases[i] = { ...this.phases[i], id, state, startedAt, finishedAt, error: shown(error) };
    } else if (event.type === 'progress') {
      const i = this.phaseIndex(event.phase);
      this.phases[i] = { ...this.phases[i], progress: shown(`${event.message}${progressCounter(event)}`) };
    } else if (event.type === 'finished') {
      this.outcome = event.outcome;
      this.outcomeError = shown(event.error);
    }
    const added = formatEvent(event, this.formatCommand);
    this.transcript.push(...added);
    if (this.transcript.length > MAX_TRANSCRIPT_LINES) this.transcript.splice(0, this.transcript.length - MAX_TRANSCRIPT_LINES);
    this.emit(added);
  }

  private phaseIndex(id: string): number {
    const i = this.phases.findIndex((p) => p.id === id);
    if (i < 0) throw new Error(`unknown phase ${JSON.stringify(id)}`);
    return i;
  }

  private emit(newLines: string[]): void {
    const state = this.state;
    for (const l of [...this.listeners]) l({ state, newLines });
  }
}
