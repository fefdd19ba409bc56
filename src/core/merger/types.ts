/**
 * The Merger's public vocabulary: phases, their states, options and the events the UI listens to.
 * The phase engine (src/core/merger) produces these; the VS Code layer and the CLI only consume them.
 */
import type { Finding } from '../config/types';
import type { TranscriptEvent } from '../remote/transcript';

/** The phases of the merge procedure, in order (docs: merge-procedure). */
export const PHASES = [
  { id: 'preflight', title: 'Preflight' },
  { id: 'verify-target', title: 'Verify Target' },
  { id: 'authorize-target-master', title: 'Authorize Target Master' },
  { id: 'stop-instances', title: 'Stop Instances' },
  { id: 'pause-watchers', title: 'Pause Watchers' },
  { id: 'snapshot', title: 'Snapshot and Fetch Configs' },
  { id: 'remove-master-ips', title: 'Remove Mergee Master IPs' },
  { id: 'stop-mergee-daemons', title: 'Stop Mergee Daemons' },
  { id: 'stop-target-master', title: 'Stop Target Master' },
  { id: 'write-config', title: 'Write Merged Config' },
  { id: 'start-master-no-voting', title: 'Start Target Master (No Voting)' },
  { id: 'readd-nodes', title: 'Re-add Nodes' },
  { id: 'redistribute', title: 'Redistribute Config' },
  { id: 'restart-master', title: 'Restart Target Master' },
  { id: 'start-instances', title: 'Start Instances' },
  { id: 'resume-watchers', title: 'Resume Watchers' },
  { id: 'verify-merged', title: 'Verify Merged Cluster' },
  { id: 'cleanup', title: 'Clean Up' },
] as const;

export type PhaseId = (typeof PHASES)[number]['id'];

/** Phases that only read the clusters: a merge that ran only these holds nothing on them. */
export const READ_ONLY_PHASES: readonly PhaseId[] = ['preflight', 'verify-target'];

/** Ganeti's own point of no return: from here on only a full rollback restores the clusters. */
export const POINT_OF_NO_RETURN: PhaseId = 'start-master-no-voting';

export type PhaseState = 'pending' | 'running' | 'done' | 'failed' | 'undoing' | 'undone';

export type RestartPolicy = 'all' | 'up' | 'none';

export interface MergePlanOptions {
  /** ssh names of the clusters (master name or cluster name). */
  target: string;
  mergees: string[];
  groups: 'refuse' | 'merge' | 'rename';
  params: 'strict' | 'warn';
  restart: RestartPolicy;
  /** false: only check that no mergee instance runs. */
  stopInstances: boolean;
  watcherPauseSeconds: number;
  ignoredVerifyCodes: string[];
  /** Bound for per-node work inside a phase. */
  concurrency: number;
}

export const DEFAULT_PLAN_OPTIONS: Omit<MergePlanOptions, 'target' | 'mergees'> = {
  groups: 'refuse',
  params: 'strict',
  restart: 'all',
  stopInstances: true,
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

export type MergerEvent =
  | { type: 'phase'; phase: PhaseStatus }
  | { type: 'progress'; phase: PhaseId; message: string; done?: number; total?: number }
  | { type: 'command'; phase?: PhaseId; event: TranscriptEvent }
  | { type: 'findings'; findings: Finding[] }
  | { type: 'finished'; outcome: 'merged' | 'rolled-back' | 'failed' | 'cancelled'; error?: string };
