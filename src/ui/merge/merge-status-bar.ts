/** The status bar item of the open merge: the phase running now, or how it ended; a click shows the panel. */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { MergeController, MergeSnapshot } from './merge-controller';
import { phaseTitle } from './phase-titles';

export class MergeStatusBar extends Disposable {
  readonly item = this._register(vscode.window.createStatusBarItem('ganetiMerge.status', vscode.StatusBarAlignment.Left, 10));

  constructor(controller: MergeController) {
    super();
    this.item.name = vscode.l10n.t('Ganeti Merge');
    this.item.command = 'ganeti.showMergeProgress';
    this._register(controller.onDidChange((s) => this.update(s)));
    this.update(controller.snapshot());
  }

  update(s: MergeSnapshot): void {
    if (!s.active) {
      this.item.hide();
      return;
    }
    const t = vscode.l10n.t;
    let text: string;
    if (s.running) text = t('$(sync~spin) Ganeti: {0}', phaseTitle(s.running));
    else if (s.rolledBack) text = t('$(discard) Ganeti: rolled back');
    else if (s.outcome === 'merged') text = t('$(check) Ganeti: merged');
    else if (s.outcome === 'failed' || s.outcome === 'cancelled') text = t('$(error) Ganeti: merge {0}', s.outcome);
    else if (s.nextPhase) text = t('$(debug-pause) Ganeti: next {0}', phaseTitle(s.nextPhase));
    else text = t('$(check) Ganeti: merged');
    this.item.text = text;
    this.item.tooltip = [t('Ganeti merge of {0} into {1}', (s.mergees ?? []).join(', '), s.target ?? ''), s.progress, s.journalFile ? t('journal: {0}', s.journalFile) : undefined]
      .filter(Boolean).join('\n');
    this.item.backgroundColor = s.outcome === 'failed' || s.outcome === 'cancelled' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }
}
