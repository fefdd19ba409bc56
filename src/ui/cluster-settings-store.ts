/** Adds and removes entries of ganetiMerge.clusters in the user settings, keeping the other entries as written. */
import * as vscode from 'vscode';
import type { ClusterSettingsStore } from './services';
import { SETTINGS_SECTION, validateCluster } from './settings';

export class VscodeClusterSettingsStore implements ClusterSettingsStore {
  async add(cluster: { name: string; host: string }): Promise<void> {
    const valid = validateCluster(cluster);
    if (typeof valid === 'string') throw new Error(vscode.l10n.t('A cluster needs {0}.', valid));
    const entries = this.entries();
    if (entries.some((e) => isNamed(e, valid.name))) {
      throw new Error(vscode.l10n.t('A cluster named {0} is already configured.', valid.name));
    }
    await this.write([...entries, { name: valid.name, host: valid.host }]);
  }

  async remove(name: string): Promise<void> {
    const entries = this.entries();
    const kept = entries.filter((e) => !isNamed(e, name));
    if (kept.length === entries.length) throw new Error(vscode.l10n.t('No cluster named {0} is configured.', name));
    await this.write(kept);
  }

  private entries(): unknown[] {
    const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('clusters')?.globalValue;
    return Array.isArray(value) ? [...value] : [];
  }

  private async write(entries: unknown[]): Promise<void> {
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('clusters', entries, vscode.ConfigurationTarget.Global);
  }
}

function isNamed(entry: unknown, name: string): boolean {
  return typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === name;
}
