/** `gnt-network list -o name,uuid,network,gateway,group_cnt,inst_cnt`: Ganeti networks (IPv4 pools). */
import { RemoteCommand } from '../command';
import { ExecResult } from '../host-connection';
import { LIST_SEPARATOR, parseListRows } from './list-output';

export interface NetworkListEntry {
  readonly name: string;
  readonly uuid: string;
  /** IPv4 subnet, e.g. 10.0.0.0/24. */
  readonly subnet: string;
  /** Absent when the network has none (Ganeti prints str(None): "None"). */
  readonly gateway?: string;
  readonly groupCount: number;
  readonly instanceCount: number;
}

const count = (name: string, what: string, value: string): number => {
  if (!/^\d+$/.test(value)) throw new Error(`network ${name}: ${what} ${JSON.stringify(value)} is not a number`);
  return Number(value);
};

export function parseNetworkList(result: ExecResult): NetworkListEntry[] {
  return parseListRows(result, 6).map(([name, uuid, subnet, gateway, groups, instances]) => ({
    name, uuid, subnet,
    ...(gateway && gateway !== 'None' ? { gateway } : {}),
    groupCount: count(name, 'group count', groups),
    instanceCount: count(name, 'instance count', instances),
  }));
}

export function networkList(): RemoteCommand<NetworkListEntry[]> {
  return {
    argv: ['gnt-network', 'list', '-o', 'name,uuid,network,gateway,group_cnt,inst_cnt', '--no-headers', `--separator=${LIST_SEPARATOR}`],
    timeoutMs: 120_000,
    parse: parseNetworkList,
  };
}
