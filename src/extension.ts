import * as vscode from 'vscode';
import { activateUi, type GanetiMergeApi } from './ui/activate-ui';

/** Builds the core objects and hands them to the UI layer; nothing else lives here. */
export function activate(context: vscode.ExtensionContext): GanetiMergeApi {
  return activateUi(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
