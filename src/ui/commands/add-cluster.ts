import * as vscode from 'vscode';
import type { UiCommand, UiServices } from '../services';
import { validateCluster } from '../settings';

/** Asks for a cluster's ssh name and display name and adds it to ganetiMerge.clusters. */
export function addClusterCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.addCluster',
    async run() {
      const host = await s.host.showInputBox({
        title: vscode.l10n.t('Add Ganeti Cluster (1/2)'),
        prompt: vscode.l10n.t('ssh name of the cluster or its master node, as in your ssh config'),
        placeHolder: 'cluster1.example.com',
        ignoreFocusOut: true,
        validateInput: (v) => {
          const r = validateCluster({ name: 'x', host: v.trim() });
          return typeof r === 'string' ? vscode.l10n.t('Expected {0}.', r) : undefined;
        },
      });
      if (host === undefined) return;
      const name = await s.host.showInputBox({
        title: vscode.l10n.t('Add Ganeti Cluster (2/2)'),
        prompt: vscode.l10n.t('Name shown in the Clusters view'),
        value: host.trim(),
        ignoreFocusOut: true,
        validateInput: (v) => (s.settings().clusters.some((c) => c.name === v.trim()) ? vscode.l10n.t('This name is already used.') : undefined),
      });
      if (name === undefined) return;
      await s.clusterSettings.add({ name: name.trim(), host: host.trim() });
    },
  };
}
