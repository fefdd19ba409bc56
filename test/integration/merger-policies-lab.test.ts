/**
 * The merge options on the real lab: each restart policy and stopInstances=false change which
 * instances run after the merge exactly as issue #4 says, and bad inputs (unreachable mergee,
 * version mismatch, self merge, same cluster twice, conflicting instance names, running instances
 * with stopping off) are refused by preflight with a clear error before anything changes.
 * The merge itself runs `gnt-cluster verify` (phase verify-merged), so no extra verify here.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../../src/core/session/create';
import { forgetMerge } from '../../src/core/merger/forget';
import type { MergeEngine, MergeOutcome } from '../../src/core/merger/engine';
import { PHASES, type MergePlanOptions } from '../../src/core/merger/types';
import { ganeti } from '../../src/core/remote';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { SshCommandRunner } from '../../src/core/remote/runner';
import type { TranscriptEvent } from '../../src/core/remote/transcript';
import { SshPool } from '../../src/core/remote/transport';
import { clearFaults, injectFault, LAB_MERGE_POLICIES, LabInfo, labReset, labUp, nodeExec, requireLab } from '../lab/lab';

interface ClusterState {
  nodes: string[];
  /** "name status", sorted */
  instances: string[];
}

/** What a refused merge must leave untouched: every cluster's lists and every node's authorized_keys. */
interface LabView {
  clusters: Record<string, ClusterState>;
  authorizedKeys: Record<string, string>;
}

const MERGE_TIMEOUT = 20 * 60_000;

describe('merger on the lab: restart policies, stopInstances, bad inputs', function () {
  let lab: LabInfo;
  let pool: SshPool;
  let runner: SshCommandRunner;
  let dir: string;
  let journals = 0;
  const prompter = new ScriptedPrompter({ hostKey: false, confirm: true });

  const masterOf = (cluster: string) => lab.clusters.find((c) => c.name === cluster)!.master;
  const target = () => masterOf(lab.targetCluster);
  const mergees = () => lab.mergeeClusters.map(masterOf);

  async function clusterState(master: string): Promise<ClusterState> {
    const nodes = (await runner.run(master, ganeti.nodeList())).map((n) => n.name).sort();
    const instances = (await runner.run(master, ganeti.instanceList())).map((i) => `${i.name} ${i.status}`).sort();
    return { nodes, instances };
  }

  async function view(): Promise<LabView> {
    const clusters: Record<string, ClusterState> = {};
    for (const c of lab.clusters) clusters[c.name] = await clusterState(c.master);
    const authorizedKeys: Record<string, string> = {};
    for (const n of lab.nodes) {
      authorizedKeys[n.name] = (await nodeExec(n.name, 'sha256sum < /root/.ssh/authorized_keys 2>/dev/null || echo none')).stdout.trim();
    }
    return { clusters, authorizedKeys };
  }

  /** Names of the instances that run, over all clusters. */
  const runningIn = (v: LabView) => Object.values(v.clusters).flatMap((c) => c.instances.filter((i) => i.endsWith(' running')).map((i) => i.split(' ')[0])).sort();
  const allInstances = (v: LabView) => Object.values(v.clusters).flatMap((c) => c.instances.map((i) => i.split(' ')[0])).sort();

  function newMerge(plan: Partial<MergePlanOptions>, session: { pool: SshPool; runner: SshCommandRunner } = { pool, runner }): MergeEngine {
    return startMerge(path.join(dir, `merge-${++journals}.json`), {
      target: target(), mergees: mergees(), ...LAB_MERGE_POLICIES, ignoredVerifyCodes: lab.verifyIgnoreErrors, concurrency: 4, ...plan,
    }, { runner: session.runner, prompter, transcript: session.pool.transcript });
  }

  /** Runs a merge that preflight must refuse; checks the error and that nothing was recorded or changed. */
  async function assertRefused(engine: MergeEngine, expected: RegExp, before: LabView): Promise<void> {
    const outcome = await engine.runAll();
    assert.equal(outcome.outcome, 'failed', `expected a refusal, got ${JSON.stringify(outcome)}`);
    assert.equal(outcome.phase, 'preflight');
    assert.match(outcome.error ?? '', expected);
    for (const p of PHASES) {
      assert.equal(engine.status(p.id).state, p.id === 'preflight' ? 'failed' : 'pending', p.id);
      assert.deepEqual(engine.journal.records(p.id), [], `no undo records in ${p.id}`);
    }
    assert.equal(engine.journal.doc.facts, undefined, 'no facts kept from a refused preflight');
    assert.deepEqual(await view(), before, 'the lab is unchanged');
  }

  async function runMerge(engine: MergeEngine, commands: TranscriptEvent[]): Promise<MergeOutcome> {
    const sub = pool.transcript.onEvent((e) => commands.push(e));
    const t0 = Date.now();
    try {
      const outcome = await engine.runAll();
      console.log(`      merge (restart=${engine.journal.doc.options.restart}, stopInstances=${engine.journal.doc.options.stopInstances}): ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      return outcome;
    } finally {
      sub.dispose();
    }
  }

  const ranInstanceCommand = (commands: TranscriptEvent[], action: 'shutdown' | 'startup') =>
    commands.filter((c) => c.argv[0] === 'gnt-instance' && c.argv[1] === action);

  before(async function () {
    requireLab(this);
    this.timeout(10 * 60_000);
    lab = await labUp();
    await labReset();
    pool = new SshPool({ prompter, sshConfigPath: lab.sshConfig, knownHostsPath: lab.knownHosts, agentSocket: null });
    runner = new SshCommandRunner(pool);
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-policies-lab-'));
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (pool) await pool.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    // Leave the lab as the next suite expects it: pre-merge, no faults.
    if (lab) await labReset();
  });

  describe('bad inputs: refused by preflight, nothing changed', function () {
    this.timeout(5 * 60_000);
    let pristine: LabView;
    before(async () => {
      pristine = await view();
    });

    it('an unreachable mergee (its link down): a connect error naming it', async () => {
      const unreachable = mergees()[mergees().length - 1];
      const shortPool = new SshPool({ prompter, sshConfigPath: lab.sshConfig, knownHostsPath: lab.knownHosts, agentSocket: null, connectTimeoutMs: 4000 });
      try {
        await injectFault(unreachable, { kind: 'link-down' });
        const engine = newMerge({}, { pool: shortPool, runner: new SshCommandRunner(shortPool) });
        const outcome = await engine.runAll();
        assert.equal(outcome.phase, 'preflight');
        assert.match(outcome.error ?? '', new RegExp(`^preflight: ${unreachable.replace(/\./g, '\\.')}( \\(.*\\))?: (connection timed out|cannot connect)`));
        assert.deepEqual(engine.journal.records('preflight'), []);
      } finally {
        await shortPool.close();
        await clearFaults(unreachable);
      }
      assert.deepEqual(await view(), pristine);
    });

    it('a Ganeti version mismatch: names both clusters and versions', async () => {
      const mergee = mergees()[mergees().length - 1];
      const cluster = lab.mergeeClusters[lab.mergeeClusters.length - 1];
      // The lab cannot run two Ganeti versions: the mergee's gnt-cluster reports 3.1.0 for --version
      // (a wrapper bind-mounted in the node's mount namespace only), every other call is the real one.
      const real = '/usr/share/ganeti/3.0/gnt-cluster';
      const fake = `set -e; d=/run/gcm-fake-version; mkdir -p $d; cp ${real} $d/real
printf '%s\\n' '#!/bin/sh' 'if [ "$1" = --version ]; then echo "gnt-cluster (ganeti 3.1.0-1) 3.1.0"; exit 0; fi' 'PYTHONPATH=/usr/share/ganeti/3.0 exec /usr/bin/python3 /run/gcm-fake-version/real "$@"' > $d/gnt-cluster
chmod 755 $d/gnt-cluster; mount --bind $d/gnt-cluster ${real}`;
      const faked = await nodeExec(mergee, fake);
      assert.equal(faked.code, 0, faked.stderr);
      try {
        assert.match((await nodeExec(mergee, 'gnt-cluster --version')).stdout, /3\.1\.0/);
        const engine = newMerge({});
        await assertRefused(engine, new RegExp(`${cluster.replace(/\./g, '\\.')} runs Ganeti 3\\.1\\.0, the target ${lab.targetCluster.replace(/\./g, '\\.')} 3\\.0\\.\\d`), pristine);
      } finally {
        await nodeExec(mergee, `umount ${real}; rm -rf /run/gcm-fake-version`);
      }
    });

    it('the target merged into itself (by its cluster name)', async () => {
      await assertRefused(newMerge({ mergees: [lab.targetCluster] }), new RegExp(`${lab.targetCluster.replace(/\./g, '\\.')} is the target cluster itself`), pristine);
    });

    it('the same mergee twice (by master and by cluster name)', async () => {
      const cluster = lab.mergeeClusters[0];
      await assertRefused(newMerge({ mergees: [masterOf(cluster), cluster] }), new RegExp(`${cluster.replace(/\./g, '\\.')} is named twice`), pristine);
    });

    it('running mergee instances with stopInstances=false', async () => {
      const running = lab.clusters.filter((c) => lab.mergeeClusters.includes(c.name)).flatMap((c) => c.instances.filter((i) => i.adminUp).map((i) => i.name));
      const engine = newMerge({ stopInstances: 'none' });
      await assertRefused(engine, /has running instance\(s\) .* and stopping instances is off: stop them first/, pristine);
      for (const name of running) assert.ok(engine.status('preflight').error?.includes(name), `${name} is named`);
    });

    it('conflicting instance names: an instance of the target\'s name on a mergee', async () => {
      const mergee = mergees()[mergees().length - 1];
      const taken = lab.clusters.find((c) => c.name === lab.targetCluster)!.instances[0].name;
      const add = await nodeExec(mergee, `gnt-instance add -t diskless -o noop --no-name-check --no-ip-check --no-start -B memory=128M -n ${mergee} ${taken}`, 180_000);
      assert.equal(add.code, 0, add.stderr);
      try {
        const before = await view();
        await assertRefused(newMerge({}), new RegExp(`E_INSTANCE_NAME_COLLISION: .*${taken.replace(/\./g, '\\.')}`), before);
      } finally {
        const removed = await nodeExec(mergee, `gnt-instance remove --force ${taken}`, 180_000);
        assert.equal(removed.code, 0, removed.stderr);
      }
      assert.deepEqual(await view(), pristine);
    });
  });

  describe('restart policies and stopInstances (a merge each, from a reset lab)', () => {
    it('restart=up (stopInstances=all, so there is something to start): exactly the instances that ran before the merge run after it', async function () {
      this.timeout(MERGE_TIMEOUT);
      await labReset();
      // One mergee instance down before the merge: restart=all would start it, restart=up must not.
      const mergee = lab.clusters.find((c) => c.name === lab.mergeeClusters[0])!;
      const down = mergee.instances[0].name;
      await runner.run(mergee.master, ganeti.instanceShutdown({ names: [down] }));
      const before = await view();
      assert.ok(!runningIn(before).includes(down) && runningIn(before).length > 0);

      const commands: TranscriptEvent[] = [];
      const engine = newMerge({ restart: 'up', stopInstances: 'all' });
      const outcome = await runMerge(engine, commands);
      assert.deepEqual(outcome, { outcome: 'merged', phase: undefined, error: undefined });
      const after = await clusterState(target());
      assert.deepEqual(after.instances.map((i) => i.split(' ')[0]), allInstances(before), 'nothing lost');
      assert.deepEqual(after.instances.filter((i) => i.endsWith(' running')).map((i) => i.split(' ')[0]), runningIn(before));
      assert.match(after.instances.find((i) => i.startsWith(`${down} `)) ?? '', / ADMIN_down$/);
      // Started by name, never with --all.
      const starts = ranInstanceCommand(commands, 'startup');
      assert.equal(starts.length, 1);
      assert.ok(!starts[0].argv.includes('--all') && !starts[0].argv.includes(down));
    });

    it('restart=none with stopInstances=false (all stopped beforehand): nothing stopped or started by the merge; then forget', async function () {
      this.timeout(MERGE_TIMEOUT);
      await labReset();
      for (const c of lab.mergeeClusters) await runner.run(masterOf(c), ganeti.instanceShutdown({ all: true }));
      const before = await view();
      const mergeeInstances = lab.clusters.filter((c) => lab.mergeeClusters.includes(c.name)).flatMap((c) => c.instances.map((i) => i.name));
      for (const name of mergeeInstances) assert.ok(!runningIn(before).includes(name), `${name} stopped beforehand`);

      const commands: TranscriptEvent[] = [];
      const engine = newMerge({ restart: 'none', stopInstances: 'none' });
      const outcome = await runMerge(engine, commands);
      assert.deepEqual(outcome, { outcome: 'merged', phase: undefined, error: undefined });
      const after = await clusterState(target());
      assert.deepEqual(after.instances.map((i) => i.split(' ')[0]), allInstances(before), 'nothing lost');
      // The target's instances ran throughout; the mergees' stay down.
      assert.deepEqual(after.instances.filter((i) => i.endsWith(' running')).map((i) => i.split(' ')[0]), runningIn(before));
      assert.deepEqual(ranInstanceCommand(commands, 'shutdown'), [], 'stopInstances=false stops nothing');
      assert.deepEqual(ranInstanceCommand(commands, 'startup'), [], 'restart=none starts nothing');

      // forget: snapshots and the identity files moved aside go; the master key stays on the re-added nodes.
      const id = engine.journal.id;
      const leftovers = `ls /var/lib/ganeti-merge/snapshots 2>/dev/null | grep -c -- '${id}' || true; ls /var/lib/ganeti/*.premerge 2>/dev/null | wc -l`;
      const counts = async (node: string) => (await nodeExec(node, leftovers)).stdout.trim().split('\n').map(Number);
      const mergeeNodes = lab.nodes.filter((n) => lab.mergeeClusters.includes(n.cluster)).map((n) => n.name);
      assert.ok((await counts(mergeeNodes[0]))[0] > 0 && (await counts(mergeeNodes[0]))[1] > 0, 'the merge left snapshots and aside files');
      const result = await forgetMerge(engine.journal, { runner, force: true });
      for (const n of lab.nodes) assert.deepEqual(await counts(n.name), [0, 0], n.name);
      assert.deepEqual(result.keptKeys.map((k) => k.host).sort(), [...mergeeNodes].sort());
      assert.ok(!existsSync(engine.journal.file) && !existsSync(engine.files.dir));
      for (const n of mergeeNodes) {
        const key = await nodeExec(n, `grep -c -- ' root@${target()}$' /root/.ssh/authorized_keys`);
        assert.ok(Number(key.stdout.trim()) >= 1, `${n} keeps the target master's key`);
      }
    });
  });
});
