import * as vscode from 'vscode';
import { activateUi, type GanetiMergeApi } from './ui/activate-ui';

/** The extension's entry point: the UI layer (src/ui/activate-ui.ts) builds everything; nothing else lives here. */
export function activate(context: vscode.ExtensionContext): GanetiMergeApi {
  return activateUi(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
