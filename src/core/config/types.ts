/**
 * Shapes of a Ganeti config.data (2.16 / 3.0 / 3.1) as far as merging needs them.
 * Objects are kept as parsed JSON and mutated in place, so unknown keys survive (spec 5.4);
 * these interfaces only name the fields the engine reads or writes.
 */
import type { FindingCode } from './codes';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Disk extends JsonObject {
  uuid: string;
  dev_type: string;
  logical_id: Json[];
  iv_name: string;
  size: number;
  mode: string;
}

export interface Nic extends JsonObject {
  uuid: string;
  mac: string;
}

export interface Instance extends JsonObject {
  uuid: string;
  name: string;
  primary_node: string;
  hypervisor: string;
  disks: string[];
  nics: Nic[];
}

export interface Node extends JsonObject {
  uuid: string;
  name: string;
  primary_ip: string;
  secondary_ip: string;
  group: string;
  master_candidate: boolean;
  offline: boolean;
  drained: boolean;
}

export interface NodeGroup extends JsonObject {
  uuid: string;
  name: string;
}

export interface Network extends JsonObject {
  uuid: string;
  name: string;
  network: string;
}

export interface Cluster extends JsonObject {
  uuid: string;
  cluster_name: string;
  master_node: string;
  master_ip: string;
  highest_used_port: number;
  tcpudp_port_pool: number[];
  enabled_hypervisors: string[];
  enabled_disk_templates: string[];
}

export interface GanetiConfig extends JsonObject {
  version: number;
  cluster: Cluster;
  nodes: { [uuid: string]: Node };
  nodegroups: { [uuid: string]: NodeGroup };
  instances: { [uuid: string]: Instance };
  disks: { [uuid: string]: Disk };
  networks: { [uuid: string]: Network };
  filters: { [uuid: string]: JsonObject };
  serial_no: number;
}

export type Severity = 'error' | 'warning';

/** One problem or remark, always with a spec code and the objects it is about. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** Which input it concerns (file name or cluster name), when known. */
  source?: string;
  /** JSON paths or "kind:name (uuid)" descriptions of the objects involved. */
  objects?: string[];
}

/** Thrown by parse/merge entry points when they refuse; carries every finding. */
export class ConfigError extends Error {
  constructor(readonly findings: Finding[]) {
    super(findings.map((f) => `${f.code}: ${f.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
