// The VS Code user settings the editor demo starts with: the harness's quiet profile plus the lab's clusters.
import { LAB_MERGE_POLICIES, type LabInfo } from '../test/lab/lab';

export type UserSettings = Record<string, unknown>;

/**
 * Adds what the extension needs to reach the lab: its clusters, the ssh config and known_hosts the lab
 * writes (the lab's names are in no DNS), and the merge defaults the lab needs, so "Merge Clusters" works
 * as offered: the lab's clusters share node group names (merged into the target's) and network names
 * (renamed: one of them has another subnet), and `gnt-cluster verify` reports verifyIgnoreErrors on
 * this kind of kernel (see test/lab/README.md).
 */
export function labUserSettings(lab: LabInfo, base: UserSettings): UserSettings {
  return {
    ...base,
    'ganetiMerge.clusters': lab.clusters.map((c) => ({ name: c.shortName, host: c.name })),
    'ganetiMerge.sshConfigFile': lab.sshConfig,
    'ganetiMerge.knownHostsFile': lab.knownHosts,
    'ganetiMerge.defaults.groups': LAB_MERGE_POLICIES.groups,
    'ganetiMerge.defaults.networks': LAB_MERGE_POLICIES.networks,
    'ganetiMerge.defaults.ignoredVerifyCodes': lab.verifyIgnoreErrors,
  };
}

/** A tidier first screen for a demo: no empty secondary side bar (chat) beside the editor. */
export const DEMO_WORKBENCH_SETTINGS: UserSettings = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};
