import * as vscode from 'vscode';
import type { ClusterTreeNode } from '../cluster-tree-items';
import type { UiCommand, UiServices } from '../services';

/** Removes a cluster from the settings (only from the view: nothing on the cluster changes). */
export function removeClusterCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.removeCluster',
    async run(arg?: unknown) {
      let name = (arg as ClusterTreeNode | undefined)?.kind === 'cluster' ? (arg as { cluster: { name: string } }).cluster.name : undefined;
      if (name === undefined) {
        const picked = await s.host.showQuickPick(
          s.settings().clusters.map((c) => ({ label: c.name, description: c.host })),
          { title: vscode.l10n.t('Remove Ganeti Cluster') },
        );
        name = picked?.label;
      }
      if (name === undefined) return;
      const remove = vscode.l10n.t('Remove');
      const answer = await s.host.showWarning(
        vscode.l10n.t('Remove {0} from the Clusters view?', name),
        { modal: true, detail: vscode.l10n.t('Only the entry in your settings is removed; the cluster itself is not touched.') },
        remove,
      );
      if (answer !== remove) return;
      await s.clusterSettings.remove(name);
    },
  };
}
