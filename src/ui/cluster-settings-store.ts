/**
 * Reads ganetiMerge.clusters from every scope VS Code reads it from (the view lists them all, marked
 * by origin), and adds and removes entries in one scope's list, keeping its other entries as written.
 */
import * as vscode from 'vscode';
import type { ClusterSettingsStore } from './services';
import { folderOrigin, originFolder, SETTINGS_SECTION, validateCluster, type ClusterOrigin, type ClusterScopes } from './settings';

interface ClusterList {
  readonly entries: unknown[];
  readonly origin: ClusterOrigin;
}

export class VscodeClusterSettingsStore implements ClusterSettingsStore {
  async add(cluster: { name: string; host: string }): Promise<void> {
    const valid = validateCluster(cluster);
    if (typeof valid === 'string') throw new Error(vscode.l10n.t('A cluster needs {0}.', valid));
    const list = winningList();
    if (list.entries.some((e) => isNamed(e, valid.name))) {
      throw new Error(vscode.l10n.t('A cluster named {0} is already configured.', valid.name));
    }
    await write(list, [...list.entries, { name: valid.name, host: valid.host }]);
  }

  /** Removes from `origin`'s list (the view's row says where the entry came from), else from the winning list. */
  async remove(name: string, origin?: ClusterOrigin): Promise<void> {
    const list = origin ? scopeList(origin) : winningList();
    const kept = list.entries.filter((e) => !isNamed(e, name));
    if (kept.length === list.entries.length) throw new Error(vscode.l10n.t('No cluster named {0} is configured.', name));
    await write(list, kept);
  }
}

/**
 * The lists VS Code reads, the winning scope first (its precedence for a resource setting): each
 * folder's of a multi-root workspace, in the workspace's order, then the workspace's, then the
 * user's. Folder and workspace values count only in a trusted workspace (restrictedConfigurations).
 * A single-folder window has no folder scope of its own: its .vscode/settings.json is the workspace's.
 */
export function clusterScopes(): ClusterScopes {
  const scopes: { origin: ClusterOrigin; value: unknown; label?: string }[] = [];
  const trusted = vscode.workspace.isTrusted;
  if (trusted && vscode.workspace.workspaceFile !== undefined) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).inspect<unknown>('clusters')?.workspaceFolderValue;
      if (value !== undefined) scopes.push({ origin: folderOrigin(folder.uri.toString()), value, label: `folder ${folder.name}` });
    }
  }
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('clusters');
  if (inspected?.workspaceValue !== undefined && trusted) scopes.push({ origin: 'workspace', value: inspected.workspaceValue });
  if (inspected?.globalValue !== undefined) scopes.push({ origin: 'user', value: inspected.globalValue });
  return scopes;
}

/** The list Add Cluster extends: the winning scope's (a folder's, else the workspace's, when it defines one), else the user's. */
function winningList(): ClusterList {
  return scopeList(clusterScopes().find((s) => Array.isArray(s.value))?.origin ?? 'user');
}

function scopeList(origin: ClusterOrigin): ClusterList {
  const value = clusterScopes().find((s) => s.origin === origin)?.value;
  return { entries: Array.isArray(value) ? [...value] : [], origin };
}

async function write(list: ClusterList, entries: unknown[]): Promise<void> {
  const folder = originFolder(list.origin);
  if (folder !== undefined) {
    await vscode.workspace.getConfiguration(SETTINGS_SECTION, vscode.Uri.parse(folder)).update('clusters', entries, vscode.ConfigurationTarget.WorkspaceFolder);
    return;
  }
  const target = list.origin === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('clusters', entries, target);
}

function isNamed(entry: unknown, name: string): boolean {
  return typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === name;
}
