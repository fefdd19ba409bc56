import * as vscode from 'vscode';
import { addClusterCommand } from './commands/add-cluster';
import { exportMergeReportCommand } from './commands/export-merge-report';
import { mergeClustersCommand } from './commands/merge-clusters';
import { mergeControlCommands } from './commands/merge-control-commands';
import { mergePhaseCommands } from './commands/merge-phase-commands';
import { openSshTerminalCommand } from './commands/open-ssh-terminal';
import { refreshClustersCommand } from './commands/refresh-clusters';
import { removeClusterCommand } from './commands/remove-cluster';
import { showMergeProgressCommand } from './commands/show-merge-progress';
import { showMergedConfigDiffCommand } from './commands/show-merged-config-diff';
import { toggleMergedDiffBookkeepingCommand } from './commands/toggle-merged-diff-bookkeeping';
import { errorReporter } from './report-errors';
import type { UiServices } from './services';

/**
 * Every command of the extension is registered here, and only here (ids as contributed in
 * package.json), each through the one error reporter: a command throws, it never shows errors itself.
 */
export function registerCommands(s: UiServices): void {
  const commands = [
    mergeClustersCommand(s),
    addClusterCommand(s),
    removeClusterCommand(s),
    refreshClustersCommand(s),
    showMergedConfigDiffCommand(s),
    toggleMergedDiffBookkeepingCommand(s),
    showMergeProgressCommand(s),
    exportMergeReportCommand(s),
    openSshTerminalCommand(s),
    ...mergePhaseCommands(s),
    ...mergeControlCommands(s),
  ];
  const report = errorReporter(s.host, s.log);
  for (const command of commands) {
    s.context.subscriptions.push(vscode.commands.registerCommand(command.id, (...args: unknown[]) => report(command.id, () => command.run(...args))));
  }
}
