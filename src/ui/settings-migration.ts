/**
 * Settings whose type changed: `ganetiMerge.defaults.stopInstances` was a boolean before the stop
 * policy (all | needed | none). An old value is rewritten in the scope that holds it, with a notice,
 * so the operator's choice keeps its meaning (true = all, false = none).
 */
import * as vscode from 'vscode';
import { normalizeStopInstances } from '../core/merger/types';
import { SETTINGS_SECTION } from './settings';

const KEY = 'defaults.stopInstances';

export async function migrateSettings(log: { info(message: string): void }): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const seen = configuration.inspect<unknown>(KEY);
  if (!seen) return;
  const scopes: [unknown, vscode.ConfigurationTarget][] = [
    [seen.globalValue, vscode.ConfigurationTarget.Global],
    [seen.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [seen.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
  ];
  for (const [value, target] of scopes) {
    if (typeof value !== 'boolean') continue;
    const policy = normalizeStopInstances(value)!;
    await configuration.update(KEY, policy, target);
    const text = vscode.l10n.t('Ganeti Merge: setting {0}.{1} was {2}; it is now "{3}" (the same behaviour). "needed" keeps running the instances the merge does not change.',
      SETTINGS_SECTION, KEY, String(value), policy);
    log.info(text);
    void vscode.window.showInformationMessage(text);
  }
}
