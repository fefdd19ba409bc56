/** `gnt-group list -o name,uuid,node_cnt,alloc_policy`: node groups (same-named groups need a policy). */
import { RemoteCommand } from '../command';
import { ExecResult } from '../host-connection';
import { LIST_SEPARATOR, parseListRows } from './list-output';

export interface GroupListEntry {
  readonly name: string;
  readonly uuid: string;
  readonly nodeCount: number;
  readonly allocPolicy: string;
}

export function parseGroupList(result: ExecResult): GroupListEntry[] {
  return parseListRows(result, 4).map(([name, uuid, count, allocPolicy]) => {
    if (!/^\d+$/.test(count)) throw new Error(`group ${name}: node count ${JSON.stringify(count)} is not a number`);
    return { name, uuid, nodeCount: Number(count), allocPolicy };
  });
}

export function groupList(): RemoteCommand<GroupListEntry[]> {
  return {
    argv: ['gnt-group', 'list', '-o', 'name,uuid,node_cnt,alloc_policy', '--no-headers', `--separator=${LIST_SEPARATOR}`],
    timeoutMs: 120_000,
    parse: parseGroupList,
  };
}
