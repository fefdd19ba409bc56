/** Small cluster-wide Ganeti operations of the merge: master IP, node re-add, config redistribution. */
import { ignoreOutput, RemoteCommand } from '../command';
import { assertDnsName } from '../names';

export function deactivateMasterIp(): RemoteCommand<void> {
  return { argv: ['gnt-cluster', 'deactivate-master-ip', '--yes'], timeoutMs: 2 * 60_000, parse: ignoreOutput };
}

export function activateMasterIp(): RemoteCommand<void> {
  return { argv: ['gnt-cluster', 'activate-master-ip'], timeoutMs: 2 * 60_000, parse: ignoreOutput };
}

/** Re-add a node that was a member of another cluster (runs on the target master). */
export function nodeReadd(node: string): RemoteCommand<void> {
  assertDnsName(node, 'node name');
  return { argv: ['gnt-node', 'add', '--readd', '--no-ssh-key-check', '--', node], timeoutMs: 15 * 60_000, parse: ignoreOutput };
}

export function redistConf(): RemoteCommand<void> {
  return { argv: ['gnt-cluster', 'redist-conf'], timeoutMs: 10 * 60_000, parse: ignoreOutput };
}
