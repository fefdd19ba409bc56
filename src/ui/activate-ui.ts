/**
 * Builds the VS Code side from the core: settings, prompter, ssh session, tree, diff, progress
 * panel, commands. Everything is pushed into context.subscriptions.
 */
import * as vscode from 'vscode';
import { ClusterTreeProvider, CLUSTER_VIEW_ID } from './cluster-tree';
import { VscodeClusterSettingsStore } from './cluster-settings-store';
import { vscodeHost } from './host';
import { MergedConfigDiff } from './merged-config-diff';
import { ProgressPanelHost } from './progress-panel';
import { registerCommands } from './registerCommands';
import { RemoteSession } from './remote-session';
import type { UiServices } from './services';
import { readSettings, SETTINGS_SECTION, type GanetiMergeSettings } from './settings';
import { TranscriptLog } from './transcript-log';
import { VscodePrompter } from './vscode-prompter';

/** What activate() returns: the live UI objects, for the in-host tests. */
export interface GanetiMergeApi {
  readonly services: UiServices;
}

export function activateUi(context: vscode.ExtensionContext): GanetiMergeApi {
  const log = new TranscriptLog();
  context.subscriptions.push(log);

  let current = loadSettings(log);
  const settings = (): GanetiMergeSettings => current;

  const remote = new RemoteSession(settings, new VscodePrompter(vscodeHost, context.secrets), log);
  const tree = new ClusterTreeProvider(() => current.clusters, remote);
  const diff = new MergedConfigDiff(remote, settings);
  const progress = new ProgressPanelHost(context.extensionUri, async () => {
    await vscodeHost.showInformation(vscode.l10n.t('The merge engine is not connected to this panel yet.'));
  });
  context.subscriptions.push(remote, tree, diff, progress);
  context.subscriptions.push(vscode.window.createTreeView(CLUSTER_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }));

  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
    current = loadSettings(log);
    const sshChanged = ['sshConfigFile', 'knownHostsFile', 'identityFile'].some((k) => e.affectsConfiguration(`${SETTINGS_SECTION}.${k}`));
    if (sshChanged) void remote.reset();
    tree.refresh();
  }));

  const services: UiServices = {
    context, host: vscodeHost, settings, remote, tree, diff, progress, log,
    clusterSettings: new VscodeClusterSettingsStore(),
  };
  registerCommands(services);
  return { services };
}

/** Reads the settings; rejected values go to the log and a warning, and their defaults are used. */
function loadSettings(log: TranscriptLog): GanetiMergeSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const { settings, problems } = readSettings((key) => configuration.get(key));
  if (problems.length > 0) {
    for (const p of problems) log.error(p);
    void vscode.window.showWarningMessage(vscode.l10n.t('Ganeti Merge: {0} setting(s) ignored: {1}', problems.length, problems.join('; ')));
  }
  if (settings.identityFile) {
    log.info(vscode.l10n.t('ganetiMerge.identityFile is not used yet: name the key with IdentityFile in the ssh config file.'));
  }
  return settings;
}
