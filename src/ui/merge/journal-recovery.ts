/**
 * At start-up: a merge that changed clusters and neither finished nor was rolled back (the editor
 * closed, crashed, or the merge failed) is offered for Resume, Roll Back or Show.
 */
import * as vscode from 'vscode';
import type { UiHost } from '../host';
import type { ProgressPanelHost } from '../progress-panel';
import type { TranscriptLog } from '../transcript-log';
import type { MergeController } from './merge-controller';
import { findUnfinished, type JournalSummary } from './merge-journals';
import { describeJournalHolder, holderState, readJournalLock } from '../../core/merger/journal-lock';

export type RecoveryChoice = 'resume' | 'rollback' | 'show' | undefined;

export async function offerRecovery(deps: { storageDir: string; controller: MergeController; host: UiHost; progress: ProgressPanelHost; log: TranscriptLog }): Promise<{ found?: JournalSummary; choice: RecoveryChoice }> {
  const { unfinished, unreadable } = findUnfinished(deps.storageDir);
  for (const u of unreadable) deps.log.error(vscode.l10n.t('unreadable merge journal: {0}', u));
  // A journal another window (or a CLI) drives is theirs: offering it here would drive it twice.
  const inUse = unfinished.filter((u) => { const held = readJournalLock(u.file); return held !== undefined && holderState(held) !== 'gone'; });
  for (const u of inUse) deps.log.info(vscode.l10n.t('merge journal {0} is in use by {1}', u.file, describeJournalHolder(readJournalLock(u.file) ?? 'unreadable')));
  const found = unfinished.find((u) => !inUse.includes(u));
  if (!found) return { choice: undefined };
  const t = vscode.l10n.t;
  const resume = t('Resume');
  const rollBack = t('Roll Back');
  const show = t('Show');
  const what = found.rollingBack
    ? t('A rollback of the merge of {0} into {1} did not finish.', found.mergees.join(', '), found.target)
    : t('An unfinished merge of {0} into {1} was found (last phase: {2}).', found.mergees.join(', '), found.target, found.lastPhase ?? '-');
  const answer = await deps.host.showWarning(what, { modal: false, detail: found.file }, resume, rollBack, show);
  const choice: RecoveryChoice = answer === resume ? 'resume' : answer === rollBack ? 'rollback' : answer === show ? 'show' : undefined;
  if (!choice) return { found, choice };
  await deps.controller.open(found.file);
  deps.progress.show();
  if (choice === 'resume') await deps.controller.resume();
  if (choice === 'rollback') await deps.controller.rollback();
  return { found, choice };
}
