/**
 * Messages between the progress panel's host (src/ui/progress-panel.ts) and its webview (webview/main.ts).
 * Plain data (and the one limit both sides apply); no imports, because the webview bundle compiles
 * this file with the DOM lib.
 * The host owns the state: the webview says `ready` and the host answers with a full `state`.
 */

/** How many transcript lines the panel keeps, oldest dropped first (host model and webview alike). */
export const MAX_TRANSCRIPT_LINES = 2000;

export type PanelPhaseState = 'pending' | 'running' | 'done' | 'failed' | 'undoing' | 'undone';

export interface PanelPhase {
  readonly id: string;
  readonly title: string;
  readonly state: PanelPhaseState;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly error?: string;
  /** Latest progress line of the phase, e.g. "3/5 nodes re-added". */
  readonly progress?: string;
  /** Whether Run / Undo are allowed now (the engine decides), and why not. */
  readonly canRun: boolean;
  readonly canUndo: boolean;
  readonly runRefusal?: string;
  readonly undoRefusal?: string;
}

export type PanelOutcome = 'merged' | 'rolled-back' | 'failed' | 'cancelled';

/** Every text the webview shows, localised by the host (vscode.l10n.t), since the webview has no l10n of its own. */
export interface PanelLabels {
  readonly phase: string;
  readonly state: string;
  readonly elapsed: string;
  readonly run: string;
  readonly undo: string;
  readonly rollBack: string;
  readonly transcript: string;
  readonly pointOfNoReturn: string;
  readonly states: Readonly<Record<PanelPhaseState, string>>;
  readonly outcomes: Readonly<Record<PanelOutcome, string>>;
}

export interface PanelState {
  readonly title: string;
  readonly labels: PanelLabels;
  readonly phases: readonly PanelPhase[];
  /** Id of the first phase after which only a full rollback restores the clusters. */
  readonly pointOfNoReturn: string;
  /** Transcript lines, oldest first (bounded by the host). */
  readonly transcript: readonly string[];
  readonly outcome?: PanelOutcome;
  readonly outcomeError?: string;
  /** True while the host is working on a request, so the buttons are disabled. */
  readonly busy: boolean;
  /** Something ran that Roll Back would undo (the engine's answer). */
  readonly canRollBack: boolean;
}

/** Everything but the transcript, which grows and is sent as appended lines after the first `state`. */
export type PanelStatus = Omit<PanelState, 'transcript'>;

export type HostToWebview =
  | { readonly type: 'state'; readonly state: PanelState }
  | { readonly type: 'update'; readonly status: PanelStatus; readonly appendLines: readonly string[] };

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'runPhase'; readonly phase: string }
  | { readonly type: 'undoPhase'; readonly phase: string }
  | { readonly type: 'rollBack' };

/** Narrows an unknown message from the webview; anything else is ignored by the host. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; phase?: unknown };
  switch (m.type) {
    case 'ready':
    case 'rollBack':
      return true;
    case 'runPhase':
    case 'undoPhase':
      return typeof m.phase === 'string';
    default:
      return false;
  }
}
