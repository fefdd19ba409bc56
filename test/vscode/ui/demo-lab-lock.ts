// The lab is one shared resource: whoever drives it holds /var/tmp/gcm-lab.suite.lock (flock(1)) for
// the whole run. A test started under `flock LOCK mocha ...` already holds it through an ancestor and
// must not wait for itself; otherwise it takes the lock for its own duration.
import { spawn } from 'child_process';
import * as fs from 'fs';

export const LAB_SUITE_LOCK = process.env.GCM_LAB_SUITE_LOCK ?? '/var/tmp/gcm-lab.suite.lock';

/** Pids holding a flock on the file, from /proc/locks (fields: n: FLOCK ADVISORY WRITE pid maj:min:inode ...). */
function lockHolders(file: string): number[] {
  const inode = String(fs.statSync(file).ino);
  return fs.readFileSync('/proc/locks', 'utf8').split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1] === 'FLOCK' && f[5]?.split(':')[2] === inode)
    .map((f) => Number(f[4]));
}

function ancestors(pid: number): number[] {
  const chain: number[] = [];
  let current = pid;
  while (current > 1) {
    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'
    const stat = fs.readFileSync(`/proc/${current}/stat`, 'utf8');
    current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    chain.push(current);
  }
  return chain;
}

/**
 * Holds the lab lock until release() (or until this process dies: the holder's stdin closes).
 * Waits up to waitSeconds for another run to finish.
 */
export async function holdLabLock(waitSeconds = 1800): Promise<{ inherited: boolean; release(): void }> {
  fs.closeSync(fs.openSync(LAB_SUITE_LOCK, 'a'));
  const mine = new Set(ancestors(process.pid));
  if (lockHolders(LAB_SUITE_LOCK).some((pid) => mine.has(pid))) {
    return { inherited: true, release: () => undefined };
  }
  const holder = spawn('flock', ['-w', String(waitSeconds), LAB_SUITE_LOCK, '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`could not take ${LAB_SUITE_LOCK} within ${waitSeconds} s (flock exit ${code})`)));
  });
  return { inherited: false, release: () => holder.stdin.end() };
}
