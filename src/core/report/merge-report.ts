/**
 * The merge report: what a change board gets after a merge, a rollback or a failure, read from
 * the journal alone (who, when, from where, options; the plan; each phase; every remote command;
 * the inventories before and after; verify; the rollback). Every string of it passes redactDeep
 * with the secrets of the merge's own configs (report-secrets.ts): the journal is written to hold
 * none, this makes sure none reaches the report even if a record carries one by mistake.
 */
import type { InstanceListEntry, NodeListEntry } from '../remote/commands';
import { redactDeep } from '../remote/secret';
import type { CommandRecord, JournalDocument, JournalOrigin, RollbackEntry } from '../merger/journal';
import { PHASES, type MergePlanOptions, type PhaseId, type PhaseState } from '../merger/types';
import { buildMergePlan, type MergePlan } from './merge-plan';

export interface ReportPhase { id: PhaseId; title: string; state: PhaseState; startedAt?: number; finishedAt?: number; error?: string; commands: number }

export interface ReportInventory {
  cluster: string;
  nodes: { name: string; group: string; offline: boolean }[];
  groups: string[];
  networks: string[];
  instances: { name: string; status: string; running: boolean; primaryNode: string }[];
}

export interface InventoryDiff {
  nodesAdded: string[];
  nodesMissing: string[];
  instancesAdded: string[];
  instancesMissing: string[];
  /** "name: before -> after" of instances whose run state changed. */
  instancesChanged: string[];
}

export interface MergeReportDocument {
  kind: 'ganeti-merge-report';
  id: string;
  generatedAt: number;
  createdAt: number;
  updatedAt: number;
  origin?: JournalOrigin;
  options: MergePlanOptions;
  outcome?: JournalDocument['outcome'];
  plan?: MergePlan;
  phases: ReportPhase[];
  commands: CommandRecord[];
  /** Commands sent and not known to have returned (a run that was killed). */
  inFlight: { phase: PhaseId; host: string; command: string; sentAt: number }[];
  before: ReportInventory[];
  after?: ReportInventory & { at: number };
  diff?: InventoryDiff;
  verify: { phase: PhaseId; state: PhaseState; error?: string }[];
  rollback?: RollbackEntry;
  /** What the journal does not hold (an older journal, a merge that stopped early). */
  missing: string[];
}

const inventoryInstances = (list: readonly InstanceListEntry[]) => list.map((i) => ({ name: i.name, status: i.status, running: i.running, primaryNode: i.primaryNode }));
const inventoryNodes = (list: readonly NodeListEntry[]) => list.map((n) => ({ name: n.name, group: n.group, offline: n.offline }));

function inventoryDiff(before: readonly ReportInventory[], after: ReportInventory): InventoryDiff {
  const nodesBefore = new Set(before.flatMap((c) => c.nodes.map((n) => n.name)));
  const nodesAfter = new Set(after.nodes.map((n) => n.name));
  const statusBefore = new Map(before.flatMap((c) => c.instances.map((i) => [i.name, i.status] as const)));
  const statusAfter = new Map(after.instances.map((i) => [i.name, i.status] as const));
  return {
    nodesAdded: [...nodesAfter].filter((n) => !nodesBefore.has(n)),
    nodesMissing: [...nodesBefore].filter((n) => !nodesAfter.has(n)),
    instancesAdded: [...statusAfter.keys()].filter((n) => !statusBefore.has(n)),
    instancesMissing: [...statusBefore.keys()].filter((n) => !statusAfter.has(n)),
    instancesChanged: [...statusAfter].filter(([n, s]) => statusBefore.has(n) && statusBefore.get(n) !== s).map(([n, s]) => `${n}: ${statusBefore.get(n)} -> ${s}`),
  };
}

/** The report of the merge journaled in `doc`; `secrets` are replaced wherever they appear. */
export function buildMergeReport(doc: JournalDocument, secrets: readonly string[], now = Date.now()): MergeReportDocument {
  const commands = doc.commands ?? [];
  const facts = doc.facts;
  const missing: string[] = [];
  if (!doc.origin) missing.push('who started the merge and from where: this journal predates the merge report');
  if (!doc.commands) missing.push('the remote commands: this journal predates the merge report');
  if (!facts) missing.push('the plan and the inventories: preflight did not complete');
  const before: ReportInventory[] = facts ? [facts.target, ...facts.mergees].map((c) => ({
    cluster: c.name, nodes: inventoryNodes(c.nodes), groups: c.groups.map((g) => g.name), networks: [...(c.networks ?? [])], instances: inventoryInstances(c.instances),
  })) : [];
  const a = doc.afterMerge;
  const after = a ? { at: a.at, cluster: a.cluster, nodes: inventoryNodes(a.nodes), groups: [], networks: [], instances: inventoryInstances(a.instances) } : undefined;
  if (facts && !after) missing.push('the merged cluster\'s inventory: phase verify-merged did not run');
  const report: MergeReportDocument = {
    kind: 'ganeti-merge-report',
    id: doc.id, generatedAt: now, createdAt: doc.createdAt, updatedAt: doc.updatedAt,
    ...(doc.origin ? { origin: doc.origin } : {}),
    options: doc.options,
    ...(doc.outcome ? { outcome: doc.outcome } : {}),
    ...(facts ? { plan: buildMergePlan(doc) } : {}),
    phases: PHASES.map((p) => {
      const e = doc.phases[p.id];
      return { id: p.id, title: p.title, state: e.state, startedAt: e.startedAt, finishedAt: e.finishedAt, ...(e.error ? { error: e.error } : {}), commands: commands.filter((c) => c.phase === p.id).length };
    }),
    commands,
    inFlight: (doc.inFlight ?? []).map((c) => ({ ...c })),
    before,
    ...(after ? { after, diff: inventoryDiff(before, after) } : {}),
    verify: PHASES.filter((p) => p.id === 'verify-target' || p.id === 'verify-merged').map((p) => ({ phase: p.id, state: doc.phases[p.id].state, ...(doc.phases[p.id].error ? { error: doc.phases[p.id].error } : {}) })),
    ...(doc.rollback ? { rollback: doc.rollback } : {}),
    missing,
  };
  return redactDeep(report, secrets);
}
