/**
 * The merge plan: what a merge will do, read from the journal's preflight facts (the merge's own
 * report, the stop plan, the inventories) and never recomputed, so the plan says exactly what the
 * merge computed. Renderers (plan-render.ts) turn it into text, Markdown or JSON.
 */
import type { Finding } from '../config/types';
import type { AbsorbRecord, ConsolePortRecord, DiskPortRecord, MacRecord, RenameRecord } from '../config/merge/report';
import type { JournalDocument } from '../merger/journal';
import type { MergePlanOptions } from '../merger/types';

export interface PlanCluster { name: string; master: string; version: string; nodes: number; instances: number; groups: number }

export interface PlanAdded { cluster: string; nodes: string[]; instances: string[]; groups: string[]; networks: string[] }

export interface PlanRenamed { kind: 'group' | 'network'; cluster: string; from: string; to: string }

/** `into`: the name of the target's group or network (its uuid in a journal from before names were recorded). */
export interface PlanAbsorbed { kind: 'group' | 'network'; cluster: string; name: string; into: string }

export interface PlanPinned { cluster: string; object: 'node' | 'instance'; name: string; param: string; value: unknown }

export interface PlanStop { cluster: string; instance: string; running: boolean; stop: boolean; reasons: string[] }

export interface MergePlan {
  id: string;
  options: MergePlanOptions;
  target: PlanCluster;
  mergees: PlanCluster[];
  added: PlanAdded[];
  renamed: PlanRenamed[];
  absorbed: PlanAbsorbed[];
  drbdPorts: DiskPortRecord[];
  consolePorts: ConsolePortRecord[];
  macs: MacRecord[];
  /** Parameter differences between the clusters, and the policy (options.params) applied to them. */
  parameters: { policy: MergePlanOptions['params']; differences: Finding[]; pinned: PlanPinned[] };
  /** Every other finding of the merge (errors would have stopped preflight). */
  findings: Finding[];
  nodesForcedOffline: string[];
  droppedFilters: number;
  addedDiskTemplates: string[];
  /** Incoming instances and whether Stop Instances stops them (policy options.stopInstances). */
  stops: PlanStop[];
  /** The one-paragraph summary the approval and `plan --format text` show. */
  summary: string;
  /** What this plan cannot say because the journal predates it (empty for a current journal). */
  missing: string[];
}

/** Parameter findings: the codes params.ts (and networks.ts) raise for differing cluster settings. */
const isParameterFinding = (f: Finding) => ['W_PARAM_DIFF', 'W_EFFECTIVE_PARAM_CHANGE', 'E_PARAM_CONFLICT'].includes(f.code);

/** The plan of the merge journaled in `doc`, or undefined before preflight has run. */
export function buildMergePlan(doc: JournalDocument): MergePlan | undefined {
  const facts = doc.facts;
  if (!facts) return undefined;
  const r = facts.mergeReport;
  const missing: string[] = [];
  if (!r) missing.push('the merge\'s own report (renames, re-allocations, parameter differences): this journal predates the merge plan');
  if (!facts.instanceStops) missing.push('the per-instance stop plan: this journal predates the stop policy (every running instance is stopped)');
  const cluster = (c: typeof facts.target): PlanCluster => ({ name: c.name, master: c.master, version: c.version, nodes: c.nodes.length, instances: c.instances.length, groups: c.groups.length });
  const rename = (kind: PlanRenamed['kind']) => (x: RenameRecord): PlanRenamed => ({ kind, cluster: x.source, from: x.from, to: x.to });
  const absorb = (kind: PlanAbsorbed['kind']) => (x: AbsorbRecord): PlanAbsorbed => ({ kind, cluster: x.source, name: x.name, into: x.intoName ?? x.into });
  const running = new Set(facts.mergees.flatMap((m) => m.instances.filter((i) => i.running).map((i) => `${m.name}/${i.name}`)));
  return {
    id: doc.id,
    options: doc.options,
    target: cluster(facts.target),
    mergees: facts.mergees.map(cluster),
    added: facts.mergees.map((m) => ({
      cluster: m.name, nodes: m.nodes.map((n) => n.name), instances: m.instances.map((i) => i.name), groups: m.groups.map((g) => g.name), networks: [...(m.networks ?? [])],
    })),
    renamed: [...(r?.renamedGroups ?? []).map(rename('group')), ...(r?.renamedNetworks ?? []).map(rename('network'))],
    absorbed: [...(r?.absorbedGroups ?? []).map(absorb('group')), ...(r?.absorbedNetworks ?? []).map(absorb('network'))],
    drbdPorts: r?.reallocatedDiskPorts ?? [],
    consolePorts: r?.reallocatedConsolePorts ?? [],
    macs: r?.regeneratedMacs ?? [],
    parameters: {
      policy: doc.options.params,
      differences: [...(r?.errors ?? []), ...(r?.warnings ?? [])].filter(isParameterFinding),
      pinned: [
        ...(r?.pinnedNodeParams ?? []).map((p): PlanPinned => ({ cluster: p.source, object: 'node', name: p.node, param: p.param, value: p.value })),
        ...(r?.pinnedInstanceParams ?? []).map((p): PlanPinned => ({ cluster: p.source, object: 'instance', name: p.instance, param: p.param, value: p.value })),
      ],
    },
    findings: [...(r?.errors ?? []), ...(r?.warnings ?? [])].filter((f) => !isParameterFinding(f)),
    nodesForcedOffline: (r?.nodesForcedOffline ?? []).map((n) => n.node),
    droppedFilters: r?.droppedFilters.length ?? 0,
    addedDiskTemplates: r?.addedDiskTemplates ?? [],
    stops: (facts.instanceStops ?? []).map((s) => ({ cluster: s.cluster, instance: s.instance, running: running.has(`${s.cluster}/${s.instance}`), stop: s.stop, reasons: [...s.reasons] })),
    summary: facts.mergeSummary,
    missing,
  };
}
