/** What preflight learned about the clusters: the baseline the merge and a rollback are checked against. */
import type { GroupListEntry, InstanceListEntry, NodeListEntry } from '../remote/commands';
import type { MergeReport } from '../config/merge/report';

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
  /** Network names in the cluster's config.data (absent in journals from before the merge plan). */
  readonly networks?: readonly string[];
}

/**
 * One mergee instance and whether Stop Instances stops it if it runs: `reasons` are what the merge
 * changes that its guest would notice (config/guest-impact); `stop` applies the policy to them.
 */
export interface InstanceStopPlan {
  readonly cluster: string;
  readonly instance: string;
  readonly stop: boolean;
  readonly reasons: readonly string[];
}

export interface PreflightFacts {
  readonly target: ClusterFacts;
  readonly mergees: readonly ClusterFacts[];
  /** Counts of the computed merge, for the approval summary. */
  readonly mergeSummary: string;
  /** Every mergee instance and whether the stop policy stops it (absent in old journals: all). */
  readonly instanceStops?: readonly InstanceStopPlan[];
  /**
   * The merge's own account of what it changes (renames, re-allocated ports, MACs, pinned
   * parameters, findings): what the merge plan is rendered from. Holds no secret (the merge
   * never puts one in a finding). Absent in journals from before the merge plan.
   */
  readonly mergeReport?: MergeReport;
}

/** The merged cluster as phase verify-merged found it: the report's after-inventory. */
export interface MergedInventory {
  readonly at: number;
  readonly cluster: string;
  readonly nodes: readonly NodeListEntry[];
  readonly instances: readonly InstanceListEntry[];
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

/**
 * Of the instances of `cluster` running now, those Stop Instances stops under the recorded plan.
 * An instance the plan does not know (created after preflight) is stopped: nothing says it is safe.
 */
export function instancesToStop(f: PreflightFacts, cluster: string, runningNow: readonly string[]): string[] {
  if (!f.instanceStops) return [...runningNow];
  const planned = new Map(f.instanceStops.filter((p) => p.cluster === cluster).map((p) => [p.instance, p.stop]));
  return runningNow.filter((name) => planned.get(name) ?? true);
}
