/**
 * The wait for a killed run's orphans: OpenSSH leaves a command running when its client dies, so
 * before any phase or undo acts, the next run waits on every host the journal says a command was
 * sent to and never returned, until none of them holds the run lock any more; then forgets them.
 */
import { RemoteError } from '../remote/errors';
import { RUN_LOCK_BUSY_EXIT, runLockPath, waitForRunLock } from '../remote/run-lock';
import type { CommandRunner } from '../remote/runner';
import type { Journal } from './journal';
import { CancelledError } from './phase';
import type { MergerEvent } from './types';

export const DEFAULT_ORPHAN_WAIT_SECONDS = 15 * 60;

export async function settleOrphans(
  journal: Journal, runner: CommandRunner, seconds: number, emit: (e: MergerEvent) => void, signal: AbortSignal,
): Promise<void> {
  const inFlight = journal.doc.inFlight ?? [];
  if (inFlight.length === 0) return;
  const lock = runLockPath(journal.id);
  const hosts = [...new Set(inFlight.map((c) => c.host))];
  await Promise.all(hosts.map(async (host) => {
    const commands = inFlight.filter((c) => c.host === host).map((c) => c.command).join('; ');
    emit({ type: 'progress', phase: inFlight[0].phase, message: `${host}: waiting for the interrupted run's command to end: ${commands}` });
    try {
      await runner.run(host, waitForRunLock(lock, seconds), { signal });
    } catch (err) {
      if (signal.aborted) throw new CancelledError();
      if (err instanceof RemoteError && err.kind === 'exit' && err.exitCode === RUN_LOCK_BUSY_EXIT) {
        throw new Error(`ORPHAN_RUNNING: ${host}: a command of the interrupted run still runs after ${seconds} s (${commands}); wait for it to end, or end it, then resume`, { cause: err });
      }
      throw err;
    }
  }));
  delete journal.doc.inFlight;
  journal.save();
}
