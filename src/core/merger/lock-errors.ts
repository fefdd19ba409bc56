/** Refusals of the merge locks (journal lock, cluster locks) and of the "changed since" check, with their codes. */
export type MergeLockCode = 'E_MERGE_LOCKED' | 'E_JOURNAL_LOCKED' | 'E_LOCK_STALE' | 'E_CLUSTER_CHANGED';

export class MergeLockError extends Error {
  constructor(readonly code: MergeLockCode, message: string, readonly changes: readonly string[] = []) {
    super(`${code}: ${message}`);
    this.name = 'MergeLockError';
  }
}
