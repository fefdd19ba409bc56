import * as vscode from 'vscode';

/** Every command of the extension is registered here, and only here. */
export function registerCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ganeti.mergeClusters', async () => {
      await vscode.window.showInformationMessage(vscode.l10n.t('Ganeti: Merge Clusters is not wired to the Merger yet.'));
    }),
  );
}
