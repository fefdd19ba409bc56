import * as vscode from 'vscode';
import type { MergedDiffResult } from '../merged-config-diff';
import type { UiCommand, UiServices } from '../services';
import type { ClusterSetting } from '../settings';

/**
 * Picks a target and mergees among the configured clusters (or takes their names as arguments)
 * and opens the merged-config diff of the engine's preflight (the open merge's, or a preflight-only
 * run). Returns the documents' URIs, or undefined when cancelled or failed.
 */
export function showMergedConfigDiffCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.showMergedConfigDiff',
    async run(targetName?: unknown, mergeeNames?: unknown): Promise<MergedDiffResult | undefined> {
      const clusters = s.settings().clusters;
      const byName = (name: unknown) => clusters.find((c) => c.name === name);
      let target: ClusterSetting | undefined;
      let mergees: ClusterSetting[] | undefined;
      if (typeof targetName === 'string' && Array.isArray(mergeeNames)) {
        target = byName(targetName);
        mergees = mergeeNames.map(byName).filter((c): c is ClusterSetting => c !== undefined);
        if (!target || mergees.length !== mergeeNames.length) {
          await s.host.showError(vscode.l10n.t('Unknown cluster among {0}; configured: {1}', [targetName, ...mergeeNames].join(', '), clusters.map((c) => c.name).join(', ')));
          return undefined;
        }
      } else {
        if (clusters.length < 2) {
          await s.host.showError(vscode.l10n.t('Configure at least two clusters first (Ganeti: Add Cluster).'));
          return undefined;
        }
        const item = (c: ClusterSetting) => ({ label: c.name, description: c.host, cluster: c });
        const picked = await s.host.showQuickPick(clusters.map(item), { title: vscode.l10n.t('Target cluster (receives the others)') });
        if (!picked) return undefined;
        target = picked.cluster;
        const others = await s.host.showQuickPickMany(clusters.filter((c) => c !== target).map(item), { title: vscode.l10n.t('Clusters to merge into {0}', target.name) });
        if (!others || others.length === 0) return undefined;
        mergees = others.map((o) => o.cluster);
      }
      if (mergees.some((m) => m.name === target!.name)) {
        await s.host.showError(vscode.l10n.t('{0} cannot be merged into itself.', target.name));
        return undefined;
      }
      const plan = { ...s.settings().defaults, target: target.host, mergees: mergees.map((m) => m.host) };
      // A failure (ssh, an unreadable config.data) is thrown: the command wrapper logs and shows it.
      const { preview, refusal } = await s.host.withProgress({ title: vscode.l10n.t('Preflight: fetching and merging configs…'), cancellable: true },
        (_report, signal) => s.merges.preview(plan, signal));
      if (refusal) s.log.info(vscode.l10n.t('merged config preview: preflight refused the merge: {0}', refusal));
      return s.diff.showPreview(preview);
    },
  };
}
