/** Phase 16: verify the merged cluster and check that no node or instance was lost. */
import { ganeti } from '../remote';
import { PhaseCheckError, type Phase } from '../merger/phase';
import { allSettled } from './common';
import { verifyClean } from './verify-target';

function missing(expected: string[], actual: string[]): string[] {
  const have = new Set(actual);
  return expected.filter((n) => !have.has(n));
}

export const verifyMerged: Phase = {
  id: 'verify-merged',
  async run(ctx) {
    const facts = ctx.facts();
    const master = facts.target.master;
    // The lists are read-only queries that need not wait for the verify jobs: ask them meanwhile.
    const [, listedNodes, instances] = await allSettled([
      verifyClean(ctx, master, `the merged cluster ${facts.target.name}`),
      ctx.run(master, ganeti.nodeList()),
      ctx.run(master, ganeti.instanceList()),
    ]);
    // kept for the merge report's before/after inventory, whatever the checks below find
    ctx.journal.doc.afterMerge = { at: Date.now(), cluster: facts.target.name, nodes: listedNodes, instances };
    ctx.journal.save();
    const nodes = listedNodes.map((n) => n.name);
    const clusters = [facts.target, ...facts.mergees];
    const lostNodes = missing(clusters.flatMap((c) => c.nodes.map((n) => n.name)), nodes);
    const lostInstances = missing(clusters.flatMap((c) => c.instances.map((i) => i.name)), instances.map((i) => i.name));
    if (lostNodes.length || lostInstances.length) {
      throw new PhaseCheckError(`the merged cluster lacks node(s) [${lostNodes.join(', ')}] and instance(s) [${lostInstances.join(', ')}]`);
    }
    if (ctx.options.restart === 'all') {
      const down = instances.filter((i) => !i.running).map((i) => i.name);
      if (down.length) throw new PhaseCheckError(`instance(s) not running after restart=all: ${down.join(', ')}`);
    }
    ctx.progress(`${nodes.length} node(s), ${instances.length} instance(s), verify clean`);
  },
};
