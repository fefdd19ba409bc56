/**
 * The host side of the Merge Progress panel: one webview panel over a ProgressModel. The webview
 * says `ready`, the host replays the whole state, then sends updates; button presses arrive as
 * typed messages and go to a ProgressActions handler (the merge controller, which asks the engine).
 * The panel survives a window reload through a WebviewPanelSerializer.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { html } from '../core/report/markup';
import { isWebviewToHost, type HostToWebview, type PanelLabels, type PanelState, type WebviewToHost } from '../protocol';
import { Disposable } from './disposable';
import type { ErrorReporter } from './report-errors';
import { ProgressModel } from './progress-model';
import { formatTranscriptEvent } from './transcript-log';

export const PROGRESS_VIEW_TYPE = 'ganetiMerge.progress';

/** What the panel's buttons ask for; implemented by whoever drives the merge. */
export interface ProgressActions {
  runPhase(phase: string): Promise<void>;
  undoPhase(phase: string): Promise<void>;
  rollBack(): Promise<void>;
}

/** The part of vscode.Webview the connection needs (tests drive it with a fake). */
export interface WebviewPort {
  postMessage(message: HostToWebview): Thenable<boolean>;
  onDidReceiveMessage(listener: (message: unknown) => void): vscode.Disposable;
}

/** Binds one webview to the model: replays the state on `ready`, forwards updates and button presses. */
export class PanelConnection extends Disposable {
  private ready = false;

  constructor(
    private readonly port: WebviewPort,
    private readonly model: ProgressModel,
    private readonly onRequest: (message: Exclude<WebviewToHost, { type: 'ready' }>) => void,
    private readonly onReplayed: (state: PanelState) => void = () => undefined,
  ) {
    super();
    this._register(port.onDidReceiveMessage((message) => this.receive(message)));
    this._register(model.onChange(({ state, newLines }) => {
      if (!this.ready) return; // the full state is sent on ready
      const { transcript: _all, ...status } = state;
      void this.port.postMessage({ type: 'update', status, appendLines: newLines });
    }));
  }

  private receive(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    if (message.type === 'ready') {
      this.ready = true;
      const state = this.model.state;
      void this.port.postMessage({ type: 'state', state }).then((delivered) => {
        if (delivered) this.onReplayed(state);
      });
      return;
    }
    this.onRequest(message);
  }
}

export class ProgressPanelHost extends Disposable implements vscode.WebviewPanelSerializer<PanelState> {
  readonly model = new ProgressModel(vscode.l10n.t('Ganeti Merge'), formatTranscriptEvent, localisedLabels());
  private panel: vscode.WebviewPanel | undefined;
  private actions: ProgressActions;
  private readonly replayed = this._register(new vscode.EventEmitter<PanelState>());
  /** Fires when a webview said `ready` and received the full state (each load or reload of the panel). */
  readonly onDidReplayState = this.replayed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly report: ErrorReporter,
    private readonly notWired: () => Promise<void>,
  ) {
    super();
    this.actions = { runPhase: notWired, undoPhase: notWired, rollBack: notWired };
    this._register(vscode.window.registerWebviewPanelSerializer(PROGRESS_VIEW_TYPE, this));
  }

  /** The engine (or a test) plugs in here; the previous handler is replaced. */
  setActions(actions: ProgressActions): void {
    this.actions = actions;
  }

  show(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(PROGRESS_VIEW_TYPE, this.model.state.title, vscode.ViewColumn.Active, this.options());
    this.attach(panel);
    return panel;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: PanelState | undefined): Promise<void> {
    // The host's own state wins; the webview's saved copy only helps after a window reload.
    if (saved && isPanelState(saved) && isUntouched(this.model.state)) this.model.restore(saved);
    panel.webview.options = this.options();
    this.attach(panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    const connection = new PanelConnection(panel.webview, this.model, (m) => void this.handle(m), (state) => this.replayed.fire(state));
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri);
    panel.onDidDispose(() => {
      connection.dispose();
      if (this.panel === panel) this.panel = undefined;
    });
    this._register(panel);
  }

  private async handle(message: Exclude<WebviewToHost, { type: 'ready' }>): Promise<void> {
    // The actions ask their own confirmations (naming the clusters) and show their own progress.
    await this.report(`panel ${message.type}${'phase' in message ? ` ${message.phase}` : ''}`, async () => {
      if (message.type === 'runPhase') await this.actions.runPhase(message.phase);
      else if (message.type === 'undoPhase') await this.actions.undoPhase(message.phase);
      else await this.actions.rollBack();
    });
  }
}

function localisedLabels(): PanelLabels {
  const t = vscode.l10n.t;
  return {
    phase: t('Phase'), state: t('State'), elapsed: t('Elapsed'), run: t('Run'), undo: t('Undo'), rollBack: t('Roll Back'),
    transcript: t('Transcript'),
    pointOfNoReturn: t('Point of no return: from here on only a full rollback restores the clusters'),
    states: { pending: t('pending'), running: t('running'), done: t('done'), failed: t('failed'), undoing: t('undoing'), undone: t('undone') },
    outcomes: { merged: t('merged'), 'rolled-back': t('rolled back'), failed: t('failed'), cancelled: t('cancelled') },
  };
}

function isUntouched(state: PanelState): boolean {
  return state.transcript.length === 0 && state.phases.every((p) => p.state === 'pending');
}

function isPanelState(value: unknown): value is PanelState {
  const s = value as PanelState;
  return typeof s === 'object' && s !== null && typeof s.title === 'string' && Array.isArray(s.phases) && Array.isArray(s.transcript);
}

function nonce(): string {
  return randomBytes(18).toString('base64');
}

/** The empty <style> FAST appends to probe :focus-visible; its hash keeps the console clean. */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/** A webview page of the extension: one bundle of dist/ (nonce'd), into an empty root element. */
export interface WebviewPage {
  readonly script: string;
  readonly title: string;
  /** The root element's markup (a literal of the caller, never data). */
  readonly root: string;
  /** Allow inline style attributes (the toolkit's templates bind some); off: no inline style at all. */
  readonly styleAttributes?: boolean;
}

export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page?: WebviewPage): string {
  const n = nonce();
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const { script: bundle, title, root, styleAttributes } = page
    ?? { script: 'webview.js', title: vscode.l10n.t('Ganeti Merge Progress'), root: '<main id="app" aria-live="polite"></main>', styleAttributes: true };
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, bundle));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} ${EMPTY_STYLE_HASH}`,
    // The toolkit's badge/tag template binds a style attribute; no hash can match its random placeholder.
    ...(styleAttributes ? ["style-src-attr 'unsafe-inline'"] : []),
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${html(title)}</title>
</head>
<body>
${root}
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
