/**
 * The Merger's public vocabulary: phases, their states, options and the events the UI listens to.
 * The phase engine (src/core/merger) produces these; the VS Code layer and the CLI only consume them.
 */
import type { Finding } from '../config/types';
import type { TranscriptEvent } from '../remote/transcript';
import type { MergeEnd } from './outcome';

/**
 * The phases of the merge procedure, in order (docs: merge-procedure): the one home of each phase's
 * title and of whether it only reads (a read-only phase changes no cluster: run by hand without a
 * confirmation, and a merge that stopped after it needs no decision).
 */
export const PHASES = [
  { id: 'preflight', title: 'Preflight', readOnly: true },
  { id: 'verify-target', title: 'Verify Target', readOnly: true },
  { id: 'authorize-target-master', title: 'Authorize Target Master', readOnly: false },
  { id: 'stop-instances', title: 'Stop Instances', readOnly: false },
  { id: 'pause-watchers', title: 'Pause Watchers', readOnly: false },
  { id: 'snapshot', title: 'Snapshot and Fetch Configs', readOnly: false },
  { id: 'remove-master-ips', title: 'Remove Mergee Master IPs', readOnly: false },
  { id: 'stop-mergee-daemons', title: 'Stop Mergee Daemons', readOnly: false },
  { id: 'stop-target-master', title: 'Stop Target Master', readOnly: false },
  { id: 'write-config', title: 'Write Merged Config', readOnly: false },
  { id: 'start-master-no-voting', title: 'Start Target Master (No Voting)', readOnly: false },
  { id: 'readd-nodes', title: 'Re-add Nodes', readOnly: false },
  { id: 'redistribute', title: 'Redistribute Config', readOnly: false },
  { id: 'restart-master', title: 'Restart Target Master', readOnly: false },
  { id: 'start-instances', title: 'Start Instances', readOnly: false },
  { id: 'resume-watchers', title: 'Resume Watchers', readOnly: false },
  { id: 'verify-merged', title: 'Verify Merged Cluster', readOnly: true },
  { id: 'cleanup', title: 'Clean Up', readOnly: false },
] as const;

export type PhaseId = (typeof PHASES)[number]['id'];

const BY_ID = new Map<string, (typeof PHASES)[number]>(PHASES.map((p) => [p.id, p]));

/** The English title of a phase (front ends localise it). */
export function phaseTitle(id: PhaseId): string {
  return BY_ID.get(id)!.title;
}

/** True for a phase that changes no cluster; false for every other id, unknown ones included. */
export function isReadOnlyPhase(id: string): boolean {
  return BY_ID.get(id)?.readOnly === true;
}

/** Ganeti's own point of no return: from here on only a full rollback restores the clusters. */
export const POINT_OF_NO_RETURN: PhaseId = 'start-master-no-voting';

export type PhaseState = 'pending' | 'running' | 'done' | 'failed' | 'undoing' | 'undone';

export type RestartPolicy = 'all' | 'up' | 'none';

/**
 * Which running mergee instances Stop Instances stops: all of them; only those the merge changes
 * in a way their guest would notice (config/guest-impact); or none (the merge then only checks
 * that none runs).
 */
export type StopInstancesPolicy = 'all' | 'needed' | 'none';
export const STOP_INSTANCES_POLICIES: readonly StopInstancesPolicy[] = ['all', 'needed', 'none'];

/** Journals and settings written before the policy existed stored a boolean. */
export function normalizeStopInstances(value: unknown): StopInstancesPolicy | undefined {
  if (value === true) return 'all';
  if (value === false) return 'none';
  return (STOP_INSTANCES_POLICIES as readonly unknown[]).includes(value) ? (value as StopInstancesPolicy) : undefined;
}

export interface MergePlanOptions {
  /** ssh names of the clusters (master name or cluster name). */
  target: string;
  mergees: string[];
  groups: 'refuse' | 'merge' | 'rename';
  /** Same-named networks (spec 3.7): refuse, absorb into the target's (same subnet), or rename. */
  networks: 'refuse' | 'merge' | 'rename';
  params: 'strict' | 'warn';
  restart: RestartPolicy;
  stopInstances: StopInstancesPolicy;
  watcherPauseSeconds: number;
  ignoredVerifyCodes: string[];
  /** Bound for per-node work inside a phase. */
  concurrency: number;
}

export const DEFAULT_PLAN_OPTIONS: Omit<MergePlanOptions, 'target' | 'mergees'> = {
  groups: 'refuse',
  networks: 'refuse',
  params: 'strict',
  restart: 'all',
  // Kept instances are safe: README "Zero-downtime merge" (what Ganeti does to them, measured on the lab).
  stopInstances: 'needed',
  watcherPauseSeconds: 1800,
  ignoredVerifyCodes: [],
  concurrency: 4,
};

/** What the UI shows of one phase. */
export interface PhaseStatus {
  id: PhaseId;
  title: string;
  state: PhaseState;
  startedAt?: number;
  finishedAt?: number;
  error?: string;
}

/** What the operator may do with one phase now, decided by the engine; a reason when not. */
export interface PhaseActions {
  readonly id: PhaseId;
  readonly canRun: boolean;
  readonly canUndo: boolean;
  /** Why Run is refused (absent when canRun). */
  readonly runRefusal?: string;
  /** Why Undo is refused (absent when canUndo). */
  readonly undoRefusal?: string;
}

export type MergerEvent =
  | { type: 'phase'; phase: PhaseStatus }
  | { type: 'progress'; phase: PhaseId; message: string; done?: number; total?: number }
  | { type: 'command'; phase?: PhaseId; event: TranscriptEvent }
  | { type: 'findings'; findings: Finding[] }
  | { type: 'finished'; outcome: MergeEnd; error?: string };
