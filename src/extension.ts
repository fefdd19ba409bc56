import * as vscode from 'vscode';
import { activateUi, type GanetiMergeApi } from './ui/activate-ui';

/** The extension's entry point: the UI layer (src/ui/activate-ui.ts) builds everything; nothing else lives here. */
export function activate(context: vscode.ExtensionContext): GanetiMergeApi {
  // Timed here, from the first line of activate() to its return (npm run bench:vscode reads it).
  const started = performance.now();
  const api = activateUi(context);
  return { ...api, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
