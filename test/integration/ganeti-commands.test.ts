/**
 * The typed Ganeti commands against the real Ganeti 3.0 lab (test/lab), over the project's own ssh
 * transport: proves the parsers understand what Ganeti really prints. Read-only on the clusters,
 * except a watcher pause that is undone and files written to a scratch directory.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { ganeti } from '../../src/core/remote';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { SshCommandRunner } from '../../src/core/remote/runner';
import { SshPool } from '../../src/core/remote/transport';
import { LabInfo, labUp, requireLab } from '../lab/lab';

describe('typed Ganeti commands against the lab', function () {
  let lab: LabInfo;
  let pool: SshPool;
  let runner: SshCommandRunner;
  const scratch = `/var/tmp/ganeti-merge-test-${process.pid}`;

  before(async function () {
    requireLab(this); // skips loudly where the lab cannot run (not root, no namespaces, no Ganeti)
    this.timeout(20 * 60_000);
    lab = await labUp(); // returns at once when the lab is already up
    pool = new SshPool({
      prompter: new ScriptedPrompter({ hostKey: false }), // every lab key is in its known_hosts
      sshConfigPath: lab.sshConfig,
      knownHostsPath: lab.knownHosts,
      agentSocket: null,
    });
    runner = new SshCommandRunner(pool);
  });

  after(async () => {
    if (!pool) return;
    for (const node of lab.nodes) await pool.exec(node.name, { argv: ['rm', '-rf', '--', scratch] }).catch(() => undefined);
    await pool.close();
  });

  it('version, master and ssconf agree on every node', async () => {
    // "3.0.2-3" -> "3.0.2"; "3.1.0~rc2-3" -> "3.1.0" (the parser keeps the pre-release tag apart)
    const expected = lab.ganetiVersion.replace(/[-~].*$/, '');
    await Promise.all(lab.nodes.map(async (node) => {
      const v = await runner.run(node.name, ganeti.clusterVersion());
      assert.equal(v.version, expected, node.name);
      assert.equal(v.major, 3);
      const cluster = lab.clusters.find((c) => c.name === node.cluster)!;
      assert.equal(await runner.run(node.name, ganeti.masterNode()), cluster.master);
      const name = (await runner.run(node.name, ganeti.readFile('/var/lib/ganeti/ssconf_cluster_name'))).toString().trim();
      assert.equal(name, cluster.name);
    }));
  });

  it('cluster info, node list, instance list and group list match the lab', async () => {
    for (const cluster of lab.clusters) {
      const info = await runner.run(cluster.master, ganeti.clusterInfo());
      assert.deepEqual([info.name, info.masterNode], [cluster.name, cluster.master]);

      const nodes = await runner.run(cluster.master, ganeti.nodeList());
      assert.deepEqual(nodes.map((n) => n.name).sort(), [...cluster.nodes].sort());
      assert.equal(nodes.find((n) => n.name === cluster.master)?.role, 'master');
      const built = new Map(lab.nodes.filter((n) => n.cluster === cluster.name).map((n) => [n.name, n.group]));
      assert.deepEqual(nodes.map((n) => [n.name, n.offline, n.group]).sort(), [...built].map(([name, group]) => [name, false, group]).sort());

      const instances = await runner.run(cluster.master, ganeti.instanceList());
      assert.deepEqual(instances.map((i) => `${i.name}@${i.primaryNode}`).sort(),
        cluster.instances.map((i) => `${i.name}@${i.node}`).sort());

      const groups = await runner.run(cluster.master, ganeti.groupList());
      const perGroup = new Map<string, number>();
      for (const group of built.values()) perGroup.set(group, (perGroup.get(group) ?? 0) + 1);
      assert.deepEqual(groups.map((g) => [g.name, g.nodeCount]).sort(), [...perGroup].sort());
    }
  });

  it('watcher pause and continue', async () => {
    const master = lab.clusters[lab.clusters.length - 1].master;
    const paused = await runner.run(master, ganeti.watcherPause(120));
    assert.equal(paused.paused, true);
    assert.ok(paused.until && paused.until.length > 10);
    assert.equal((await runner.run(master, ganeti.watcherInfo())).paused, true);
    assert.deepEqual(await runner.run(master, ganeti.watcherContinue()), { paused: false });
    assert.equal((await runner.run(master, ganeti.watcherInfo())).paused, false);
  });

  it('cluster verify is parsed, and ignored codes become warnings', async function () {
    this.timeout(5 * 60_000);
    const cluster = lab.clusters.reduce((a, b) => (a.nodes.length <= b.nodes.length ? a : b)); // the fastest to verify
    const result = await runner.run(cluster.master, ganeti.clusterVerify({ ignoreErrors: lab.verifyIgnoreErrors }));
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    assert.equal(result.ok, true);
    for (const code of lab.verifyIgnoreErrors) assert.ok(result.warnings.some((w) => w.code === code), `${code} reported as a warning`);
    if (lab.verifyIgnoreErrors.length > 0) {
      const strict = await runner.run(cluster.master, ganeti.clusterVerify());
      assert.equal(strict.ok, false);
      assert.ok(strict.errors.some((e) => e.code === lab.verifyIgnoreErrors[0] && e.objectType === 'node'));
    }
  });

  it('files, authorized_keys lines and snapshots on a real node', async () => {
    const node = lab.nodes[0].name;
    await pool.exec(node, { argv: ['mkdir', '-p', '--', scratch] });
    const file = `${scratch}/config.data`;
    const content = `{"scratch": true, "pid": ${process.pid}}\n`;
    await runner.run(node, ganeti.writeFileAtomic(file, content, { mode: '0640', owner: 'root:root' }));
    assert.equal((await runner.run(node, ganeti.readFile(file))).toString(), content);

    const keys = `${scratch}/authorized_keys`;
    const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGanetiMergeTestKeyOnly ganeti-merge-test';
    assert.deepEqual(await runner.run(node, ganeti.addAuthorizedKey(line, keys)), { added: true });
    assert.deepEqual(await runner.run(node, ganeti.addAuthorizedKey(line, keys)), { added: false });
    assert.deepEqual(await runner.run(node, ganeti.removeAuthorizedKey(line, keys)), { removed: true });

    const location = { ganetiDir: '/var/lib/ganeti', snapshotDir: `${scratch}/snapshots` };
    const snap = await runner.run(node, ganeti.createSnapshot('test-1', location));
    const local = mkdtempSync(path.join(tmpdir(), 'snap-'));
    try {
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      await runner.run(node, ganeti.fetchSnapshot('test-1', sink, location));
      const tar = Buffer.concat(chunks);
      assert.equal(tar.length, snap.bytes);
      writeFileSync(path.join(local, 'snap.tar'), tar);
      const listing = execFileSync('tar', ['-tf', path.join(local, 'snap.tar')]).toString();
      assert.match(listing, /^ganeti\/config\.data$/m);
      assert.match(listing, /^ganeti\/server\.pem$/m);
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });
});
