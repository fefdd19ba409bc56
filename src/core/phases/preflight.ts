/**
 * Phase 0: learn everything, change nothing. Same Ganeti version everywhere, no cluster merged into
 * itself or twice, node/instance/group lists and masters, configs fetched read-only, and the merged
 * config computed (instances may still run) so every conflict shows before anything is touched.
 */
import { ganeti } from '../remote';
import { PhaseCheckError, type Phase, type PhaseContext } from '../merger/phase';
import type { ClusterFacts } from '../merger/facts';
import { mergePreview } from '../merger/preview';
import { CONFIG_DATA, configFileName, describeInstanceStops, MERGED, TARGET_BACKUP, mergeFromBuffers, planInstanceStops, requireMerged, summarizeMerge } from './common';

async function gather(ctx: PhaseContext, given: string): Promise<{ facts: ClusterFacts; config: Buffer }> {
  const version = await ctx.run(given, ganeti.clusterVersion());
  const info = await ctx.run(given, ganeti.clusterInfo());
  const master = info.masterNode;
  const [nodes, instances, groups, config] = await Promise.all([
    ctx.run(master, ganeti.nodeList()),
    ctx.run(master, ganeti.instanceList()),
    ctx.run(master, ganeti.groupList()),
    ctx.run(master, ganeti.readFile(CONFIG_DATA)),
  ]);
  ctx.progress(`${info.name}: Ganeti ${version.version}, master ${master}, ${nodes.length} node(s), ${instances.length} instance(s)`);
  return {
    facts: { given, name: info.name, uuid: info.uuid, master, version: version.version, major: version.major, nodes, instances, groups },
    config,
  };
}

function checkClusters(target: ClusterFacts, mergees: ClusterFacts[], stopInstances: boolean): void {
  const problems: string[] = [];
  for (const m of mergees) {
    // Without stopping, a running instance would only be found in phase 3, after keys were added.
    const up = stopInstances ? [] : m.instances.filter((i) => i.running).map((i) => i.name);
    if (up.length) problems.push(`${m.name} has running instance(s) ${up.join(', ')} and stopping instances is off: stop them first`);
    if (m.version !== target.version) problems.push(`${m.name} runs Ganeti ${m.version}, the target ${target.name} ${target.version}`);
    if (m.uuid === target.uuid || m.name === target.name) problems.push(`${m.given} is the target cluster itself`);
    const targetNodes = new Set(target.nodes.map((n) => n.name));
    const shared = m.nodes.filter((n) => targetNodes.has(n.name)).map((n) => n.name);
    if (shared.length) problems.push(`${m.name} shares node(s) ${shared.join(', ')} with the target: already merged?`);
    // its config copy would be the target's backup or the merged config: one file for two
    if ([TARGET_BACKUP, MERGED].includes(configFileName(m.name))) problems.push(`${m.name}: a mergee cluster of this name is not supported (its config copy ${configFileName(m.name)} is a file the merge keeps for itself)`);
  }
  const seen = new Set<string>();
  for (const m of mergees) {
    if (seen.has(m.uuid)) problems.push(`${m.name} is named twice`);
    seen.add(m.uuid);
  }
  if (problems.length) throw new PhaseCheckError(`the clusters cannot be merged: ${problems.join('; ')}`);
}

export const preflight: Phase = {
  id: 'preflight',
  async run(ctx) {
    const { options } = ctx;
    if (options.mergees.length === 0) throw new PhaseCheckError('no mergee clusters given');
    // Target and mergees at once: each cluster's reads are independent of the others'.
    // Each result goes to its cluster's place: the operator's order, whatever order forEach finishes in.
    const gathered: { facts: ClusterFacts; config: Buffer }[] = [];
    const names = [options.target, ...options.mergees];
    await ctx.forEach(names.map((given, at) => ({ given, at })), async ({ given, at }) => {
      gathered[at] = await gather(ctx, given);
    });
    const [target, ...mergees] = gathered;
    const result = mergeFromBuffers(ctx, target.facts.name, target.config, mergees.map((m) => ({ cluster: m.facts.name, config: m.config })), true);
    // Kept before any refusal: a refused merge's preview shows why (its errors), also in the editor.
    ctx.keepPreview(mergePreview({
      target: target.facts.name, mergees: mergees.map((m) => m.facts.name), ok: result.ok,
      findings: [...result.report.errors, ...result.report.warnings], current: result.current, merged: result.merged,
    }));
    checkClusters(target.facts, mergees.map((m) => m.facts), options.stopInstances !== 'none');
    const merged = requireMerged(ctx, result);
    // each mergee's network names, from the config just parsed: what the plan lists as added
    const mergeeFacts = mergees.map((m, i) => ({ ...m.facts, networks: Object.values(result.incoming[i].config.networks ?? {}).map((n) => String(n.name)) }));
    const instanceStops = planInstanceStops(options.stopInstances, result.incoming, merged);
    const stops = describeInstanceStops(options.stopInstances, instanceStops, mergeeFacts);
    ctx.journal.doc.facts = { target: target.facts, mergees: mergeeFacts, mergeSummary: summarizeMerge(result, target.facts, mergeeFacts, stops), instanceStops, mergeReport: result.report };
    ctx.journal.save();
    // The split in the progress panel and the log: the details, then the count (the phase row keeps the last).
    for (const line of [...stops.slice(1), stops[0]]) ctx.progress(line.trim());
  },
};
