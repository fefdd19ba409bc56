/**
 * The small part of vscode.window the UI logic needs, so commands can be driven by scripted answers
 * in tests instead of real dialogs.
 */
import * as vscode from 'vscode';
import { terminalSafe } from '../core/safe-text';
import { notificationText } from './notification-text';

export interface UiHost {
  showInformation(message: string): Promise<void>;
  showError(message: string): Promise<void>;
  /** A non-modal information message with buttons; undefined when dismissed. */
  showChoice(message: string, ...actions: string[]): Promise<string | undefined>;
  showWarning(message: string, options: { modal: boolean; detail?: string }, ...actions: string[]): Promise<string | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany?: false }): Promise<T | undefined>;
  showQuickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined>;
  /**
   * Runs `task` under a progress notification; `report` sets its message, and `signal` aborts when
   * the operator cancels it (never when not `cancellable`).
   */
  withProgress<T>(options: { title: string; cancellable: boolean }, task: (report: (message: string | undefined) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
}

/** Every message and progress text passes notificationText: a message may quote a cluster, and VS Code makes links of it. */
export const vscodeHost: UiHost = {
  async showInformation(message) {
    await vscode.window.showInformationMessage(notificationText(message));
  },
  async showError(message) {
    // Not awaited: the notification settles only when closed, and callers must not wait for that.
    void vscode.window.showErrorMessage(notificationText(message));
  },
  async showChoice(message, ...actions) {
    return vscode.window.showInformationMessage(notificationText(message), ...actions);
  },
  async showWarning(message, options, ...actions) {
    // a modal's detail (a merge summary, one item a line) keeps its lines; its controls are escaped
    return vscode.window.showWarningMessage(notificationText(message), { ...options, ...(options.detail === undefined ? {} : { detail: terminalSafe(options.detail) }) }, ...actions);
  },
  async showInputBox(options) {
    return vscode.window.showInputBox(options);
  },
  async showQuickPick(items, options) {
    return vscode.window.showQuickPick(items, { ...options, canPickMany: false });
  },
  async showQuickPickMany(items, options) {
    return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
  },
  async withProgress(options, task) {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, ...options, title: notificationText(options.title) }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await task((message) => progress.report({ message: message === undefined ? undefined : notificationText(message) }), abort.signal);
      } finally {
        sub.dispose();
      }
    });
  },
};
