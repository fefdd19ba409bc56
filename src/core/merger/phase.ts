/**
 * The contract between the engine and one phase (src/core/phases): run() does the work, undo()
 * reverts it as far as the journal's records say. Both must be idempotent, and run() records what
 * undo needs BEFORE acting (ctx.intend), then confirms it (ctx.confirm).
 */
import type { RemoteCommand } from '../remote/command';
import type { Prompter } from '../operator/prompter';
import type { GanetiConfig } from '../config/types';
import type { PreflightFacts } from './facts';
import type { MergePreview } from './preview';
import type { Journal, UndoRecord } from './journal';
import type { MergePlanOptions, MergerEvent, PhaseId } from './types';
import type { MergePlan } from '../report/merge-plan';
import type { WorkFiles } from './work-files';

export interface PhaseContext {
  readonly phase: PhaseId;
  readonly options: MergePlanOptions;
  readonly journal: Journal;
  readonly files: WorkFiles;
  readonly prompter: Prompter;
  readonly signal: AbortSignal;
  /** Runs a command on a host, honouring cancellation. */
  run<T>(host: string, command: RemoteCommand<T>): Promise<T>;
  progress(message: string, done?: number, total?: number): void;
  emit(event: MergerEvent): void;
  /** Per-node work, at most options.concurrency at once. */
  forEach<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void>;
  /** Preflight facts; throws when preflight has not run. */
  facts(): PreflightFacts;
  /** Records an intended action before it runs; returns the existing record on a re-run. */
  intend(kind: string, host: string, data?: Record<string, unknown>): UndoRecord;
  confirm(record: UndoRecord, data?: Record<string, unknown>): void;
  /** Records of this phase (or another). */
  records(kind?: string, phase?: PhaseId): UndoRecord[];
  /** Throws CancelledError when the merge was cancelled. */
  checkpoint(): void;
  /** Preflight's merge, kept by the engine (in memory) for the editor's diff and problems. */
  keepPreview(preview: MergePreview): void;
  /** The operator's review of the config about to be written (the editor's diff); absent: prompter.confirm. */
  readonly approveConfig?: ConfigApprover;
}

export interface ConfigApprovalRequest {
  readonly master: string;
  readonly summary: string;
  readonly current: GanetiConfig;
  readonly merged: GanetiConfig;
  /** The merge plan (report/merge-plan), opened next to the diff; absent before preflight's facts. */
  readonly plan?: MergePlan;
}

/** Returns the config to write (the merged one, or the operator's valid edit of it), or undefined to refuse. */
export type ConfigApprover = (request: ConfigApprovalRequest) => Promise<GanetiConfig | undefined>;

export interface Phase {
  readonly id: PhaseId;
  run(ctx: PhaseContext): Promise<void>;
  /** Omitted: nothing to undo. */
  undo?(ctx: PhaseContext): Promise<void>;
}

export class CancelledError extends Error {
  constructor(message = 'the merge was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** The operator said no at an approval point; nothing of the phase was done. */
export class NotApprovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotApprovedError';
  }
}

/** A phase found the clusters not fit to merge (preflight findings, failed verify, lost nodes). */
export class PhaseCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhaseCheckError';
  }
}
