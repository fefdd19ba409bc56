/**
 * The cluster-wide merge lock: a file on a cluster's master that Ganeti does not use, created
 * atomically (hard link of a complete temp file, which fails if the lock exists), holding who owns
 * it as one JSON line. Every operator's `ganeti-merge` (CLI or editor, any machine) checks it before
 * acting, so two merges never interleave on one cluster. The owner info travels over stdin; the
 * merge id, checked to be a plain id, is the only owner fact in the argv.
 */
import { RemoteCommand, outputLines } from '../command';
import { assertRemotePath, assertSafeId } from './remote-path';

/**
 * In the system's lock directory (FHS /run/lock), outside /var/lib/ganeti, which a rollback
 * restores. A reboot of the master clears it; the merge's journal takes it again on resume.
 */
export const MERGE_LOCK_FILE = '/run/lock/ganeti-merge.lock';

/** What the lock file says about its holder. */
export interface MergeLockOwner {
  /** Journal id of the merge holding the lock. */
  readonly id: string;
  /** Machine and journal file of that merge. */
  readonly host: string;
  readonly journal: string;
  readonly user: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

export type MergeLockState = { readonly state: 'free' } | { readonly state: 'held'; readonly owner?: MergeLockOwner };
export type AcquireResult = { readonly state: 'acquired' | 'ours' } | { readonly state: 'held'; readonly owner?: MergeLockOwner };

/** The holder as the file says, or undefined when it is unreadable (a torn or foreign file). */
export function parseLockOwner(text: string): MergeLockOwner | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '?');
    if (typeof v.id !== 'string') return undefined;
    return { id: v.id, host: str('host'), journal: str('journal'), user: str('user'), since: str('since') };
  } catch {
    return undefined;
  }
}

const ID_LINE = (id: string) => `"id":${JSON.stringify(id)}`;

// "ours": the lock names this merge already (a resume after a crash): the journal owns the lock, not a process.
const ACQUIRE = `set -eu
lock=$1; idline=$2
dir=$(dirname -- "$lock")
mkdir -p -- "$dir"
tmp=$(mktemp -- "$dir/.ganeti-merge.lock.XXXXXXXX")
trap 'rm -f -- "$tmp"' EXIT
cat > "$tmp"
if ln -- "$tmp" "$lock" 2>/dev/null; then echo acquired; exit 0; fi
if grep -qF -- "$idline" "$lock" 2>/dev/null; then echo ours; exit 0; fi
echo held
cat -- "$lock" 2>/dev/null || true`;

const READ = `lock=$1
if [ -e "$lock" ]; then echo held; cat -- "$lock" || true; else echo free; fi`;

// Removes the lock only while it still names `id`: never someone else's lock taken meanwhile.
const RELEASE = `set -eu
lock=$1; idline=$2
if [ ! -e "$lock" ]; then echo absent; exit 0; fi
if grep -qF -- "$idline" "$lock"; then rm -f -- "$lock"; echo released; else echo other; fi`;

function heldOwner(lines: readonly string[]): MergeLockOwner | undefined {
  return parseLockOwner(lines.slice(1).join('\n'));
}

export function acquireMergeLock(owner: MergeLockOwner, lockFile = MERGE_LOCK_FILE): RemoteCommand<AcquireResult> {
  assertSafeId(owner.id, 'merge id');
  return {
    argv: ['sh', '-c', ACQUIRE, 'ganeti-merge-lock', assertRemotePath(lockFile, 'lock file'), ID_LINE(owner.id)],
    stdin: `${JSON.stringify(owner)}\n`,
    timeoutMs: 60_000,
    parse: (r) => {
      const lines = outputLines(r);
      if (lines[0] === 'acquired' || lines[0] === 'ours') return { state: lines[0] };
      if (lines[0] === 'held') return { state: 'held', owner: heldOwner(lines) };
      throw new Error('the lock script did not say whether it took the lock');
    },
  };
}

export function readMergeLock(lockFile = MERGE_LOCK_FILE): RemoteCommand<MergeLockState> {
  return {
    argv: ['sh', '-c', READ, 'ganeti-merge-lock', assertRemotePath(lockFile, 'lock file')],
    timeoutMs: 60_000,
    parse: (r) => {
      const lines = outputLines(r);
      if (lines[0] === 'free') return { state: 'free' };
      if (lines[0] === 'held') return { state: 'held', owner: heldOwner(lines) };
      throw new Error('the lock script did not say whether the lock is held');
    },
  };
}

/** "released", "absent" (nothing to do) or "other" (the lock names another merge and was kept). */
export function releaseMergeLock(id: string, lockFile = MERGE_LOCK_FILE): RemoteCommand<'released' | 'absent' | 'other'> {
  assertSafeId(id, 'merge id');
  return {
    argv: ['sh', '-c', RELEASE, 'ganeti-merge-unlock', assertRemotePath(lockFile, 'lock file'), ID_LINE(id)],
    timeoutMs: 60_000,
    parse: (r) => {
      const line = outputLines(r)[0];
      if (line === 'released' || line === 'absent' || line === 'other') return line;
      throw new Error('the unlock script did not confirm');
    },
  };
}
