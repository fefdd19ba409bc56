/**
 * Issue 14 in the lab, with the real CLI: one merge at a time (a second `run` on a cluster of a
 * merge in progress, and a second driver of the same journal, are refused at once while the first
 * merge completes), and a rollback never destroys what it does not own (after a change on the
 * merged cluster it refuses with the list of changes; with --force it restores the preflight state
 * and that change is lost, as the README says).
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { Journal } from '../../src/core/merger/journal';
import { ganeti } from '../../src/core/remote';
import { nodeExec } from '../lab/lab';
import { useCliLabCases } from './helpers/cli-lab-cases';
import { cliTail as tail, runCli, watchCli } from './helpers/cli-process';
import { assertSameState, captureLabState, type LabState } from './helpers/lab-state';

describe('merge lock and rollback ownership (lab, CLI)', function () {
  const cases = useCliLabCases('gcm-merge-lock-');
  let before: LabState;
  let journal: string;
  const TAG = 'gcm-added-after-merge';

  const lockOn = async (node: string) => (await nodeExec(node, `cat ${ganeti.MERGE_LOCK_FILE} 2>/dev/null || echo free`)).stdout.trim();

  it('refuses a second run on a cluster of a merge in progress, and a second driver of its journal, while the first completes', async function () {
    this.timeout(15 * 60_000);
    const { topology, ssh } = cases;
    before = await cases.startCase();
    journal = path.join(cases.dir, 'first.json');
    const first = watchCli(cases.runArgs(journal), '[stop-instances] running');
    await Promise.race([first.seen, first.done.then((r) => assert.fail(`the first run ended early: ${tail(r)}`))]);
    const id = Journal.load(journal).id;

    // the lock on both masters names the merge, its journal, this machine and a time
    for (const node of [topology.target, topology.mergee]) {
      const owner = JSON.parse(await lockOn(node)) as Record<string, string>;
      assert.equal(owner.id, id, node);
      assert.equal(owner.journal, journal);
      assert.equal(owner.host, hostname());
      assert.match(owner.since, /^\d{4}-\d\d-\d\dT/);
    }

    // another merge into the same target (its own journal, the names as an operator would give them)
    const t0 = Date.now();
    const secondJournal = path.join(cases.dir, 'second.json');
    const second = await runCli(['run', '--yes', '--journal', secondJournal, '--target', topology.target, '--mergee', topology.mergee, ...ssh]);
    const refusedIn = Date.now() - t0;
    assert.equal(second.code, 1, tail(second));
    assert.match(second.stderr, new RegExp(`E_MERGE_LOCKED: ganeti-merge run: cluster "[^"]+" \\(master [^)]+\\) is part of merge "${id}" \\(journal "${journal.replace(/[.]/g, '\\.')}" on "${hostname()}", by "[^"]+", since "\\d{4}-`), tail(second));
    assert.doesNotMatch(second.stderr, /\] running/, 'no phase of the second merge ran');
    assert.ok(!existsSync(secondJournal), 'the refused merge left no journal');

    // the same journal driven a second time (another window, or a resume typed in another terminal)
    const again = await runCli(['resume', '--yes', '--journal', journal, ...ssh]);
    assert.equal(again.code, 1, tail(again));
    assert.match(again.stderr, /E_JOURNAL_LOCKED: ganeti-merge resume: journal .* is in use by process \d+ on /, tail(again));

    const done = await first.done;
    assert.equal(done.code, 0, tail(done));
    assert.equal(done.stdout.trim(), 'merged');
    for (const node of [topology.target, topology.mergee]) assert.equal(await lockOn(node), 'free', `${node}: released when merged`);
    assert.equal(Journal.load(journal).doc.locks, undefined);
    console.log(`        second run refused in ${(refusedIn / 1000).toFixed(1)} s`);
  });

  it('refuses to roll back over a change made on the merged cluster, listing it; --force rolls back and loses it', async function () {
    this.timeout(15 * 60_000);
    const { lab, topology, ssh } = cases;
    assert.ok(journal, 'needs the merge of the previous test');
    const add = await nodeExec(topology.target, `gnt-cluster add-tags ${TAG}`);
    assert.equal(add.code, 0, add.stderr);

    const refused = await runCli(['rollback', '--journal', journal, ...ssh]);
    assert.equal(refused.code, 1, tail(refused));
    assert.match(refused.stderr, /E_CLUSTER_CHANGED: ganeti-merge rollback: the target cluster changed since the merge last left it \(after cleanup, /, tail(refused));
    assert.match(refused.stderr, new RegExp(`[:;] cluster tags added: "${TAG}"(;|\\n)`), tail(refused));
    assert.match(refused.stderr, /[:;] config serial_no \d+ -> \d+/);
    assert.match(refused.stderr, /use --force/);
    console.log(`        refused with: ${refused.stderr.split('\n').find((l) => l.startsWith('E_CLUSTER_CHANGED')) ?? ''}`);
    assert.equal(Journal.load(journal).doc.rollback, undefined, 'nothing was rolled back');
    assert.match((await nodeExec(topology.target, 'gnt-cluster list-tags')).stdout, new RegExp(TAG));
    assert.equal(await lockOn(topology.target), 'free', 'the refused rollback holds no lock');

    const forced = await runCli(['rollback', '--force', '--journal', journal, ...ssh]);
    assert.equal(forced.code, 0, tail(forced));
    assert.equal(forced.stdout.trim(), 'rolled-back');
    assert.match(forced.stderr, new RegExp(`E_CLUSTER_CHANGED overridden: cluster tags added: "${TAG}"`));
    // the preflight state, exactly: the tag added after the merge is lost
    assertSameState(before, await captureLabState(lab, [topology.targetCluster, topology.mergeeCluster]), 'after the forced rollback');
    assert.doesNotMatch((await nodeExec(topology.target, 'gnt-cluster list-tags')).stdout, new RegExp(TAG));
    for (const node of [topology.target, topology.mergee]) assert.equal(await lockOn(node), 'free', `${node}: released when rolled back`);
    cases.endedInPreflight();
  });

  it('reports a lock whose merge is gone as stale, and `ganeti-merge unlock --host` clears it after showing the holder', async function () {
    this.timeout(5 * 60_000);
    const { topology, ssh } = cases;
    const gone = { id: 'merge-gone-1', host: hostname(), journal: path.join(cases.dir, 'deleted.json'), user: 'root', since: '2026-01-01T00:00:00.000Z' };
    const put = await nodeExec(topology.target, `printf '%s\\n' '${JSON.stringify(gone)}' > ${ganeti.MERGE_LOCK_FILE}`);
    assert.equal(put.code, 0, put.stderr);
    try {
      const journal2 = path.join(cases.dir, 'after-stale.json');
      const refused = await runCli(['plan', '--journal', journal2, '--target', topology.target, '--mergee', topology.mergee, ...ssh]);
      assert.equal(refused.code, 1, tail(refused));
      assert.match(refused.stderr, /E_LOCK_STALE: ganeti-merge plan: cluster .* is locked by merge "merge-gone-1" .*whose journal no longer exists; .*ganeti-merge unlock --host /, tail(refused));
      assert.ok(!existsSync(journal2), 'the refused plan left no journal');
      assert.equal(JSON.parse(await lockOn(topology.target)).id, gone.id, 'never broken silently');

      const unlock = await runCli(['unlock', '--host', topology.target, '--yes', ...ssh]);
      assert.equal(unlock.code, 0, tail(unlock));
      assert.match(unlock.stderr, /Clear the merge lock on .* held by merge "merge-gone-1"/);
      assert.equal(unlock.stdout.trim(), `${topology.target}: unlocked`);
      assert.equal(await lockOn(topology.target), 'free');
    } finally {
      await nodeExec(topology.target, `rm -f ${ganeti.MERGE_LOCK_FILE}`);
    }
  });
});
