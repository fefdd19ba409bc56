/** Helpers shared by several phases. */
import { createHash } from 'node:crypto';
import { guestImpact } from '../config/merge/guest-impact';
import { mergeConfigs, type MergeResult } from '../config/merge';
import { parseConfigBuffer } from '../config/parse';
import type { AbsorbRecord, RenameRecord } from '../config/merge/report';
import type { GanetiConfig } from '../config/types';
import { ganeti } from '../remote';
import { PhaseCheckError, type PhaseContext } from '../merger/phase';
import type { ClusterFacts, InstanceStopPlan } from '../merger/facts';
import type { StopInstancesPolicy } from '../merger/types';

export const CONFIG_DATA = '/var/lib/ganeti/config.data';

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Waits before a phase asks again (daemons starting, a config copy on its way). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const configFileName = (cluster: string) => `${cluster}.config.data`;
export const TARGET_BACKUP = 'target-backup.config.data';
export const MERGED = 'merged.config.data';

/**
 * Snapshot ids name the node too: nodes may share the snapshot directory (the lab's nodes do, and
 * so would an NFS-mounted /var/lib), and one node's tar must never be restored on another.
 */
function snapshotId(ctx: PhaseContext, node: string, what: string): string {
  const nodePart = node.length <= 60 ? node : `${node.slice(0, 40)}-${sha256(node).slice(0, 16)}`;
  return `${ctx.journal.id}-${nodePart}-${what}`;
}
export const ganetiSnapshotId = (ctx: PhaseContext, node: string) => snapshotId(ctx, node, 'ganeti');
export const sshSnapshotId = (ctx: PhaseContext, node: string) => snapshotId(ctx, node, 'ssh');

/** The merge of the buffers, with the parsed (unchanged) target and mergee configs it was computed from. */
export type MergeFromBuffers = MergeResult & { current: GanetiConfig; incoming: { config: GanetiConfig; source: string }[] };

export function mergeFromBuffers(ctx: PhaseContext, targetName: string, target: Buffer, mergees: { cluster: string; config: Buffer }[], allowInstancesUp: boolean): MergeFromBuffers {
  const { options } = ctx;
  const incoming = mergees.map((m) => ({ config: parseConfigBuffer(m.config, m.cluster), source: m.cluster }));
  const current = parseConfigBuffer(target, 'target');
  const result = mergeConfigs(current, incoming, { groups: options.groups, networks: options.networks, params: options.params, allowInstancesUp }, targetName);
  return { ...result, current, incoming };
}

/** Applies the stop policy to what the merge changes in each mergee instance (source = cluster name). */
export function planInstanceStops(policy: StopInstancesPolicy, incoming: MergeFromBuffers['incoming'], merged: GanetiConfig): InstanceStopPlan[] {
  return guestImpact(incoming, merged).map((i) => ({
    cluster: i.source,
    instance: i.instance,
    reasons: i.reasons,
    stop: policy === 'all' || (policy === 'needed' && i.reasons.length > 0),
  }));
}

/** "kept running" / "stopped" lines of the running instances, for the plan and the approval. */
export function describeInstanceStops(policy: StopInstancesPolicy, plan: readonly InstanceStopPlan[], mergees: readonly ClusterFacts[]): string[] {
  const running = new Set(mergees.flatMap((m) => m.instances.filter((i) => i.running).map((i) => `${m.name}/${i.name}`)));
  const live = plan.filter((p) => running.has(`${p.cluster}/${p.instance}`));
  const kept = live.filter((p) => !p.stop).map((p) => p.instance);
  const stopped = live.filter((p) => p.stop);
  const lines = [`stop instances: ${policy}; ${kept.length} running instance(s) kept running, ${stopped.length} stopped`];
  if (kept.length) lines.push(`  kept running: ${kept.join(', ')}`);
  for (const p of stopped) lines.push(`  stopped: ${p.instance} (${p.reasons.length ? p.reasons.join('; ') : `policy ${policy}`})`);
  return lines;
}

/** Throws a PhaseCheckError listing the merge's errors (never config content). */
export function requireMerged(ctx: PhaseContext, result: MergeResult) {
  ctx.emit({ type: 'findings', findings: [...result.report.errors, ...result.report.warnings] });
  if (!result.ok || !result.merged) {
    const first = result.report.errors.slice(0, 5).map((f) => `${f.code}: ${f.message}`).join('; ');
    throw new PhaseCheckError(`the configs cannot be merged (${result.report.errors.length} error(s)): ${first}`);
  }
  return result.merged;
}

export function summarizeMerge(result: MergeResult, target: ClusterFacts, mergees: readonly ClusterFacts[], stops: string[] = []): string {
  const r = result.report;
  const lines = [
    `target ${target.name}: ${target.nodes.length} node(s), ${target.instances.length} instance(s)`,
    ...mergees.map((m) => `+ ${m.name}: ${m.nodes.length} node(s), ${m.instances.length} instance(s), ${m.groups.length} group(s)`),
  ];
  // "name (source cluster) -> new name" / "name (source cluster)" (into the target's same-named one):
  // the same name may come from several mergees
  const renamed = (kind: string, list: readonly RenameRecord[]) => list.length && lines.push(`${kind} renamed: ${list.map((x) => `${x.from} (${x.source}) -> ${x.to}`).join(', ')}`);
  const absorbed = (kind: string, list: readonly AbsorbRecord[]) => list.length && lines.push(`${kind} absorbed: ${list.map((x) => `${x.name} (${x.source})`).join(', ')}`);
  renamed('groups', r.renamedGroups);
  absorbed('groups', r.absorbedGroups);
  renamed('networks', r.renamedNetworks);
  absorbed('networks', r.absorbedNetworks);
  if (r.regeneratedMacs.length) lines.push(`MACs regenerated: ${r.regeneratedMacs.length}`);
  if (r.reallocatedDiskPorts.length + r.reallocatedConsolePorts.length) {
    lines.push(`ports reallocated: ${r.reallocatedDiskPorts.length + r.reallocatedConsolePorts.length}`);
  }
  lines.push(`warnings: ${r.warnings.length}`);
  lines.push(...stops);
  return lines.join('\n');
}

/** Waits until the master answers a query (daemons take a few seconds after start). */
export async function waitForMaster(ctx: PhaseContext, master: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    ctx.checkpoint();
    try {
      await ctx.run(master, ganeti.instanceList());
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the master ${master} did not answer within ${timeoutMs / 1000} s: ${(err as Error).message}`, { cause: err });
      await pause(2000);
    }
  }
}

/**
 * Promise.all that lets every operation finish before rethrowing the first failure, so no remote
 * command of a phase is still in flight when the phase has ended (failed, rolled back, cancelled).
 */
export async function allSettled<T extends readonly unknown[]>(operations: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const settled = await Promise.allSettled(operations);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Retries an operation that needs freshly started daemons. */
export async function retrying<T>(ctx: PhaseContext, what: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    ctx.checkpoint();
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
      await pause(2000);
    }
  }
}

export function mergeeByName(ctx: PhaseContext, name: string): ClusterFacts {
  const m = ctx.facts().mergees.find((c) => c.name === name);
  if (!m) throw new PhaseCheckError(`no preflight facts for cluster ${name}`);
  return m;
}
