import * as vscode from 'vscode';
import type { UiCommand, UiServices } from '../services';

/** Placeholder until the phase engine exists: says so instead of pretending to merge. */
export function mergeClustersCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.mergeClusters',
    async run() {
      await s.host.showInformation(vscode.l10n.t('Ganeti: Merge Clusters is not wired to the Merger yet.'));
    },
  };
}
