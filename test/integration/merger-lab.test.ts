/**
 * THE PROOF: the phase engine merges the lab's two mergee clusters into the target over the
 * project's own ssh transport (host keys checked), the merged cluster verifies clean and its whole
 * inventory (gnt-* view: nodes, groups, networks, instances, tags) is the union the plan announced;
 * then a rollback from after the last phase restores all three clusters to their preflight state
 * (whole inventory, config.data, node keys and daemons: helpers/lab-state; verify clean).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../../src/core/session/create';
import type { MergeEngine } from '../../src/core/merger/engine';
import type { MergerEvent } from '../../src/core/merger/types';
import { ganeti } from '../../src/core/remote';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { SshCommandRunner } from '../../src/core/remote/runner';
import { SshPool } from '../../src/core/remote/transport';
import { LAB_MERGE_POLICIES, LabInfo, labReset, labUp, requireLab } from '../lab/lab';
import { assertMergedInventory, assertSameState, captureLabState, journalPlan, type LabState } from './helpers/lab-state';

describe('merger: full merge of the lab and full rollback', function () {
  let lab: LabInfo;
  let pool: SshPool;
  let runner: SshCommandRunner;
  let dir: string;
  let engine: MergeEngine;
  const prompter = new ScriptedPrompter({ hostKey: false, confirm: true });
  const events: MergerEvent[] = [];
  let baseline: LabState;
  const clusterNames = () => lab.clusters.map((c) => c.name);

  const masterOf = (cluster: string) => lab.clusters.find((c) => c.name === cluster)!.master;

  async function verifyClean(master: string): Promise<void> {
    const v = await runner.run(master, ganeti.clusterVerify({ ignoreErrors: lab.verifyIgnoreErrors }));
    assert.deepEqual(v.errors.map((e) => `${e.code} ${e.objectName}: ${e.message}`), [], `verify on ${master}`);
    assert.ok(v.ok, `verify on ${master} exit code`);
  }

  before(async function () {
    requireLab(this);
    this.timeout(20 * 60_000);
    lab = await labUp();
    await labReset();
    pool = new SshPool({ prompter, sshConfigPath: lab.sshConfig, knownHostsPath: lab.knownHosts, agentSocket: null });
    runner = new SshCommandRunner(pool);
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-merger-lab-'));
    baseline = await captureLabState(lab, clusterNames());
  });

  after(async () => {
    if (pool) await pool.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('merges clusterb and clusterc into clustera (restart=up): verify clean, the inventory the announced union', async function () {
    this.timeout(20 * 60_000);
    const t0 = Date.now();
    engine = startMerge(path.join(dir, 'merge.json'), {
      // Masters' names rather than cluster names: the clusters' master IPs move during the merge.
      target: masterOf(lab.targetCluster), mergees: lab.mergeeClusters.map(masterOf), ...LAB_MERGE_POLICIES, restart: 'up',
      ignoredVerifyCodes: lab.verifyIgnoreErrors, concurrency: 4,
    }, { runner, prompter, transcript: pool.transcript });
    engine.onEvent((e) => {
      events.push(e);
      // Phase timings and failures in the test log: the numbers the report quotes.
      if (e.type === 'phase' && ['done', 'failed', 'undone'].includes(e.phase.state)) {
        const took = e.phase.finishedAt && e.phase.startedAt ? ((e.phase.finishedAt - e.phase.startedAt) / 1000).toFixed(1) : '?';
        console.log(`        ${e.phase.id} ${e.phase.state} ${took} s${e.phase.error ? `: ${e.phase.error}` : ''}`);
      }
    });
    const outcome = await engine.runAll();
    console.log(`      merge: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    assert.deepEqual(outcome, { outcome: 'merged', phase: undefined, error: undefined });
    assert.ok(engine.statuses().every((s) => s.state === 'done'));
    // The operator was asked twice: before writing the config and before the point of no return.
    assert.deepEqual(prompter.confirmations.map((q) => q.id), ['write-config', 'point-of-no-return']);

    const target = lab.clusters.find((c) => c.name === lab.targetCluster)!;
    const merged = (await captureLabState(lab, [target.name])).clusters[target.name];
    assertMergedInventory(baseline, merged.inventory, target.name, lab.mergeeClusters, journalPlan(engine.journal.file));
    await verifyClean(target.master);
    assert.ok(events.some((e) => e.type === 'command'), 'command events are forwarded');
  });

  it('keeps no secrets in the journal', () => {
    const text = readFileSync(engine.journal.file, 'utf8');
    assert.doesNotMatch(text, /PRIVATE KEY|"hmac|config\.data"\s*:\s*"\{/);
    assert.doesNotMatch(text, /"cluster_name"|"rsahostkeypub"|"instances"\s*:\s*\{/);
  });

  it('rolls back after the last phase: all three clusters as before, verify clean', async function () {
    this.timeout(20 * 60_000);
    const t0 = Date.now();
    const outcome = await engine.rollback();
    console.log(`      rollback: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    assert.equal(outcome.outcome, 'rolled-back', outcome.error);
    assert.ok(engine.statuses().every((s) => s.state === 'undone'));
    assertSameState(baseline, await captureLabState(lab, clusterNames()), 'after the full rollback');
    for (const c of lab.clusters) await verifyClean(c.master);
  });
});
