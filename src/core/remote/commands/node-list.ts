/** `gnt-node list -o name,offline,role,group`: every node with its state. */
import { RemoteCommand } from '../command';
import { LIST_SEPARATOR, parseListRows, parseYesNo } from './list-output';
import { ExecResult } from '../host-connection';

/** Ganeti node roles: Master, master Candidate, Regular, Drained, Offline. */
export type NodeRole = 'master' | 'candidate' | 'regular' | 'drained' | 'offline';

const ROLES: Record<string, NodeRole> = { M: 'master', C: 'candidate', R: 'regular', D: 'drained', O: 'offline' };

export interface NodeListEntry {
  readonly name: string;
  readonly offline: boolean;
  readonly role: NodeRole;
  readonly group: string;
}

export function parseNodeList(result: ExecResult): NodeListEntry[] {
  return parseListRows(result, 4).map(([name, offline, role, group]) => {
    const r = ROLES[role];
    if (!r) throw new Error(`node ${name}: unknown role ${JSON.stringify(role)}`);
    return { name, offline: parseYesNo(offline, `node ${name} offline`), role: r, group };
  });
}

export function nodeList(): RemoteCommand<NodeListEntry[]> {
  return {
    argv: ['gnt-node', 'list', '-o', 'name,offline,role,group', '--no-headers', `--separator=${LIST_SEPARATOR}`],
    timeoutMs: 120_000,
    parse: parseNodeList,
  };
}
