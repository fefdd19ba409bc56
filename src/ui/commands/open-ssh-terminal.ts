import * as vscode from 'vscode';
import { isDnsName } from '../../core/remote/names';
import type { ClusterTreeNode } from '../cluster-tree-items';
import type { UiCommand, UiServices } from '../services';

/**
 * "Open SSH Terminal to Node": a terminal running OpenSSH with the extension's ssh config and
 * known_hosts, and strict host key checking (an unknown or changed key is refused, never added).
 * The node name is validated and passed as one argv element: no shell sees it.
 */
export function openSshTerminalCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.openSshTerminal',
    async run(node?: unknown): Promise<vscode.Terminal | undefined> {
      const n = node as ClusterTreeNode | undefined;
      const name = n?.kind === 'node' ? n.node.name : undefined;
      if (!name || !isDnsName(name)) {
        await s.host.showError(vscode.l10n.t('Pick a node in the Clusters view to open a terminal to it.'));
        return undefined;
      }
      const terminal = vscode.window.createTerminal({ name: `ssh ${name}`, shellPath: 'ssh', shellArgs: sshArgs(s, name) });
      terminal.show();
      return terminal;
    },
  };
}

export function sshArgs(s: UiServices, host: string): string[] {
  const settings = s.settings();
  const args: string[] = ['-o', 'StrictHostKeyChecking=yes'];
  if (settings.sshConfigFile) args.push('-F', settings.sshConfigFile);
  if (settings.knownHostsFile) args.push('-o', `UserKnownHostsFile=${settings.knownHostsFile}`);
  if (settings.identityFile) args.push('-i', settings.identityFile);
  args.push('--', host);
  return args;
}
