/**
 * The config merge CLI on real config.data files of the lab's three Ganeti 3.0 clusters, with the
 * result checked by our own invariants AND by Ganeti's own Python config loader and verifier.
 * Read-only on the clusters: configs are read, the merged file is only loaded from /tmp on a node.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseConfigFile } from '../../src/core/config/parse';
import { verifyConfig } from '../../src/core/config/verify';
import { LAB_MERGE_FLAGS, LabInfo, labUp, nodeExec, requireLab } from '../lab/lab';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8' });
}

describe('ganeti-merge config on the real lab configs', function () {
  let lab: LabInfo;
  let dir: string;
  const files: Record<string, string> = {};

  before(async function () {
    requireLab(this);
    this.timeout(20 * 60_000);
    lab = await labUp();
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-lab-merge-'));
    for (const cluster of lab.clusters) {
      const r = await nodeExec(cluster.master, 'cat /var/lib/ganeti/config.data');
      assert.equal(r.code, 0, r.stderr);
      files[cluster.name] = path.join(dir, `${cluster.shortName}.json`);
      writeFileSync(files[cluster.name], r.stdout);
    }
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const target = () => files[lab.targetCluster];
  const mergees = () => lab.mergeeClusters.map((c) => files[c]);

  it('merges both mergees into the target; the result keeps every node and instance', function () {
    this.timeout(60_000);
    const out = path.join(dir, 'merged.json');
    const r = runCli(['config', '--target', target(), '--out', out, ...LAB_MERGE_FLAGS, '--allow-instances-up', ...mergees()]);
    assert.equal(r.status, 0, r.stderr);
    const merged = parseConfigFile(out);
    assert.deepEqual(verifyConfig(merged), []);
    const nodeNames = Object.values(merged.nodes).map((n) => n.name).sort();
    assert.deepEqual(nodeNames, lab.nodes.map((n) => n.name).sort());
    const instanceNames = Object.values(merged.instances).map((i) => i.name).sort();
    assert.deepEqual(instanceNames, lab.clusters.flatMap((c) => c.instances.map((i) => i.name)).sort());
    const targetNodes = new Set(lab.clusters.find((c) => c.name === lab.targetCluster)!.nodes);
    for (const node of Object.values(merged.nodes)) {
      assert.equal(node.offline, !targetNodes.has(node.name), `${node.name} offline flag`);
    }
    assert.equal(merged.cluster.cluster_name, lab.targetCluster);
  });

  it("is accepted by Ganeti's own config loader and VerifyConfig", async function () {
    this.timeout(120_000);
    const merged = readFileSync(path.join(dir, 'merged.json'), 'utf8');
    const master = lab.clusters.find((c) => c.name === lab.targetCluster)!.master;
    const remote = `/tmp/gcm-merged-${process.pid}.json`;
    // nodeExec takes a shell snippet only, so the file travels inside it.
    const b64 = Buffer.from(merged).toString('base64');
    const script = [
      `echo '${b64}' | base64 -d > ${remote}`,
      // the node's own Ganeti: the 3.1 lab's nodes run Debian 13's, whose modules live under 3.1
      `PYTHONPATH=/usr/share/ganeti/${lab.ganetiLab} /usr/bin/python3 -c '` +
        'import sys; from ganeti import config; ' +
        `c = config.ConfigWriter(cfg_file="${remote}", offline=True, accept_foreign=True); ` +
        'print("VERIFY", c.VerifyConfig()); print("NODES", len(c.GetAllNodesInfo())); print("INSTANCES", len(c.GetAllInstancesInfo()))' +
        "'",
      'rc=$?',
      `rm -f ${remote}`,
      'exit $rc',
    ].join('\n');
    const r = await nodeExec(master, script);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^VERIFY \[\]$/m);
    assert.match(r.stdout, new RegExp(`^NODES ${lab.nodes.length}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^INSTANCES ${lab.clusters.flatMap((c) => c.instances).length}$`, 'm'));
  });

  it('refuses running instances, same-named groups and a self-merge, writing nothing', function () {
    this.timeout(60_000);
    const out = path.join(dir, 'refused.json');
    const cases: [string[], RegExp][] = [
      [['--groups', 'merge', ...mergees()], /^E_INSTANCE_ACTIVE: /m],
      [['--allow-instances-up', ...mergees()], /^E_GROUP_NAME_CONFLICT: .*default/m],
      [['--groups', 'merge', '--allow-instances-up', target()], /^E_SELF_MERGE: /m],
    ];
    for (const [args, expected] of cases) {
      const r = runCli(['config', '--target', target(), '--out', out, ...args]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, expected);
      assert.equal(existsSync(out), false, 'no output file after a refusal');
    }
  });
});
