/**
 * The fault and crash matrices' shared plan: the small topology they merge (clusterc's one node
 * into clustera's two: every phase runs, each case stays short), which fault hits which node in
 * which phase, and which cases CI runs.
 *
 *   GCM_MATRIX=full          every case (scripts/test-matrix.sh); default: the CI subset
 *   GCM_MATRIX_PHASES=a,b    only cases in these phases (to split a long run into lock-sized chunks)
 *   GCM_MATRIX_KINDS=k,...   only these kinds of case (fail-command, link-down, crash-resume, crash-rollback,
 *                            sent-resume, sent-rollback)
 *
 * The CI subset covers every phase exactly once across the two matrices, cycling through the four
 * kinds of case, so each kind is exercised before and after Ganeti's point of no return. On top, the
 * crash matrix's second kill point (`sent-*`: the CLI is killed once the journal records that the
 * phase's mutating command was sent, so that command runs on as an orphan) runs in CI for the
 * phases with remote daemon or job work listed in CI_SENT.
 *
 * Every case merges with the default stop policy, `needed` (the lab's instances keep running
 * throughout), except the `sent-*` cases of stop-instances, which need a shutdown to be in flight.
 */
import { PHASES, type PhaseId, type StopInstancesPolicy } from '../../../src/core/merger/types';
import type { LabFault, LabInfo } from '../../lab/lab';

export const CASE_KINDS = ['fail-command', 'link-down', 'crash-resume', 'crash-rollback'] as const;
/** The crash matrix's second kill point: with the phase's SENT_COMMAND in flight. */
export const SENT_KINDS = ['sent-resume', 'sent-rollback'] as const;
export type CaseKind = (typeof CASE_KINDS)[number] | (typeof SENT_KINDS)[number];

/** Target and mergee: the first mergee cluster with a single node (clusterc in the lab). */
export interface MatrixTopology {
  targetCluster: string;
  mergeeCluster: string;
  target: string; // master FQDN, given to the merger (cluster IPs move during a merge)
  mergee: string;
}

export function matrixTopology(lab: LabInfo): MatrixTopology {
  const target = lab.clusters.find((c) => c.name === lab.targetCluster)!;
  const mergee = lab.clusters.find((c) => lab.mergeeClusters.includes(c.name) && c.nodes.length === 1);
  if (!mergee) throw new Error('the lab has no one-node mergee cluster for the matrices');
  return { targetCluster: target.name, mergeeCluster: mergee.name, target: target.master, mergee: mergee.master };
}

type NodeRole = 'target-master' | 'target-other' | 'mergee';

interface PhaseFaults {
  /** The remote command the phase itself runs, made to fail on that node (undefined: runs none). */
  failCommand?: { node: NodeRole; command: string };
  /** A node the phase talks to whose link drops. */
  linkDown?: NodeRole;
}

const DAEMON_UTIL = '/usr/lib/ganeti/daemon-util';

/**
 * Per phase, a command it runs and a node it needs. cleanup runs no remote command at all, so
 * neither fault can hit it; the crash matrix covers it.
 */
export const PHASE_FAULTS: Record<PhaseId, PhaseFaults> = {
  'preflight': { failCommand: { node: 'mergee', command: 'gnt-cluster' }, linkDown: 'mergee' },
  'verify-target': { failCommand: { node: 'target-master', command: 'gnt-cluster' }, linkDown: 'target-master' },
  // the key is read with cat, then added by a script whose first step (d=$(dirname ...)) fails
  // under set -e; grep would not do: its failure reads as "key absent"
  'authorize-target-master': { failCommand: { node: 'mergee', command: 'dirname' }, linkDown: 'mergee' },
  'stop-instances': { failCommand: { node: 'mergee', command: 'gnt-instance' }, linkDown: 'mergee' },
  // the target's pause succeeds, the mergee's fails: a half-done phase
  'pause-watchers': { failCommand: { node: 'mergee', command: 'gnt-cluster' }, linkDown: 'mergee' },
  'snapshot': { failCommand: { node: 'target-other', command: 'tar' }, linkDown: 'target-other' },
  'remove-master-ips': { failCommand: { node: 'mergee', command: 'gnt-cluster' }, linkDown: 'mergee' },
  // daemons stopped, identity files not moved aside: half-done
  'stop-mergee-daemons': { failCommand: { node: 'mergee', command: 'mv' }, linkDown: 'mergee' },
  'stop-target-master': { failCommand: { node: 'target-master', command: DAEMON_UTIL }, linkDown: 'target-master' },
  'write-config': { failCommand: { node: 'target-master', command: 'mktemp' }, linkDown: 'target-master' },
  'start-master-no-voting': { failCommand: { node: 'target-master', command: DAEMON_UTIL }, linkDown: 'target-master' },
  'readd-nodes': { failCommand: { node: 'target-master', command: 'gnt-node' }, linkDown: 'mergee' },
  'redistribute': { failCommand: { node: 'target-master', command: 'gnt-cluster' }, linkDown: 'target-master' },
  'restart-master': { failCommand: { node: 'target-master', command: DAEMON_UTIL }, linkDown: 'target-master' },
  'start-instances': { failCommand: { node: 'target-master', command: 'gnt-instance' }, linkDown: 'target-master' },
  'resume-watchers': { failCommand: { node: 'target-master', command: 'gnt-cluster' }, linkDown: 'target-master' },
  'verify-merged': { failCommand: { node: 'target-master', command: 'gnt-cluster' }, linkDown: 'target-master' },
  'cleanup': {},
};

/**
 * Per phase, the command the `sent-*` kill point waits for (a part of its argv as the journal
 * shows it): the phase's mutating command where it has one, with the node it runs on (the test
 * then also waits until it runs there); '' for the phase's first command (journal only).
 * undefined: the phase sends none (cleanup).
 */
export const SENT_COMMAND: Record<PhaseId, { command: string; node?: NodeRole; stopInstances?: StopInstancesPolicy } | undefined> = {
  'preflight': { command: '' },
  'verify-target': { command: 'gnt-cluster verify', node: 'target-master' },
  'authorize-target-master': { command: '' },
  // with the default (needed) the lab's instances all keep running: nothing to shut down
  'stop-instances': { command: 'gnt-instance shutdown', node: 'mergee', stopInstances: 'all' },
  'pause-watchers': { command: 'gnt-cluster watcher pause' },
  'snapshot': { command: '' },
  'remove-master-ips': { command: 'gnt-cluster deactivate-master-ip', node: 'mergee' },
  'stop-mergee-daemons': { command: `${DAEMON_UTIL} stop-all`, node: 'mergee' },
  'stop-target-master': { command: `${DAEMON_UTIL} stop-master`, node: 'target-master' },
  'write-config': { command: '' },
  'start-master-no-voting': { command: `${DAEMON_UTIL} start-master`, node: 'target-master' },
  'readd-nodes': { command: 'gnt-node add', node: 'target-master' },
  'redistribute': { command: 'gnt-cluster redist-conf', node: 'target-master' },
  'restart-master': { command: `${DAEMON_UTIL} start-master`, node: 'target-master' },
  // the same: with needed nothing was stopped, so there is nothing to start
  'start-instances': { command: 'gnt-instance startup', node: 'target-master', stopInstances: 'all' },
  'resume-watchers': { command: 'gnt-cluster watcher continue', node: 'target-master' },
  'verify-merged': { command: 'gnt-cluster verify', node: 'target-master' },
  'cleanup': undefined,
};

/**
 * The `sent-*` cases CI runs: phases with remote daemon or Ganeti job work, resumed and rolled back
 * before and after the point of no return (each case is another 30-90 s, so not all eight such phases).
 */
export const CI_SENT: Partial<Record<PhaseId, (typeof SENT_KINDS)[number]>> = {
  'stop-mergee-daemons': 'sent-resume', // daemon-util stop-all
  'stop-target-master': 'sent-rollback', // daemon-util stop-master
  'start-master-no-voting': 'sent-resume', // daemon-util start-master: issue 17's race
  'readd-nodes': 'sent-rollback', // gnt-node add --readd
  'restart-master': 'sent-rollback', // daemon-util start-master
  'start-instances': 'sent-resume', // gnt-instance startup (Ganeti jobs)
};

export function roleNode(lab: LabInfo, topology: MatrixTopology, role: NodeRole): string {
  if (role === 'target-master') return topology.target;
  if (role === 'mergee') return topology.mergee;
  const other = lab.clusters.find((c) => c.name === topology.targetCluster)!.nodes.find((n) => n !== topology.target);
  if (!other) throw new Error('the target cluster has no second node');
  return other;
}

/** The fault of one case and the node it hits. */
export function faultFor(lab: LabInfo, topology: MatrixTopology, phase: PhaseId, kind: 'fail-command' | 'link-down'): { node: string; fault: LabFault } | undefined {
  const f = PHASE_FAULTS[phase];
  if (kind === 'fail-command') {
    return f.failCommand && { node: roleNode(lab, topology, f.failCommand.node), fault: { kind: 'fail-command', command: f.failCommand.command } };
  }
  return f.linkDown && { node: roleNode(lab, topology, f.linkDown), fault: { kind: 'link-down' } };
}

const CI_CYCLE: CaseKind[] = ['fail-command', 'crash-resume', 'link-down', 'crash-rollback'];

/** The one kind of case CI runs for a phase (a crash for cleanup, which no fault can hit). */
export function ciKind(phase: PhaseId): CaseKind {
  const i = PHASES.findIndex((p) => p.id === phase);
  let kind = CI_CYCLE[i % CI_CYCLE.length];
  if (phase === 'cleanup' && !kind.startsWith('crash')) kind = 'crash-rollback';
  return kind;
}

export function fullMatrix(): boolean {
  return process.env.GCM_MATRIX === 'full';
}

/** The phases whose cases of `kind` this run includes, in procedure order. */
export function selectedPhases(kind: CaseKind): PhaseId[] {
  const only = process.env.GCM_MATRIX_PHASES?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of only ?? []) if (!PHASES.some((x) => x.id === p)) throw new Error(`GCM_MATRIX_PHASES: unknown phase ${JSON.stringify(p)}`);
  const kinds = process.env.GCM_MATRIX_KINDS?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of kinds ?? []) if (![...CASE_KINDS, ...SENT_KINDS].includes(k as CaseKind)) throw new Error(`GCM_MATRIX_KINDS: unknown kind ${JSON.stringify(k)}`);
  if (kinds && !kinds.includes(kind)) return [];
  return PHASES.map((p) => p.id).filter((id) => {
    if (only && !only.includes(id)) return false;
    if ((kind === 'fail-command' || kind === 'link-down') && !PHASE_FAULTS[id][kind === 'fail-command' ? 'failCommand' : 'linkDown']) return false;
    if (kind === 'sent-resume' || kind === 'sent-rollback') return SENT_COMMAND[id] !== undefined && (fullMatrix() || CI_SENT[id] === kind);
    return fullMatrix() || ciKind(id) === kind;
  });
}
