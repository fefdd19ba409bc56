/**
 * Phase 5: fetch every mergee's config.data, back up the target's, and snapshot /var/lib/ganeti and
 * the ssh identity of EVERY node (a tar kept on the node plus a local copy of the Ganeti one), so a
 * full rollback can put every node back as it was. Nothing to undo: snapshots outlive the merge
 * until the operator forgets it.
 */
import { once } from 'node:events';
import { ganeti } from '../remote';
import { allNodes } from '../merger/facts';
import type { Phase } from '../merger/phase';
import { CONFIG_DATA, configFileName, ganetiSnapshotId, sha256, sshSnapshotId, TARGET_BACKUP } from './common';
import { createSshSnapshot } from '../remote/commands/node-files';

export const snapshot: Phase = {
  id: 'snapshot',
  async run(ctx) {
    const facts = ctx.facts();
    for (const cluster of facts.mergees) {
      const config = await ctx.run(cluster.master, ganeti.readFile(CONFIG_DATA));
      ctx.files.write(configFileName(cluster.name), config);
      const record = ctx.intend('config-fetched', cluster.master, { cluster: cluster.name, file: configFileName(cluster.name) });
      ctx.confirm(record, { sha256: sha256(config) });
    }
    const backup = await ctx.run(facts.target.master, ganeti.readFile(CONFIG_DATA));
    ctx.files.write(TARGET_BACKUP, backup);
    ctx.confirm(ctx.intend('target-backup', facts.target.master, { file: TARGET_BACKUP }), { sha256: sha256(backup) });

    const nodes = allNodes(facts);
    let done = 0;
    await ctx.forEach(nodes, async (node) => {
      const record = ctx.intend('snapshot', node, { ganeti: ganetiSnapshotId(ctx, node), ssh: sshSnapshotId(ctx, node), local: `${node}.ganeti.tar` });
      const info = await ctx.run(node, ganeti.createSnapshot(ganetiSnapshotId(ctx, node)));
      await ctx.run(node, createSshSnapshot(sshSnapshotId(ctx, node)));
      const sink = ctx.files.createWriteStream(`${node}.ganeti.tar`);
      await ctx.run(node, ganeti.fetchSnapshot(ganetiSnapshotId(ctx, node), sink));
      sink.end();
      await once(sink, 'close');
      ctx.confirm(record, { bytes: info.bytes, sha256: info.sha256 });
      ctx.progress(`snapshot of ${node} (${info.bytes} bytes)`, ++done, nodes.length);
    });
  },
};
