/**
 * Builds the VS Code side from the core: settings, prompter, ssh session, tree, diff, progress
 * panel, commands. Everything is pushed into context.subscriptions.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PHASES } from '../core/merger/types';
import { editorConfigApprover } from './merge/config-approval';
import { offerRecovery } from './merge/journal-recovery';
import { MergeContextKeys } from './merge/merge-context-keys';
import { MergeController } from './merge/merge-controller';
import { MergeStatusBar } from './merge/merge-status-bar';
import { quickInputIo } from './merge/quick-input-io';
import { ClusterTreeProvider, CLUSTER_VIEW_ID } from './cluster-tree';
import { clusterScopes, VscodeClusterSettingsStore } from './cluster-settings-store';
import { vscodeHost } from './host';
import { MergedConfigDiff } from './merged-config-diff';
import { ProgressPanelHost, type ProgressActions } from './progress-panel';
import { registerCommands } from './registerCommands';
import { PlanPanel } from './plan-panel';
import { errorReporter } from './report-errors';
import { RemoteSession } from './remote-session';
import type { UiServices } from './services';
import { readSettings, SETTINGS_SECTION, type GanetiMergeSettings } from './settings';
import { migrateSettings } from './settings-migration';
import { TranscriptLog } from './transcript-log';
import { VscodePrompter } from './vscode-prompter';

/** What activate() returns: the live UI objects, for the in-host tests. */
export interface GanetiMergeApi {
  readonly services: UiServices;
  /** Where the merges' journals live (one directory per merge). */
  readonly storageDir: string;
  /** How long activate() took, its own start to its end (ms; npm run bench:vscode prints it). */
  readonly activationMs: number;
}

/** The panel's buttons: run a phase, undo the newest phase, roll back everything. */
function panelActions(merges: MergeController): ProgressActions {
  return {
    runPhase: async (phase) => {
      const id = PHASES.find((p) => p.id === phase)?.id;
      if (!id) throw new Error(vscode.l10n.t('unknown phase {0}', phase));
      await merges.runPhase(id);
    },
    undoPhase: async (phase) => {
      const id = PHASES.find((p) => p.id === phase)?.id;
      if (!id) throw new Error(vscode.l10n.t('unknown phase {0}', phase));
      await merges.undoPhase(id);
    },
    rollBack: async () => {
      await merges.rollback();
    },
  };
}

export function activateUi(context: vscode.ExtensionContext): Omit<GanetiMergeApi, 'activationMs'> {
  const log = new TranscriptLog();
  context.subscriptions.push(log);

  let current = loadSettings(log);
  const settings = (): GanetiMergeSettings => current;

  const prompter = new VscodePrompter(vscodeHost, context.secrets);
  const remote = new RemoteSession(settings, prompter, log);
  const diff = new MergedConfigDiff();
  const report = errorReporter(vscodeHost, log);
  const progress = new ProgressPanelHost(context.extensionUri, report, async () => {
    await vscodeHost.showInformation(vscode.l10n.t('No merge is open: run "Ganeti: Merge Clusters" first.'));
  });
  const plans = new PlanPanel(context.extensionUri, diff, report);
  context.subscriptions.push(remote, diff, progress, plans);

  const storageDir = path.join(context.globalStorageUri.fsPath, 'merges');
  const merges = new MergeController({
    storageDir, settings, prompter, host: vscodeHost, progress, log, approveConfig: editorConfigApprover(diff, vscodeHost, plans),
  });
  context.subscriptions.push(merges, new MergeStatusBar(merges), new MergeContextKeys(merges));
  progress.setActions(panelActions(merges));

  const tree = new ClusterTreeProvider(() => current.clusters, remote, () => {
    const s = merges.snapshot();
    return { target: s.target, mergees: s.mergees ?? [], findings: merges.findings, instanceStops: merges.engine?.journal.doc.facts?.instanceStops };
  });
  context.subscriptions.push(tree, merges.onDidChangeShape(() => tree.refresh()));
  context.subscriptions.push(vscode.window.createTreeView(CLUSTER_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }));

  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
    current = loadSettings(log);
    const sshChanged = ['sshConfigFile', 'knownHostsFile', 'identityFile', 'commandTimeoutSeconds'].some((k) => e.affectsConfiguration(`${SETTINGS_SECTION}.${k}`));
    if (sshChanged) void remote.reset();
    tree.refresh();
  }));

  const services: UiServices = {
    context, host: vscodeHost, settings, remote, tree, diff, plans, progress, log,
    clusterSettings: new VscodeClusterSettingsStore(),
    merges, wizardIo: quickInputIo, storageDir,
  };
  registerCommands(services);
  void migrateSettings(log).catch((err: Error) => log.error(err.message));
  // Not awaited: activation must not wait for the operator's answer. A throw (a lock refusal) is shown like a command's.
  void report('merge recovery', () => offerRecovery({ storageDir, controller: merges, host: vscodeHost, progress, log }));
  return { services, storageDir };
}

/** Reads the settings; rejected values go to the log and a warning, and their defaults are used. */
function loadSettings(log: TranscriptLog): GanetiMergeSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const { settings, problems } = readSettings((key) => configuration.get(key), undefined, clusterScopes());
  if (problems.length > 0) {
    for (const p of problems) log.error(p);
    void vscodeHost.showWarning(vscode.l10n.t('Ganeti Merge: {0} setting(s) ignored: {1}', problems.length, problems.join('; ')), { modal: false });
  }
  return settings;
}
