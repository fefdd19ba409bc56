/** `gnt-instance list -o name,status,pnode`: every instance, its run state and primary node. */
import { RemoteCommand } from '../command';
import { ExecResult } from '../host-connection';
import { LIST_SEPARATOR, listedName, parseListRows } from './list-output';

/** Ganeti's status values (INSTST_*); "running" is the only one meaning it runs where it should. */
export const INSTANCE_STATUSES = [
  'running', 'ADMIN_down', 'ADMIN_offline', 'ERROR_down', 'ERROR_up', 'ERROR_nodedown',
  'ERROR_nodeoffline', 'ERROR_wrongnode', 'USER_down',
] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export interface InstanceListEntry {
  readonly name: string;
  readonly status: InstanceStatus;
  readonly primaryNode: string;
  /** Running as far as Ganeti can tell (also ERROR_up / ERROR_wrongnode: a process exists). */
  readonly running: boolean;
}

export function parseInstanceList(result: ExecResult): InstanceListEntry[] {
  return parseListRows(result, 3).map(([name, status, primaryNode]) => {
    if (!(INSTANCE_STATUSES as readonly string[]).includes(status)) {
      throw new Error(`instance ${name}: unknown status ${JSON.stringify(status)}`);
    }
    const s = status as InstanceStatus;
    return { name: listedName(name, 'instance'), status: s, primaryNode: listedName(primaryNode, `instance ${name} primary node`), running: s === 'running' || s === 'ERROR_up' || s === 'ERROR_wrongnode' };
  });
}

export function instanceList(): RemoteCommand<InstanceListEntry[]> {
  return {
    argv: ['gnt-instance', 'list', '-o', 'name,status,pnode', '--no-headers', `--separator=${LIST_SEPARATOR}`],
    timeoutMs: 120_000,
    parse: parseInstanceList,
  };
}
