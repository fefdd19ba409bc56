// Points the extension's settings at the lab (user settings of the test profile) and restores them.
import * as vscode from 'vscode';
import type { GanetiMergeApi } from '../../../src/ui/activate-ui';
import { LAB_MERGE_POLICIES, type LabInfo } from '../../lab/lab';

// The lab's clusters share node group names (groups: merge) and network names, one with different
// subnets (networks: rename), and its kernels lack what ENODESETUP checks (verify codes to ignore).
const KEYS = ['clusters', 'sshConfigFile', 'knownHostsFile', 'defaults.groups', 'defaults.networks', 'defaults.ignoredVerifyCodes'] as const;

export async function useLabSettings(api: GanetiMergeApi, lab: LabInfo): Promise<() => Promise<void>> {
  const configuration = vscode.workspace.getConfiguration('ganetiMerge');
  const before = KEYS.map((k) => configuration.inspect(k)?.globalValue);
  await configuration.update('sshConfigFile', lab.sshConfig, vscode.ConfigurationTarget.Global);
  await configuration.update('knownHostsFile', lab.knownHosts, vscode.ConfigurationTarget.Global);
  await configuration.update('defaults.groups', LAB_MERGE_POLICIES.groups, vscode.ConfigurationTarget.Global);
  await configuration.update('defaults.networks', LAB_MERGE_POLICIES.networks, vscode.ConfigurationTarget.Global);
  await configuration.update('defaults.ignoredVerifyCodes', lab.verifyIgnoreErrors, vscode.ConfigurationTarget.Global);
  await configuration.update('clusters', lab.clusters.map((c) => ({ name: c.shortName, host: c.name })), vscode.ConfigurationTarget.Global);
  await settled(() => api.services.settings().clusters.length === lab.clusters.length);
  return async () => {
    for (const [i, k] of KEYS.entries()) await vscode.workspace.getConfiguration('ganetiMerge').update(k, before[i], vscode.ConfigurationTarget.Global);
  };
}

/** Waits (up to 5 s) until the extension has seen a settings change. */
export async function settled(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error('the extension did not pick up the settings change within 5 s');
}
