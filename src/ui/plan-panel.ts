/**
 * The merge plan beside the approval's diff, in the extension's own webview (a Markdown preview
 * runs no command link, so it cannot point into a diff editor). The webview shows the plan's
 * text (plan-view.ts) and posts `reveal` with a link number; the host looks up that item's place
 * in config.data and selects it on the merged side of the diff (MergedConfigDiff.revealPlace,
 * which reopens the diff when it was closed). One plan at a time, open while its approval waits;
 * it is not restored after a reload.
 */
import * as vscode from 'vscode';
import type { ConfigPlace } from '../core/config/config-place';
import type { MergePlan } from '../core/report/merge-plan';
import { isPlanWebviewToHost, type PlanHostToWebview, type PlanView } from '../plan-protocol';
import { Disposable } from './disposable';
import type { MergedConfigDiff, MergedDiffResult } from './merged-config-diff';
import { linkedPlan } from './plan-view';
import { renderPanelHtml } from './progress-panel';
import type { ErrorReporter } from './report-errors';

export const PLAN_VIEW_TYPE = 'ganetiMerge.plan';

interface ShownPlan {
  readonly view: PlanView;
  readonly places: readonly ConfigPlace[];
  readonly diff: MergedDiffResult;
}

export class PlanPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: ShownPlan | undefined;
  private readonly sent = this._register(new vscode.EventEmitter<PlanView>());
  /** Fires when a loaded webview said `ready` and was sent the plan (its script runs under the CSP). */
  readonly onDidSendPlan = this.sent.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly diff: MergedConfigDiff,
    private readonly report: ErrorReporter,
  ) {
    super();
  }

  /** The plan on display (what the webview renders), for tests. */
  get view(): PlanView | undefined {
    return this.shown?.view;
  }

  /** The page the webview runs (its CSP), for tests. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  /** Opens (or replaces) the plan beside the diff `diffShown`, whose merged side its links select. */
  show(plan: MergePlan, diffShown: MergedDiffResult): vscode.WebviewPanel {
    const t = vscode.l10n.t;
    const { blocks, places } = linkedPlan(plan);
    this.shown = { view: { blocks, linkTitle: t('Show in the merged config diff') }, places, diff: diffShown };
    const title = t('Merge plan: {0}', plan.target.name);
    if (this.panel) {
      this.panel.title = title;
      void this.post();
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(PLAN_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
    });
    this.panel = panel;
    const listening = panel.webview.onDidReceiveMessage((m) => void this.receive(m));
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri, { script: 'plan-webview.js', title, root: '<main id="plan"></main>' });
    panel.onDidDispose(() => {
      listening.dispose();
      if (this.panel === panel) this.panel = undefined;
    });
    this._register(panel);
    return panel;
  }

  /** Closes the plan (the approval it belongs to was answered). */
  close(): void {
    this.panel?.dispose();
    this.shown = undefined;
  }

  /**
   * A message of the webview: `ready` (each load, also after the panel was hidden) gets the plan,
   * `reveal` selects that link's place in the diff. Anything else is ignored.
   */
  async receive(message: unknown): Promise<vscode.Range | undefined> {
    if (!isPlanWebviewToHost(message) || !this.shown) return undefined;
    if (message.type === 'ready') {
      const view = this.shown.view;
      if (await this.post()) this.sent.fire(view);
      return undefined;
    }
    const { places, diff } = this.shown;
    const place = places[message.link];
    if (!place) return undefined;
    return this.report('plan reveal', () => this.diff.revealPlace(diff, place));
  }

  private post(): Thenable<boolean> {
    if (!this.panel || !this.shown) return Promise.resolve(false);
    const message: PlanHostToWebview = { type: 'plan', view: this.shown.view };
    return this.panel.webview.postMessage(message);
  }
}
