/**
 * The rollback past the point of no return (docs: merge-procedure): stop the mergee instances the
 * merged cluster runs, stop every daemon on every node, put back each node's /var/lib/ganeti and
 * ssh identity from the phase-5 snapshots (this also restores the target's config.data), start
 * every node's daemons again (each cluster's nodes together, for voting), wait for the target
 * master and redistribute its config. That also undoes phases 7 and 8 (daemons stopped); the
 * engine then undoes phases 6 -> 2 as usual.
 */
import { ganeti } from '../remote';
import { allNodes } from '../merger/facts';
import type { PhaseContext } from '../merger/phase';
import { keptRunning } from './stop-instances';
import { ganetiSnapshotId, retrying, sha256, sshSnapshotId, waitForMaster } from './common';
import { ganetiSnapshotSha256, restoreSshSnapshot } from '../remote/commands/node-files';

export async function fullRollback(ctx: PhaseContext): Promise<void> {
  const facts = ctx.facts();
  const master = facts.target.master;
  const snapshotted = new Set(ctx.records('snapshot', 'snapshot').filter((r) => r.done).map((r) => r.host));
  const missing = allNodes(facts).filter((n) => !snapshotted.has(n));
  if (missing.length) throw new Error(`cannot roll back: no snapshot of ${missing.join(', ')}`);

  // Instances Stop Instances kept running never stopped: their restored config still says they run.
  const kept = keptRunning(ctx);
  const mergeeInstances = new Set(facts.mergees.flatMap((c) => c.instances.map((i) => i.name)).filter((n) => !kept.has(n)));
  try {
    const running = (await ctx.run(master, ganeti.instanceList())).filter((i) => i.running && mergeeInstances.has(i.name)).map((i) => i.name);
    if (kept.size) ctx.progress(`keeping ${kept.size} mergee instance(s) running that the merge did not stop`);
    if (running.length) {
      ctx.progress(`stopping ${running.length} mergee instance(s) on the merged cluster (the merge started them with the merged config)`);
      await ctx.run(master, ganeti.instanceShutdown({ names: running }));
    }
  } catch (err) {
    // The target master may be down (e.g. it failed to start): the restore below still applies.
    ctx.progress(`could not stop mergee instances through ${master}: ${(err as Error).message}`);
  }

  const nodes = allNodes(facts);
  ctx.progress(`stopping Ganeti on ${nodes.length} node(s)`);
  await ctx.forEach(nodes, (node) => ctx.run(node, ganeti.daemonUtil('stop-all')));
  let restored = 0;
  const expected = new Map(ctx.records('snapshot', 'snapshot').map((r) => [r.host, r.data.sha256]));
  await ctx.forEach(nodes, async (node) => {
    const id = ganetiSnapshotId(ctx, node);
    // Only the very tar taken in phase 5 is restored; otherwise the local copy is uploaded.
    const onNode = await ctx.run(node, ganetiSnapshotSha256(id));
    if (onNode !== undefined && onNode === expected.get(node)) {
      await ctx.run(node, ganeti.restoreSnapshot(id));
    } else {
      const local = ctx.files.read(`${node}.ganeti.tar`);
      if (sha256(local) !== expected.get(node)) throw new Error(`cannot roll back ${node}: neither its snapshot tar nor the local copy matches the recorded checksum`);
      ctx.progress(`restoring ${node} from the local copy (the tar on the node is ${onNode === undefined ? 'missing' : 'different'})`);
      await ctx.run(node, ganeti.restoreSnapshot(id, { localCopy: local }));
    }
    await ctx.run(node, restoreSshSnapshot(sshSnapshotId(ctx, node)));
    // sshd must serve the restored host keys, not the target's it was given by the re-add (on 3.1)
    await ctx.run(node, ganeti.daemonUtil('reload-ssh-keys'));
    ctx.progress(`restored ${node}`, ++restored, nodes.length);
  });
  // Per cluster all nodes at once: a master with voting waits for its peers.
  const clusters = [facts.target, ...facts.mergees];
  await Promise.all(clusters.flatMap((c) => c.nodes.filter((n) => !n.offline).map((n) => ctx.run(n.name, ganeti.daemonUtil('start-all')))));
  await waitForMaster(ctx, master);
  await retrying(ctx, `redist-conf on ${master}`, () => ctx.run(master, ganeti.redistConf()));
  await ctx.forEach(facts.mergees, (c) => waitForMaster(ctx, c.master));
}
