/**
 * The stop policy `needed` on the real lab: instances the merge does not change keep running
 * through the merge and through its full rollback, never restarted; a planted change (a target
 * default one instance inherits) stops exactly that instance, with its reason in the plan.
 * "Never restarted" is read from the node itself, not from the tool: each running instance's
 * hypervisor runtime file (fake: /run/ganeti/fake-hypervisor/NAME, written at every start) keeps
 * its inode and mtime; with KVM guests the lab's boot id does the same job.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../../src/core/session/create';
import type { MergeEngine } from '../../src/core/merger/engine';
import type { MergePlanOptions } from '../../src/core/merger/types';
import { ganeti } from '../../src/core/remote';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { SshCommandRunner } from '../../src/core/remote/runner';
import type { TranscriptEvent } from '../../src/core/remote/transcript';
import { SshPool } from '../../src/core/remote/transport';
import { LAB_MERGE_POLICIES, LabInfo, labReset, labUp, nodeExec, requireLab } from '../lab/lab';

const MERGE_TIMEOUT = 20 * 60_000;

describe('merger on the lab: --stop-instances needed keeps unchanged instances running', function () {
  let lab: LabInfo;
  let pool: SshPool;
  let runner: SshCommandRunner;
  let dir: string;
  let journals = 0;
  const prompter = new ScriptedPrompter({ hostKey: false, confirm: true });

  const masterOf = (cluster: string) => lab.clusters.find((c) => c.name === cluster)!.master;
  const target = () => masterOf(lab.targetCluster);
  // the running ones: the lab's stopped instance (adminUp false) has nothing to keep running
  const mergeeInstances = () => lab.clusters.filter((c) => lab.mergeeClusters.includes(c.name)).flatMap((c) => c.instances.filter((i) => i.adminUp));

  /** "name status" of every instance of every cluster whose master answers, sorted. */
  async function inventory(masters: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const m of masters) out.push(...(await runner.run(m, ganeti.instanceList())).map((i) => `${i.name} ${i.status}`));
    return out.sort();
  }

  /** Per running mergee instance: the identity of its hypervisor runtime file (changes on every start). */
  async function bootIds(): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    for (const inst of mergeeInstances()) {
      const short = lab.nodes.find((n) => n.name === inst.node)!.shortName;
      const r = await nodeExec(short, `stat -c '%i %Y' /run/ganeti/fake-hypervisor/${inst.name} 2>/dev/null || echo down`);
      ids[inst.name] = r.stdout.trim();
    }
    return ids;
  }

  function newMerge(plan: Partial<MergePlanOptions>): MergeEngine {
    return startMerge(path.join(dir, `merge-${++journals}.json`), {
      target: target(), mergees: lab.mergeeClusters.map(masterOf), ...LAB_MERGE_POLICIES, ignoredVerifyCodes: lab.verifyIgnoreErrors, concurrency: 4,
      stopInstances: 'needed', restart: 'up', ...plan,
    }, { runner, prompter, transcript: pool.transcript });
  }

  async function run(action: () => Promise<{ outcome: string; error?: string }>, commands: TranscriptEvent[], expected: string): Promise<void> {
    const sub = pool.transcript.onEvent((e) => commands.push(e));
    const t0 = Date.now();
    try {
      const outcome = await action();
      assert.equal(outcome.outcome, expected, outcome.error);
      console.log(`      ${expected} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } finally {
      sub.dispose();
    }
  }

  const shutdowns = (commands: TranscriptEvent[]) => commands
    .filter((c) => c.argv[0] === 'gnt-instance' && c.argv[1] === 'shutdown')
    .flatMap((c) => c.argv.slice(c.argv.indexOf('--') + 1));

  before(async function () {
    requireLab(this);
    this.timeout(10 * 60_000);
    lab = await labUp();
    pool = new SshPool({ prompter, sshConfigPath: lab.sshConfig, knownHostsPath: lab.knownHosts, agentSocket: null });
    runner = new SshCommandRunner(pool);
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-stop-needed-'));
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (pool) await pool.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (lab) await labReset();
  });

  it('nothing changes under any guest: no instance is stopped, by the merge or by its full rollback', async function () {
    this.timeout(MERGE_TIMEOUT);
    await labReset();
    const masters = lab.clusters.map((c) => c.master);
    const before = await inventory(masters);
    const ids = await bootIds();
    assert.ok(Object.values(ids).every((id) => id !== 'down'), `every mergee instance runs before: ${JSON.stringify(ids)}`);

    const commands: TranscriptEvent[] = [];
    const engine = newMerge({});
    await run(() => engine.runAll(), commands, 'merged');
    assert.match(engine.journal.doc.facts!.mergeSummary, new RegExp(`stop instances: needed; ${mergeeInstances().length} running instance\\(s\\) kept running, 0 stopped`));
    assert.deepEqual(shutdowns(commands), [], 'the merge stopped no instance');
    assert.deepEqual(await bootIds(), ids, 'no mergee instance was restarted by the merge');
    const merged = await inventory([target()]);
    assert.deepEqual(merged, before, 'every instance runs (or stays stopped) on the merged cluster as before, Ganeti agreeing');

    await run(() => engine.rollback(), commands, 'rolled-back');
    assert.deepEqual(shutdowns(commands), [], 'the rollback stopped no instance either');
    assert.deepEqual(await bootIds(), ids, 'no mergee instance was restarted by the rollback');
    assert.deepEqual(await inventory(masters), before, 'every cluster is back as before, its instances running');
  });

  it('a target default one instance inherits: only that instance stops, with its reason, and restarts', async function () {
    this.timeout(MERGE_TIMEOUT);
    await labReset();
    const [changed, ...others] = mergeeInstances().map((i) => i.name);
    // Every other mergee instance pins vcpus=1; the target's default becomes 2: only `changed` inherits it.
    for (const c of lab.clusters.filter((x) => lab.mergeeClusters.includes(x.name))) {
      for (const i of c.instances.filter((x) => x.name !== changed)) await nodeExec(lab.nodes.find((n) => n.name === c.master)!.shortName, `gnt-instance modify -B vcpus=1 ${i.name} >/dev/null`);
    }
    await nodeExec(lab.nodes.find((n) => n.name === target())!.shortName, 'gnt-cluster modify -B vcpus=2 >/dev/null');
    const masters = lab.clusters.map((c) => c.master);
    const before = await inventory(masters);
    const ids = await bootIds();

    const commands: TranscriptEvent[] = [];
    const engine = newMerge({ params: 'warn' });
    await run(() => engine.runAll(), commands, 'merged');
    const summary = engine.journal.doc.facts!.mergeSummary;
    assert.ok(summary.includes(`  stopped: ${changed} (beparams.vcpus: 1 -> 2)`), summary);
    assert.deepEqual(shutdowns(commands), [changed], 'only the changed instance was stopped');
    const after = await bootIds();
    assert.notEqual(after[changed], ids[changed], `${changed} was restarted`);
    assert.notEqual(after[changed], 'down', `${changed} runs again (restart up)`);
    for (const o of others) assert.equal(after[o], ids[o], `${o} kept running`);

    commands.length = 0;
    await run(() => engine.rollback(), commands, 'rolled-back');
    assert.deepEqual(shutdowns(commands), [changed], 'the rollback stops only what the merge started with the merged config');
    const back = await bootIds();
    for (const o of others) assert.equal(back[o], ids[o], `${o} kept running through the rollback`);
    assert.deepEqual(await inventory(masters), before, 'every cluster is back as before');
  });
});
