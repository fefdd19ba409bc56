/**
 * The merge preview without a merge: preflight alone (it only reads) in a throw-away journal, the
 * same engine and phase as a real merge, so "Show Merged Config Diff" is no second implementation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancelledError } from '../merger/phase';
import type { MergePreview } from '../merger/preview';
import { outcomeMessage } from '../merger/outcome';
import { openMergeSession, type MergeSessionOptions } from './merge-session';

export interface PreviewSessionOptions extends Omit<MergeSessionOptions, 'journalFile' | 'plan' | 'approveConfig'> {
  readonly plan: NonNullable<MergeSessionOptions['plan']>;
}

/** What preflight merged, and why it refused the merge when it did. */
export interface PreviewOutcome {
  readonly preview: MergePreview;
  /** Preflight's refusal (a merge error, or clusters unfit to merge); the preview still shows. */
  readonly refusal?: string;
}

export async function previewMerge(options: PreviewSessionOptions, signal?: AbortSignal): Promise<PreviewOutcome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ganeti-merge-preview-'));
  try {
    const session = openMergeSession({ ...options, journalFile: path.join(dir, 'journal.json') });
    try {
      const outcome = await session.engine.runPhase('preflight', signal);
      const preview = session.engine.preview();
      if (outcome.outcome === 'done') return { preview: preview! };
      const cause = outcomeMessage(outcome) ?? outcome.outcome;
      // without a preview (cancelled, or the clusters never answered) there is nothing to show
      if (!preview || outcome.outcome === 'cancelled') throw outcome.outcome === 'cancelled' ? new CancelledError(cause) : new Error(cause);
      return { preview, refusal: cause };
    } finally {
      await session.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
