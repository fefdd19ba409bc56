import * as vscode from 'vscode';
import type { MergedDiffResult } from '../merged-config-diff';
import type { UiCommand, UiServices } from '../services';

/**
 * Reopens the active merged-config diff with the bookkeeping fields (serial_no, ctime, mtime)
 * hidden on both sides (read-only), or shows the raw, editable diff again.
 */
export function toggleMergedDiffBookkeepingCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.toggleMergedDiffBookkeeping',
    async run(): Promise<MergedDiffResult | undefined> {
      const shown = await s.diff.toggleBookkeeping();
      if (!shown) await s.host.showInformation(vscode.l10n.t('Open a merged config diff first (Ganeti: Show Merged Config Diff).'));
      return shown;
    },
  };
}
