import type { ClusterTreeNode } from '../cluster-tree-items';
import type { UiCommand, UiServices } from '../services';

/** Fetches the clusters' nodes, instances and groups again (over fresh connections). */
export function refreshClustersCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.refreshClusters',
    async run(arg?: unknown) {
      const node = arg as ClusterTreeNode | undefined;
      if (!node) await s.remote.reset();
      s.tree.refresh(node?.kind ? node : undefined);
    },
  };
}
