/**
 * The Clusters view: configured clusters, and under each (fetched over ssh only when expanded)
 * its nodes, instances, node groups and networks. A failed fetch shows as an error row, not a dialog.
 */
import * as vscode from 'vscode';
import type { RemoteCommand } from '../core/remote/command';
import * as ganeti from '../core/remote/commands';
import type { GroupListEntry, InstanceListEntry, NetworkListEntry, NodeListEntry } from '../core/remote/commands';
import type { Finding } from '../core/config/types';
import type { InstanceStopPlan } from '../core/merger/facts';
import { toTreeItem, type ClusterTreeNode, type FolderKind, type MergeRole } from './cluster-tree-items';
import { Disposable } from './disposable';
import type { ClusterCommands } from './remote-session';
import type { ClusterSetting } from './settings';

export const CLUSTER_VIEW_ID = 'ganetiMerge.clusters';

export interface OpenMergeView {
  readonly target?: string;
  readonly mergees: readonly string[];
  readonly findings: readonly Finding[];
  /** Preflight's plan per mergee instance (instance names are unique across a merge). */
  readonly instanceStops?: readonly InstanceStopPlan[];
}

export class ClusterTreeProvider extends Disposable implements vscode.TreeDataProvider<ClusterTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<ClusterTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly clusters: () => readonly ClusterSetting[],
    private readonly remote: ClusterCommands,
    /** The open merge's clusters (by ssh host), its preflight findings and stop plan, for roles, the preview branch and each mergee instance's fate. */
    private readonly merge: () => OpenMergeView = () => ({ mergees: [], findings: [] }),
  ) {
    super();
  }

  /** Forgets fetched children; collapsed folders fetch again when expanded. */
  refresh(node?: ClusterTreeNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: ClusterTreeNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  async getChildren(node?: ClusterTreeNode): Promise<ClusterTreeNode[]> {
    if (!node) {
      const merge = this.merge();
      const role = (c: ClusterSetting): MergeRole | undefined => (c.host === merge.target ? 'target' : merge.mergees.includes(c.host) ? 'mergee' : undefined);
      const roots: ClusterTreeNode[] = this.clusters().map((cluster) => ({ kind: 'cluster', cluster, role: role(cluster) }));
      if (merge.target) roots.push({ kind: 'preview', findings: merge.findings });
      return roots;
    }
    if (node.kind === 'preview') return node.findings.map((finding, index) => ({ kind: 'finding', finding, index }));
    if (node.kind === 'cluster') {
      return (['nodes', 'instances', 'groups', 'networks'] as const).map((folder) => ({ kind: 'folder', cluster: node.cluster, folder }));
    }
    if (node.kind === 'folder') return this.fetchFolder(node.cluster, node.folder);
    return [];
  }

  private async fetchFolder(cluster: ClusterSetting, folder: FolderKind): Promise<ClusterTreeNode[]> {
    try {
      switch (folder) {
        case 'nodes':
          return (await this.list(cluster, ganeti.nodeList())).map((n: NodeListEntry) => ({ kind: 'node', cluster, node: n }));
        case 'instances': {
          const merge = this.merge();
          const plan = merge.mergees.includes(cluster.host) ? new Map((merge.instanceStops ?? []).map((p) => [p.instance, p])) : new Map<string, InstanceStopPlan>();
          return (await this.list(cluster, ganeti.instanceList())).map((i: InstanceListEntry) => {
            const stop = i.running ? plan.get(i.name) : undefined;
            return { kind: 'instance', cluster, instance: i, ...(stop ? { stop } : {}) };
          });
        }
        case 'groups':
          return (await this.list(cluster, ganeti.groupList())).map((g: GroupListEntry) => ({ kind: 'group', cluster, group: g }));
        case 'networks':
          return (await this.list(cluster, ganeti.networkList())).map((n: NetworkListEntry) => ({ kind: 'network', cluster, network: n }));
      }
    } catch (err) {
      return [{ kind: 'error', cluster, folder, message: (err as Error).message }];
    }
  }

  private async list<T extends { name: string }>(cluster: ClusterSetting, command: RemoteCommand<T[]>): Promise<T[]> {
    const rows = await this.remote.run(cluster.host, command);
    return [...rows].sort((a, b) => a.name.localeCompare(b.name));
  }
}
