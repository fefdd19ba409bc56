import * as vscode from 'vscode';
import type { UiCommand, UiServices } from '../services';

/** Roll Back Merge, Roll Back Last Phase, Resume Merge, Cancel: the controller asks and does the work. */
export function mergeControlCommands(s: UiServices): UiCommand[] {
  return [
    { id: 'ganeti.rollBackMerge', run: () => s.merges.rollback() },
    { id: 'ganeti.rollBackLastPhase', run: () => s.merges.undoLast() },
    { id: 'ganeti.resumeMerge', run: () => s.merges.resume() },
    {
      id: 'ganeti.cancelMerge',
      async run() {
        if (!s.merges.cancel()) await s.host.showInformation(vscode.l10n.t('Nothing is running.'));
      },
    },
  ];
}
