/**
 * The gate before phase "Write Merged Config": the editor opens the diff of the target's current
 * config.data and the config about to be written, with the merge plan beside it (plan-panel.ts:
 * each item selects its place in the diff), and waits for the operator. They may edit and
 * save the right side (a save is refused unless it satisfies every invariant); "Approve and Write"
 * hands the saved version to the core, which checks it once more before writing it.
 */
import * as vscode from 'vscode';
import { configFromEdit, EditedConfigError } from '../../core/config/edited-config';
import type { GanetiConfig } from '../../core/config/types';
import type { ConfigApprovalRequest, ConfigApprover } from '../../core/merger/phase';
import { mergePreview } from '../../core/merger/preview';
import type { UiHost } from '../host';
import type { MergedConfigDiff, MergedDiffResult } from '../merged-config-diff';
import type { PlanPanel } from '../plan-panel';

export function editorConfigApprover(diff: MergedConfigDiff, host: UiHost, plans: PlanPanel): ConfigApprover {
  return async (request) => {
    const t = vscode.l10n.t;
    // The config about to be written, shown like the preview (the same rendering, nothing merged here).
    const toWrite = mergePreview({ target: request.master, mergees: [], ok: true, findings: [], current: request.current, merged: request.merged });
    const shown = await diff.showPreview(toWrite, { title: t('{0}: config.data now ↔ to be written (review, edit, save, approve)', request.master) });
    // the plan beside the diff: what the merge adds, renames, re-allocates and stops, and why;
    // it belongs to this question and closes with its answer (the merge report keeps the plan)
    if (request.plan) plans.show(request.plan, shown);
    try {
      return await review(request, shown, diff, host);
    } finally {
      plans.close();
    }
  };
}

/** Asks until the operator approves a valid (saved) config or rejects; undefined: rejected. */
async function review(request: ConfigApprovalRequest, shown: MergedDiffResult, diff: MergedConfigDiff, host: UiHost): Promise<GanetiConfig | undefined> {
  const t = vscode.l10n.t;
  const approve = t('Approve and Write');
  const reject = t('Reject');
  for (;;) {
    const answer = await host.showWarning(
      t('Review the merged config.data for {0}. You may edit and save it; then approve writing it.', request.master),
      { modal: false, detail: request.summary }, approve, reject);
    if (answer !== approve) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown.merged.toString());
    if (doc?.isDirty) {
      await host.showError(t('The merged config has unsaved edits: save (or revert) them, then approve again.'));
      continue;
    }
    const saved = diff.savedEdit(shown.merged);
    if (!saved?.edited) return request.merged;
    try {
      return configFromEdit(saved.text, request.merged);
    } catch (err) {
      if (!(err instanceof EditedConfigError)) throw err;
      await host.showError(t('The edited merged config cannot be written: {0}', err.message));
    }
  }
}
