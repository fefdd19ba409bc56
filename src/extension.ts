import * as vscode from 'vscode';
import { registerCommands } from './ui/registerCommands';

/** Builds the core objects and hands them to the UI layer; nothing else lives here. */
export function activate(context: vscode.ExtensionContext): void {
  registerCommands(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
