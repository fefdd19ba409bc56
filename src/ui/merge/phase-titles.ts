/**
 * The localised title of each merge phase, for the panel, the progress notification, the status
 * bar and the controller's questions.
 */
import * as vscode from 'vscode';
import type { PhaseId } from '../../core/merger/types';

// Each title a literal, so the l10n tooling can extract it; the English text is core's PHASES
// title (checked by test/vscode/suite/contributions.test.ts).
const TITLE: Record<PhaseId, () => string> = {
  preflight: () => vscode.l10n.t('Preflight'),
  'verify-target': () => vscode.l10n.t('Verify Target'),
  'authorize-target-master': () => vscode.l10n.t('Authorize Target Master'),
  'stop-instances': () => vscode.l10n.t('Stop Instances'),
  'pause-watchers': () => vscode.l10n.t('Pause Watchers'),
  snapshot: () => vscode.l10n.t('Snapshot and Fetch Configs'),
  'remove-master-ips': () => vscode.l10n.t('Remove Mergee Master IPs'),
  'stop-mergee-daemons': () => vscode.l10n.t('Stop Mergee Daemons'),
  'stop-target-master': () => vscode.l10n.t('Stop Target Master'),
  'write-config': () => vscode.l10n.t('Write Merged Config'),
  'start-master-no-voting': () => vscode.l10n.t('Start Target Master (No Voting)'),
  'readd-nodes': () => vscode.l10n.t('Re-add Nodes'),
  redistribute: () => vscode.l10n.t('Redistribute Config'),
  'restart-master': () => vscode.l10n.t('Restart Target Master'),
  'start-instances': () => vscode.l10n.t('Start Instances'),
  'resume-watchers': () => vscode.l10n.t('Resume Watchers'),
  'verify-merged': () => vscode.l10n.t('Verify Merged Cluster'),
  cleanup: () => vscode.l10n.t('Clean Up'),
};

export function phaseTitle(id: PhaseId): string {
  return TITLE[id]();
}
