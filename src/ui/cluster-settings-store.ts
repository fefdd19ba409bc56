/**
 * Reads ganetiMerge.clusters from every scope VS Code reads it from (the view lists them all, marked
 * by origin), and adds and removes entries in one scope's list, keeping its other entries as written.
 */
import * as vscode from 'vscode';
import type { ClusterSettingsStore } from './services';
import { SETTINGS_SECTION, validateCluster, type ClusterOrigin, type ClusterScopes } from './settings';

const TARGETS: Record<ClusterOrigin, vscode.ConfigurationTarget.Global | vscode.ConfigurationTarget.Workspace> = {
  user: vscode.ConfigurationTarget.Global,
  workspace: vscode.ConfigurationTarget.Workspace,
};

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
 * The lists VS Code reads, the winning scope first: the workspace's when it sets one and is trusted
 * (an untrusted workspace's value is ignored: restrictedConfigurations), then the user's. Folder
 * values are never used for this window-scoped setting.
 */
export function clusterScopes(): ClusterScopes {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('clusters');
  const scopes: { origin: ClusterOrigin; value: unknown }[] = [];
  if (inspected?.workspaceValue !== undefined && vscode.workspace.isTrusted) scopes.push({ origin: 'workspace', value: inspected.workspaceValue });
  if (inspected?.globalValue !== undefined) scopes.push({ origin: 'user', value: inspected.globalValue });
  return scopes;
}

/** The list Add Cluster extends: the winning scope's (the workspace's when it defines one), else the user's. */
function winningList(): ClusterList {
  return scopeList(clusterScopes().find((s) => Array.isArray(s.value))?.origin ?? 'user');
}

function scopeList(origin: ClusterOrigin): ClusterList {
  const value = clusterScopes().find((s) => s.origin === origin)?.value;
  return { entries: Array.isArray(value) ? [...value] : [], origin };
}

async function write(list: ClusterList, entries: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('clusters', entries, TARGETS[list.origin]);
}

function isNamed(entry: unknown, name: string): boolean {
  return typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === name;
}
