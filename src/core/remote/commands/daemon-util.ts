/**
 * Ganeti's daemon-util: start/stop all daemons of a node or the master daemons. Starting the master
 * without voting (when the other nodes are not yet part of the cluster) differs between versions:
 * 3.x has no masterd, so the flags go to wconfd and luxid; 2.x passes them to masterd.
 */
import { ignoreOutput, RemoteCommand } from '../command';

export const DAEMON_UTIL = '/usr/lib/ganeti/daemon-util';
const NO_VOTING = '--no-voting --yes-do-it';

/**
 * reload-ssh-keys restarts sshd (Ganeti runs it after giving a node new host keys): OpenSSH 10
 * (Debian 13, Ganeti 3.1) serves the host keys its listener started with until then, where 9.x
 * (Debian 12, Ganeti 3.0) read them again for every connection.
 */
export type DaemonAction = 'start-all' | 'stop-all' | 'start-master' | 'stop-master' | 'reload-ssh-keys';

export function daemonUtil(action: DaemonAction): RemoteCommand<void> {
  return { argv: [DAEMON_UTIL, action], timeoutMs: 5 * 60_000, parse: ignoreOutput };
}

/** start-master with --no-voting --yes-do-it for the given Ganeti major version. */
export function startMasterNoVoting(ganetiMajor: number): RemoteCommand<void> {
  // Environment assignments travel as argv of `env`, so they go through the one quoting function.
  const env = ganetiMajor >= 3
    ? [`EXTRA_WCONFD_ARGS=${NO_VOTING}`, `EXTRA_LUXID_ARGS=${NO_VOTING}`]
    : [`EXTRA_MASTERD_ARGS=${NO_VOTING}`];
  return { argv: ['env', ...env, DAEMON_UTIL, 'start-master'], timeoutMs: 5 * 60_000, parse: ignoreOutput };
}
