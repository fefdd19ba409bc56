/** `gnt-node list -o name,offline,role,group`: every node with its state. */
import { RemoteCommand } from '../command';
import { LIST_SEPARATOR, listedName, parseListRows, parseYesNo } from './list-output';
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

/**
 * Every cluster has exactly one master, and it is one of its nodes: a list without one (empty
 * output, a cut-off list) would make a phase believe a node is not a member (forget would then
 * remove the key Ganeti relies on from it), so it is refused, not returned.
 */
export function parseNodeList(result: ExecResult): NodeListEntry[] {
  const nodes = parseListRows(result, 4).map(([name, offline, role, group]): NodeListEntry => {
    const r = ROLES[role];
    if (!r) throw new Error(`node ${name}: unknown role ${JSON.stringify(role)}`);
    return { name: listedName(name, 'node'), offline: parseYesNo(offline, `node ${name} offline`), role: r, group };
  });
  const masters = nodes.filter((n) => n.role === 'master').length;
  if (masters !== 1) throw new Error(`${nodes.length} node(s) listed with ${masters} master(s), expected exactly one master`);
  return nodes;
}

export function nodeList(): RemoteCommand<NodeListEntry[]> {
  return {
    argv: ['gnt-node', 'list', '-o', 'name,offline,role,group', '--no-headers', `--separator=${LIST_SEPARATOR}`],
    timeoutMs: 120_000,
    parse: parseNodeList,
  };
}
