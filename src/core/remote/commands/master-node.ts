/** The master node as the node itself believes it (ssconf), readable even when the daemons are down. */
import { RemoteCommand, outputLines } from '../command';
import { isDnsName } from '../names';

export const SSCONF_MASTER_NODE = '/var/lib/ganeti/ssconf_master_node';

export function parseMasterNode(lines: readonly string[]): string {
  const names = lines.map((l) => l.trim()).filter(Boolean);
  if (names.length !== 1 || !isDnsName(names[0])) throw new Error(`expected one node name, got ${JSON.stringify(names.slice(0, 3))}`);
  return names[0];
}

export function masterNode(): RemoteCommand<string> {
  return { argv: ['cat', SSCONF_MASTER_NODE], timeoutMs: 30_000, parse: (r) => parseMasterNode(outputLines(r)) };
}
