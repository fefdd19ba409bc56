/** What commands are given to work with: built once in activate(), passed to every command. */
import type * as vscode from 'vscode';
import type { ClusterTreeProvider } from './cluster-tree';
import type { MergedConfigDiff } from './merged-config-diff';
import type { PlanPanel } from './plan-panel';
import type { UiHost } from './host';
import type { ProgressPanelHost } from './progress-panel';
import type { RemoteSession } from './remote-session';
import type { ClusterOrigin, GanetiMergeSettings } from './settings';
import type { TranscriptLog } from './transcript-log';
import type { MergeController } from './merge/merge-controller';
import type { WizardIo } from './merge/merge-wizard';

export interface UiServices {
  readonly context: vscode.ExtensionContext;
  readonly host: UiHost;
  readonly settings: () => GanetiMergeSettings;
  readonly clusterSettings: ClusterSettingsStore;
  readonly remote: RemoteSession;
  readonly tree: ClusterTreeProvider;
  readonly diff: MergedConfigDiff;
  /** The merge plan beside the approval's diff; its links select their place in it. */
  readonly plans: PlanPanel;
  readonly progress: ProgressPanelHost;
  readonly log: TranscriptLog;
  /** The open merge (at most one): runs the core's MergeEngine. */
  readonly merges: MergeController;
  /** Where the editor keeps its merges' journals (merge-journals.ts). */
  readonly storageDir: string;
  /** How the Merge Clusters wizard asks (quick inputs; scripted in tests). */
  readonly wizardIo: WizardIo;
}

export interface ClusterSettingsStore {
  add(cluster: { name: string; host: string }): Promise<void>;
  /** origin: the scope to remove from (the row's); without it, the list Add Cluster would extend. */
  remove(name: string, origin?: ClusterOrigin): Promise<void>;
}

/** One command: its id (as contributed in package.json) and what it does. */
export interface UiCommand {
  readonly id: string;
  run(...args: unknown[]): unknown;
}
