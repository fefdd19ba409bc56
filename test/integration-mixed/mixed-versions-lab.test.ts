/**
 * A real mixed pair: this lab (GCM_LAB_GANETI) and a second lab of the other Ganeti version (3.0 <->
 * 3.1) up side by side (test/lab/lab.ts otherLabEnv). The merger must refuse a mergee of one version
 * into a target of the other at preflight, naming both clusters and both versions, and record
 * nothing. Outside test/integration (its glob): npm test runs it once, in the 3.1 stage
 * (scripts/test-all.sh), since bringing up the second lab costs a build.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../../src/core/session/create';
import { PHASES } from '../../src/core/merger/types';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { SshCommandRunner } from '../../src/core/remote/runner';
import { SshPool } from '../../src/core/remote/transport';
import { LAB_MERGE_POLICIES, LabCluster, LabInfo, labUp, otherLabEnv, requireLab, runLab } from '../lab/lab';

/** One cluster of one lab: enough to reach its name, master and nodes over ssh. */
interface Side {
  lab: LabInfo;
  cluster: LabCluster;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** "3.0.2-3" -> "3.0.2", "3.1.0~rc2-3" -> "3.1.0": what `gnt-cluster --version` reports as X.Y.Z */
const release = (lab: LabInfo) => lab.ganetiVersion.replace(/[-~].*$/, '');

describe('a mixed pair: Ganeti 3.0 and 3.1 clusters from two labs side by side', function () {
  let lab: LabInfo;
  let other: LabInfo;
  let dir: string;
  const prompter = new ScriptedPrompter({ hostKey: false, confirm: true });

  before(async function () {
    requireLab(this);
    this.timeout(30 * 60_000);
    lab = await labUp();
    const t0 = Date.now();
    await runLab(['up'], 25 * 60_000, otherLabEnv());
    other = JSON.parse(readFileSync(path.join(otherLabEnv().GCM_LAB_STATE!, 'lab.json'), 'utf8')) as LabInfo;
    console.log(`      second lab (Ganeti ${other.ganetiVersion}) up in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    assert.notEqual(other.ganetiLab, lab.ganetiLab);
    assert.notEqual(release(other), release(lab));
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-mixed-'));
  });

  after(async function () {
    this.timeout(5 * 60_000);
    await runLab(['down'], 5 * 60_000, otherLabEnv()).catch((e: Error) => console.warn(`      second lab down: ${e.message}`));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * An ssh config and known_hosts reaching the target's and the mergee's names, each through its own
   * lab's address, key and host keys (both labs use the same domain and node names).
   */
  function sshFiles(sides: Side[], tag: string): { sshConfig: string; knownHosts: string } {
    const config: string[] = [];
    const known: string[] = [];
    for (const { lab: l, cluster } of sides) {
      const hosts = [
        { names: [cluster.name, cluster.shortName], ip: cluster.ip },
        ...l.nodes.filter((n) => n.cluster === cluster.name).map((n) => ({ names: [n.name, n.shortName], ip: n.ip })),
      ];
      for (const h of hosts) config.push(`Host ${h.names.join(' ')}`, `  HostName ${h.ip}`, `  IdentityFile ${l.identityFile}`);
      const names = new Set(hosts.flatMap((h) => h.names));
      known.push(...readFileSync(l.knownHosts, 'utf8').split('\n').filter((line) => names.has(line.split(/[ ,]/)[0])));
    }
    config.push('Host *', '  User root', '  IdentitiesOnly yes', '  StrictHostKeyChecking yes', '  BatchMode yes', '  ConnectTimeout 10');
    const sshConfig = path.join(dir, `ssh_config-${tag}`);
    const knownHosts = path.join(dir, `known_hosts-${tag}`);
    writeFileSync(sshConfig, `${config.join('\n')}\n`);
    writeFileSync(knownHosts, `${known.join('\n')}\n`);
    return { sshConfig, knownHosts };
  }

  async function assertMixedRefused(target: Side, mergee: Side, tag: string): Promise<void> {
    assert.notEqual(target.cluster.name, mergee.cluster.name);
    const files = sshFiles([target, mergee], tag);
    const pool = new SshPool({ prompter, sshConfigPath: files.sshConfig, knownHostsPath: files.knownHosts, agentSocket: null });
    try {
      const engine = startMerge(path.join(dir, `merge-${tag}.json`), {
        target: target.cluster.master, mergees: [mergee.cluster.master], ...LAB_MERGE_POLICIES,
        ignoredVerifyCodes: target.lab.verifyIgnoreErrors, concurrency: 4,
      }, { runner: new SshCommandRunner(pool), prompter, transcript: pool.transcript });
      const outcome = await engine.runAll();
      assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.phase, 'preflight');
      const expected = `${mergee.cluster.name} runs Ganeti ${release(mergee.lab)}, the target ${target.cluster.name} ${release(target.lab)}`;
      assert.match(outcome.error ?? '', new RegExp(escape(expected)));
      console.log(`      ${outcome.error}`);
      for (const p of PHASES) assert.deepEqual(engine.journal.records(p.id), [], `no undo records in ${p.id}`);
      assert.equal(engine.journal.doc.facts, undefined, 'no facts kept from a refused preflight');
    } finally {
      await pool.close();
    }
  }

  const targetOf = (l: LabInfo): Side => ({ lab: l, cluster: l.clusters.find((c) => c.name === l.targetCluster)! });
  // the last mergee (clusterc): its names never clash with the other lab's target (clustera)
  const mergeeOf = (l: LabInfo): Side => ({ lab: l, cluster: l.clusters.find((c) => c.name === l.mergeeClusters[l.mergeeClusters.length - 1])! });
  const byVersion = (v: '3.0' | '3.1') => (lab.ganetiLab === v ? lab : other);

  it('refuses a 3.1 mergee into a 3.0 target, naming both versions', async function () {
    this.timeout(5 * 60_000);
    await assertMixedRefused(targetOf(byVersion('3.0')), mergeeOf(byVersion('3.1')), '31-into-30');
  });

  it('refuses a 3.0 mergee into a 3.1 target, naming both versions', async function () {
    this.timeout(5 * 60_000);
    await assertMixedRefused(targetOf(byVersion('3.1')), mergeeOf(byVersion('3.0')), '30-into-31');
  });
});
