import * as vscode from 'vscode';
import type { MergePlanOptions } from '../../core/merger/types';
import { runMergeWizard, type MergeRequest } from '../merge/merge-wizard';
import type { UiCommand, UiServices } from '../services';

export type MergeClustersResult = { request: MergeRequest; preflight: 'passed' | 'failed'; next?: 'run-all' | 'step' } | undefined;

/**
 * "Merge Clusters": the wizard (or a MergeRequest argument, for automation), then a new journaled
 * merge whose preflight runs at once (it only reads); the progress panel and the merged-config
 * diff open; then the operator runs all phases or steps through them.
 */
export function mergeClustersCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.mergeClusters',
    async run(arg?: unknown): Promise<MergeClustersResult> {
      const request = isMergeRequest(arg) ? arg : await runMergeWizard(s.wizardIo, s.settings());
      if (!request) return undefined;
      const plan: MergePlanOptions = { ...request.options, target: request.target.host, mergees: request.mergees.map((m) => m.host) };
      await s.merges.start(plan);
      s.progress.show();
      const preflight = await s.merges.runPhase('preflight', true);
      // The engine's preview (also of a refused merge, whose errors then show as problems).
      const preview = s.merges.engine?.preview();
      if (preview) await s.diff.showPreview(preview);
      if (preflight?.outcome !== 'done') return { request, preflight: 'failed' };
      const runAll = vscode.l10n.t('Run All Phases');
      const step = vscode.l10n.t('Step Through Phases');
      const answer = await s.host.showChoice(
        vscode.l10n.t('Preflight of the merge of {0} passed. Review the merged config diff, then run the merge.', s.merges.describe()),
        runAll, step);
      if (answer === runAll) {
        await s.merges.runAll();
        return { request, preflight: 'passed', next: 'run-all' };
      }
      return { request, preflight: 'passed', next: answer === step ? 'step' : undefined };
    },
  };
}

function isMergeRequest(v: unknown): v is MergeRequest {
  const r = v as MergeRequest;
  const cluster = (c: unknown) => typeof c === 'object' && c !== null && typeof (c as { host?: unknown }).host === 'string' && typeof (c as { name?: unknown }).name === 'string';
  return typeof r === 'object' && r !== null && cluster(r.target) && Array.isArray(r.mergees) && r.mergees.every(cluster) && typeof r.options === 'object' && r.options !== null;
}
