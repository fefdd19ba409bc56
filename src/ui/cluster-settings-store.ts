/**
 * Adds and removes entries of ganetiMerge.clusters where the list the view shows is defined (the
 * workspace settings or the user settings), keeping the other entries as written.
 */
import * as vscode from 'vscode';
import type { ClusterSettingsStore } from './services';
import { SETTINGS_SECTION, validateCluster } from './settings';

interface ClusterList {
  readonly entries: unknown[];
  readonly target: vscode.ConfigurationTarget.Global | vscode.ConfigurationTarget.Workspace;
}

export class VscodeClusterSettingsStore implements ClusterSettingsStore {
  async add(cluster: { name: string; host: string }): Promise<void> {
    const valid = validateCluster(cluster);
    if (typeof valid === 'string') throw new Error(vscode.l10n.t('A cluster needs {0}.', valid));
    const list = effectiveList();
    if (list.entries.some((e) => isNamed(e, valid.name))) {
      throw new Error(vscode.l10n.t('A cluster named {0} is already configured.', valid.name));
    }
    await write(list, [...list.entries, { name: valid.name, host: valid.host }]);
  }

  async remove(name: string): Promise<void> {
    const list = effectiveList();
    const kept = list.entries.filter((e) => !isNamed(e, name));
    if (kept.length === list.entries.length) throw new Error(vscode.l10n.t('No cluster named {0} is configured.', name));
    await write(list, kept);
  }
}

/**
 * The scope whose list VS Code uses, and so the view shows: the workspace's when it sets one and is
 * trusted (an untrusted workspace's value is ignored: restrictedConfigurations), else the user's.
 * Folder values are never used for this window-scoped setting.
 */
function effectiveList(): ClusterList {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('clusters');
  const workspace = inspected?.workspaceValue;
  if (Array.isArray(workspace) && vscode.workspace.isTrusted) return { entries: [...workspace], target: vscode.ConfigurationTarget.Workspace };
  const global = inspected?.globalValue;
  return { entries: Array.isArray(global) ? [...global] : [], target: vscode.ConfigurationTarget.Global };
}

async function write(list: ClusterList, entries: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('clusters', entries, list.target);
}

function isNamed(entry: unknown, name: string): boolean {
  return typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === name;
}
