/**
 * The run lock: a per-merge lock file on each node that every command of a merge holds (shared)
 * while it runs. OpenSSH does not end a remote command when the client dies, so after a crash of
 * the merger a command of the killed run may still be running (a daemon start, a gnt-* job, a
 * re-add). A new run first takes the lock exclusively (`waitForRunLock`): that returns once every
 * such orphan has finished, so the re-run never races it.
 *
 * flock(1) (util-linux) holds the lock in its own process and runs the command with the lock's
 * descriptor closed (`--close`): daemons the command starts must not inherit it, or the lock would
 * never be free again. The file lives in /run (tmpfs): a reboot, which ends every orphan, clears it.
 */
import { ignoreOutput, RemoteCommand } from './command';
import { Arg } from './secret';

const LOCK_DIR = '/run/lock';

/** The lock file of one merge (journal ids are [A-Za-z0-9._-], safe in a path). */
export function runLockPath(mergeId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(mergeId)) throw new Error(`invalid merge id for a lock file: ${JSON.stringify(mergeId)}`);
  return `${LOCK_DIR}/ganeti-merge-${mergeId}.lock`;
}

/** `argv` run while holding `lock` shared: commands of one run never wait for each other. */
export function underRunLock(lock: string, argv: readonly Arg[]): Arg[] {
  return ['flock', '--shared', '--close', lock, ...argv];
}

/** flock's exit code when --wait ran out (util-linux: 1 unless --conflict-exit-code). */
export const RUN_LOCK_BUSY_EXIT = 1;

/**
 * Waits until no command holds `lock` (every orphan of an interrupted run has ended); exits
 * RUN_LOCK_BUSY_EXIT when some still runs after `waitSeconds`.
 */
export function waitForRunLock(lock: string, waitSeconds: number): RemoteCommand<void> {
  return {
    argv: ['flock', '--exclusive', '--wait', String(waitSeconds), lock, 'true'],
    timeoutMs: (waitSeconds + 60) * 1000,
    parse: ignoreOutput,
  };
}
