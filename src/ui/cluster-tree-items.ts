/**
 * What the cluster tree shows, as plain data: stable ids (so expansion survives refreshes),
 * contextValue encoding kind and state (menus match on it), and theme icons coloured by state.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/config/types';
import type { InstanceStopPlan } from '../core/merger/facts';
import type { GroupListEntry, InstanceListEntry, NetworkListEntry, NodeListEntry } from '../core/remote/commands';
import { originFolder, type ClusterOrigin, type ClusterSetting } from './settings';
import { escapeTreeItemText } from './tree-item-text';

export type FolderKind = 'nodes' | 'instances' | 'groups' | 'networks';

/** A cluster's part in the open merge. */
export type MergeRole = 'target' | 'mergee';

export type ClusterTreeNode =
  | { kind: 'cluster'; cluster: ClusterSetting; role?: MergeRole }
  | { kind: 'preview'; findings: readonly Finding[] }
  | { kind: 'finding'; finding: Finding; index: number }
  | { kind: 'folder'; cluster: ClusterSetting; folder: FolderKind }
  | { kind: 'node'; cluster: ClusterSetting; node: NodeListEntry }
  /** stop: the open merge's plan for this mergee instance (preflight's facts.instanceStops). */
  | { kind: 'instance'; cluster: ClusterSetting; instance: InstanceListEntry; stop?: InstanceStopPlan }
  | { kind: 'group'; cluster: ClusterSetting; group: GroupListEntry }
  | { kind: 'network'; cluster: ClusterSetting; network: NetworkListEntry }
  | { kind: 'error'; cluster: ClusterSetting; folder: FolderKind; message: string };

export function treeNodeId(n: ClusterTreeNode): string {
  if (n.kind === 'preview') return 'merge-preview';
  if (n.kind === 'finding') return `merge-preview/${n.index}`;
  const base = `cluster/${n.cluster.name}`;
  switch (n.kind) {
    case 'cluster': return base;
    case 'folder': return `${base}/${n.folder}`;
    case 'node': return `${base}/nodes/${n.node.name}`;
    case 'instance': return `${base}/instances/${n.instance.name}`;
    case 'group': return `${base}/groups/${n.group.uuid}`;
    case 'network': return `${base}/networks/${n.network.uuid}`;
    case 'error': return `${base}/${n.folder}/error`;
  }
}

const FOLDER_LABELS: Record<FolderKind, () => string> = {
  nodes: () => vscode.l10n.t('Nodes'),
  instances: () => vscode.l10n.t('Instances'),
  groups: () => vscode.l10n.t('Node Groups'),
  networks: () => vscode.l10n.t('Networks'),
};

/** A settings scope as the view names it: the row's mark ("user"), or in a sentence ("user settings"). */
export function originLabel(origin: ClusterOrigin, form: 'mark' | 'settings' = 'mark'): string {
  const folder = originFolder(origin);
  if (folder !== undefined) {
    const name = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(folder))?.name ?? vscode.Uri.parse(folder).path.split('/').pop() ?? folder;
    return form === 'mark' ? vscode.l10n.t('folder {0}', name) : vscode.l10n.t('settings of folder {0}', name);
  }
  if (form === 'mark') return origin === 'user' ? vscode.l10n.t('user') : vscode.l10n.t('workspace');
  return origin === 'user' ? vscode.l10n.t('user settings') : vscode.l10n.t('workspace settings');
}

/** Where a cluster row comes from, and the entries of the same name it shadows. */
function originTooltip(cluster: ClusterSetting): string[] {
  if (!cluster.origin) return [];
  return [vscode.l10n.t('From the {0}', originLabel(cluster.origin, 'settings')),
    ...(cluster.shadowed ?? []).map((s) => vscode.l10n.t('Shadows the entry in the {0} (ssh {1})', originLabel(s.origin, 'settings'), s.host))];
}

function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function nodeIcon(node: NodeListEntry): vscode.ThemeIcon {
  if (node.offline || node.role === 'offline') return icon('debug-disconnect', 'disabledForeground');
  switch (node.role) {
    case 'master': return icon('star-full', 'charts.yellow');
    case 'candidate': return icon('server', 'charts.blue');
    case 'drained': return icon('server', 'charts.orange');
    default: return icon('server');
  }
}

function nodeRoleLabel(node: NodeListEntry): string {
  if (node.offline) return vscode.l10n.t('offline');
  return { master: vscode.l10n.t('master'), candidate: vscode.l10n.t('master candidate'), regular: vscode.l10n.t('regular'),
    drained: vscode.l10n.t('drained'), offline: vscode.l10n.t('offline') }[node.role];
}

/** What the merge does to a running mergee instance: stays up, or stops (with the first reason). */
function mergeStopLabel(p: InstanceStopPlan): string {
  if (!p.stop) return vscode.l10n.t('stays up during the merge');
  return p.reasons.length ? vscode.l10n.t('stopped for the merge: {0}', p.reasons[0]) : vscode.l10n.t('stopped for the merge (stop policy)');
}

export function toTreeItem(n: ClusterTreeNode): vscode.TreeItem {
  const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  let item: vscode.TreeItem;
  switch (n.kind) {
    case 'cluster':
      item = new vscode.TreeItem(n.cluster.name, collapsed);
      item.description = [n.role === 'target' ? vscode.l10n.t('merge target') : n.role === 'mergee' ? vscode.l10n.t('merging in') : undefined,
        n.cluster.host === n.cluster.name ? undefined : n.cluster.host, n.cluster.origin && originLabel(n.cluster.origin)].filter(Boolean).join(' · ') || undefined;
      item.iconPath = n.role ? icon(n.role === 'target' ? 'target' : 'git-merge', 'charts.purple') : icon('server-environment');
      item.contextValue = 'ganeti.cluster';
      item.tooltip = [vscode.l10n.t('Ganeti cluster {0} (ssh {1})', n.cluster.name, n.cluster.host), ...originTooltip(n.cluster)].join('\n');
      break;
    case 'folder':
      item = new vscode.TreeItem(FOLDER_LABELS[n.folder](), collapsed);
      item.iconPath = icon({ nodes: 'server', instances: 'vm', groups: 'organization', networks: 'type-hierarchy' }[n.folder]);
      item.contextValue = `ganeti.folder.${n.folder}`;
      break;
    case 'node': {
      const state = n.node.offline ? 'offline' : n.node.role;
      item = new vscode.TreeItem(n.node.name);
      item.description = nodeRoleLabel(n.node);
      item.iconPath = nodeIcon(n.node);
      item.contextValue = `ganeti.node.${state}`;
      item.tooltip = vscode.l10n.t('{0}: {1}, group {2}', n.node.name, nodeRoleLabel(n.node), n.node.group);
      break;
    }
    case 'instance': {
      const state = n.instance.running ? 'running' : 'stopped';
      item = new vscode.TreeItem(n.instance.name);
      item.description = [n.instance.status, n.instance.primaryNode, n.stop && mergeStopLabel(n.stop)].filter(Boolean).join(' · ');
      item.iconPath = n.instance.running
        ? icon('vm-running', 'testing.iconPassed')
        : n.instance.status.startsWith('ERROR') ? icon('vm', 'errorForeground') : icon('vm-outline', 'disabledForeground');
      item.contextValue = `ganeti.instance.${state}`;
      item.tooltip = [vscode.l10n.t('{0}: {1}, primary node {2}', n.instance.name, n.instance.status, n.instance.primaryNode),
        n.stop?.stop && n.stop.reasons.length ? vscode.l10n.t('The merge stops it: {0}', n.stop.reasons.join('; ')) : undefined].filter(Boolean).join('\n');
      break;
    }
    case 'group':
      item = new vscode.TreeItem(n.group.name);
      item.description = vscode.l10n.t('{0} nodes · {1}', n.group.nodeCount, n.group.allocPolicy);
      item.iconPath = icon('organization');
      item.contextValue = 'ganeti.group';
      item.tooltip = `${n.group.name} (${n.group.uuid})`;
      break;
    case 'network':
      item = new vscode.TreeItem(n.network.name);
      item.description = [n.network.subnet, vscode.l10n.t('{0} groups · {1} instances', n.network.groupCount, n.network.instanceCount)].join(' · ');
      item.iconPath = icon('type-hierarchy');
      item.contextValue = 'ganeti.network';
      item.tooltip = [`${n.network.name} (${n.network.uuid})`, `${n.network.subnet}${n.network.gateway ? vscode.l10n.t(', gateway {0}', n.network.gateway) : ''}`].join('\n');
      break;
    case 'preview': {
      const errors = n.findings.filter((f) => f.severity === 'error').length;
      item = new vscode.TreeItem(vscode.l10n.t('Merge preview'), vscode.TreeItemCollapsibleState.Expanded);
      item.description = vscode.l10n.t('{0} conflict(s), {1} warning(s)', errors, n.findings.length - errors);
      item.iconPath = errors > 0 ? icon('error', 'errorForeground') : icon('pass', 'testing.iconPassed');
      item.contextValue = 'ganeti.preview';
      item.command = { command: 'ganeti.showMergedConfigDiff', title: vscode.l10n.t('Show Merged Config Diff') };
      break;
    }
    case 'finding':
      item = new vscode.TreeItem(n.finding.message);
      item.description = n.finding.code;
      item.iconPath = n.finding.severity === 'error' ? icon('error', 'errorForeground') : icon('warning', 'editorWarning.foreground');
      item.contextValue = `ganeti.finding.${n.finding.severity}`;
      item.tooltip = `${n.finding.code}: ${n.finding.message}`;
      break;
    case 'error':
      item = new vscode.TreeItem(vscode.l10n.t('Cannot list: {0}', n.message));
      item.iconPath = icon('error', 'errorForeground');
      item.contextValue = 'ganeti.error';
      item.tooltip = n.message;
      break;
  }
  item.id = treeNodeId(n);
  return escapeTreeItemText(item);
}
