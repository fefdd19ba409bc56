/**
 * `gnt-cluster info`: top-level "Key: value" lines of Ganeti's YAML-like output (nested parameter
 * blocks are indented and skipped), with the fields the merge needs picked out.
 */
import { RemoteCommand, outputLines } from '../command';
import { listedName } from './list-output';

export interface ClusterInfo {
  readonly name: string;
  readonly uuid: string;
  readonly masterNode: string;
  readonly defaultHypervisor?: string;
  readonly enabledHypervisors: readonly string[];
  /** Every top-level key with a scalar value, as printed. */
  readonly fields: Readonly<Record<string, string>>;
}

export function parseClusterInfo(lines: readonly string[]): ClusterInfo {
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Za-z][^:]*):(?: (.*))?$/.exec(line);
    if (m && m[2] !== undefined && m[2].trim() !== '') fields[m[1].trim()] = m[2].trim();
  }
  const need = (key: string) => {
    const v = fields[key];
    if (!v) throw new Error(`"${key}:" missing from gnt-cluster info`);
    return v;
  };
  return {
    // names the merge's work files and is compared with the other clusters' names
    name: listedName(need('Cluster name'), 'cluster'),
    uuid: need('Cluster UUID'),
    // the host every later command of the merge goes to
    masterNode: listedName(need('Master node'), 'master node'),
    defaultHypervisor: fields['Default hypervisor'],
    enabledHypervisors: (fields['Enabled hypervisors'] ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    fields,
  };
}

export function clusterInfo(): RemoteCommand<ClusterInfo> {
  return { argv: ['gnt-cluster', 'info'], timeoutMs: 120_000, parse: (r) => parseClusterInfo(outputLines(r)) };
}
