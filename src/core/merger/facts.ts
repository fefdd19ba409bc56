/** What preflight learned about the clusters: the baseline the merge and a rollback are checked against. */
import type { GroupListEntry, InstanceListEntry, NodeListEntry } from '../remote/commands';

export interface ClusterFacts {
  /** The name the operator gave (ssh name of the cluster or its master). */
  readonly given: string;
  readonly name: string;
  readonly uuid: string;
  readonly master: string;
  /** "3.0.2" */
  readonly version: string;
  readonly major: number;
  readonly nodes: readonly NodeListEntry[];
  readonly instances: readonly InstanceListEntry[];
  readonly groups: readonly GroupListEntry[];
}

export interface PreflightFacts {
  readonly target: ClusterFacts;
  readonly mergees: readonly ClusterFacts[];
  /** Counts of the computed merge, for the approval summary. */
  readonly mergeSummary: string;
}

/** Online node names of a cluster (offline nodes are neither stopped nor re-added). */
export function onlineNodes(c: ClusterFacts): string[] {
  return c.nodes.filter((n) => !n.offline).map((n) => n.name);
}

export function allMergeeNodes(f: PreflightFacts): string[] {
  return f.mergees.flatMap(onlineNodes);
}

export function allNodes(f: PreflightFacts): string[] {
  return [...onlineNodes(f.target), ...allMergeeNodes(f)];
}
