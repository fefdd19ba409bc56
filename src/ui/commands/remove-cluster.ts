import * as vscode from 'vscode';
import type { ClusterTreeNode } from '../cluster-tree-items';
import type { UiCommand, UiServices } from '../services';
import type { ClusterSetting } from '../settings';
import { originLabel } from '../cluster-tree-items';

/**
 * Removes a cluster from the settings scope its row came from (only from the view: nothing on the
 * cluster changes). A name shadowed in a losing scope then shows from there.
 */
export function removeClusterCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.removeCluster',
    async run(arg?: unknown) {
      let cluster = (arg as ClusterTreeNode | undefined)?.kind === 'cluster' ? (arg as { cluster: ClusterSetting }).cluster : undefined;
      if (cluster === undefined) {
        const clusters = s.settings().clusters;
        const picked = await s.host.showQuickPick(
          clusters.map((c) => ({ label: c.name, description: [c.host, c.origin && originLabel(c.origin)].filter(Boolean).join(' · ') })),
          { title: vscode.l10n.t('Remove Ganeti Cluster') },
        );
        cluster = clusters.find((c) => c.name === picked?.label);
      }
      if (cluster === undefined) return;
      const { name, origin } = cluster;
      const remove = vscode.l10n.t('Remove');
      const answer = await s.host.showWarning(
        origin ? vscode.l10n.t('Remove {0} from the {1}?', name, originLabel(origin, 'settings')) : vscode.l10n.t('Remove {0} from the Clusters view?', name),
        { modal: true, detail: vscode.l10n.t('Only the entry in your settings is removed; the cluster itself is not touched.') },
        remove,
      );
      if (answer !== remove) return;
      await s.clusterSettings.remove(name, origin);
    },
  };
}
