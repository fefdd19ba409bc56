/** Forgetting a merge: what is listed, when it is refused, what is deleted where (scripted nodes, real files). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { forgetMerge, ForgetRefusedError, planForget } from '../../../src/core/merger/forget';
import { Journal } from '../../../src/core/merger/journal';
import { WorkFiles } from '../../../src/core/merger/work-files';
import { DEFAULT_PLAN_OPTIONS, PHASES } from '../../../src/core/merger/types';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';

const MASTER_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDmasterkey root@a1';
const SNAPSHOTS = '/var/lib/ganeti-merge/snapshots';

/** A journal as a finished merge of cluster b (b1, b2) into a (a1) leaves it. */
function mergedJournal(file: string): Journal {
  const j = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'a1', mergees: ['b1'] }, 'merge-forget-1');
  for (const p of PHASES) j.setState(p.id, 'done');
  for (const node of ['b1', 'b2']) {
    j.completeRecord(j.addRecord('authorize-target-master', 'authorized-key', node, { key: MASTER_KEY, preexisting: false }), { added: true });
    j.completeRecord(j.addRecord('stop-mergee-daemons', 'daemons-stopped', node));
  }
  for (const node of ['a1', 'b1', 'b2']) {
    j.completeRecord(j.addRecord('snapshot', 'snapshot', node, { ganeti: `merge-forget-1-${node}-ganeti`, ssh: `merge-forget-1-${node}-ssh` }));
  }
  j.doc.outcome = 'merged';
  j.save();
  new WorkFiles(`${file}.files`).write('target-backup.config.data', '{"secret": "x"}');
  return j;
}

/** The target (master a1) has b1 as a member now (re-added), not b2 (e.g. a merge abandoned half-way). */
function nodes(fail?: string, masterDown = false) {
  return new ScriptedRunner((host, argv) => {
    if (host === fail) return { code: 1, stderr: 'No route to host' };
    if (argv[0] === 'gnt-node' && masterDown) return { code: 1, stderr: 'Cannot communicate with the master daemon' };
    if (argv[0] === 'gnt-node' && host === 'a1') return { stdout: 'a1|N|M|default\nb1|N|R|default\n' };
    if (argv.includes('ganeti-merge-authkey')) return { stdout: 'removed\n' };
    return { stdout: 'deleted\n' };
  });
}

describe('merger/forget', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-forget-'));
    file = path.join(dir, 'merge.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists every snapshot, identity file moved aside, added key, the work files and the journal', () => {
    const plan = planForget(mergedJournal(file));
    assert.deepEqual(plan.items.map((i) => `${i.kind} ${i.host ?? '-'}`), [
      'snapshot a1', 'snapshot b1', 'snapshot b2', 'identity-aside b1', 'identity-aside b2',
      'authorized-key b1', 'authorized-key b2', 'work-files -', 'journal -',
    ]);
    assert.equal(plan.items[0].what, `${SNAPSHOTS}/merge-forget-1-a1-ganeti.tar and ${SNAPSHOTS}/merge-forget-1-a1-ssh.tar`);
    assert.match(plan.rollbackPossible ?? '', /merged .*can still be rolled back/);
  });

  it('refuses without force while a rollback is possible: nothing deleted, no node contacted', async () => {
    const journal = mergedJournal(file);
    const runner = nodes();
    await assert.rejects(forgetMerge(journal, { runner }), (e: Error) => e instanceof ForgetRefusedError && /can still be rolled back.*force/.test(e.message));
    assert.deepEqual(runner.calls, []);
    assert.ok(fs.existsSync(file) && fs.existsSync(`${file}.files/target-backup.config.data`));
  });

  it('with force deletes the tars and aside files, removes the key only on nodes outside the target cluster, then the local files', async () => {
    const runner = nodes();
    const result = await forgetMerge(mergedJournal(file), { runner, force: true });
    const on = (host: string) => runner.calls.filter((c) => c.host === host).map((c) => c.argv);
    const tars = (node: string) => [`${SNAPSHOTS}/merge-forget-1-${node}-ganeti.tar`, `${SNAPSHOTS}/merge-forget-1-${node}-ssh.tar`];
    assert.deepEqual(on('a1').map((a) => a.slice(-2))[0], tars('a1'));
    assert.deepEqual(on('b1').map((a) => a.slice(-2)), [tars('b1'), ['/var/lib/ganeti/ssconf_cluster_name.premerge', '/var/lib/ganeti/server.pem.premerge']]);
    assert.deepEqual(on('b2').slice(-1)[0].slice(-2), ['/root/.ssh/authorized_keys', MASTER_KEY]);
    assert.equal(on('a1').length, 2, 'one snapshot deletion and one node list on the target master');
    assert.deepEqual(result.keptKeys.map((k) => k.host), ['b1']);
    assert.equal(result.deleted.length, 8);
    assert.ok(!fs.existsSync(file), 'journal deleted');
    assert.ok(!fs.existsSync(`${file}.files`), 'work files deleted');
  });

  it('keeps the journal when a node fails, so forget can run again', async () => {
    await assert.rejects(forgetMerge(mergedJournal(file), { runner: nodes('b2'), force: true }), /No route to host/);
    assert.ok(fs.existsSync(file) && fs.existsSync(`${file}.files`));
  });

  it('removes no key when the target master cannot say which nodes are its members', async () => {
    const runner = nodes(undefined, true);
    await assert.rejects(forgetMerge(mergedJournal(file), { runner, force: true }), /cannot tell which nodes belong to the target cluster now/);
    assert.ok(!runner.calls.some((c) => c.argv.includes('ganeti-merge-authkey')));
    assert.ok(fs.existsSync(file));
  });

  it('removes no key when the target master lists no nodes (empty or cut-off output, exit 0)', async () => {
    for (const stdout of ['', 'b1|N|R|default\n']) {
      const runner = new ScriptedRunner((host, argv) => {
        if (argv[0] === 'gnt-node') return { stdout };
        if (argv.includes('ganeti-merge-authkey')) return { stdout: 'removed\n' };
        return { stdout: 'deleted\n' };
      });
      await assert.rejects(forgetMerge(mergedJournal(file), { runner, force: true }), /cannot tell which nodes belong to the target cluster now .*a1: cannot understand the output of gnt-node list.*expected exactly one master/);
      assert.ok(!runner.calls.some((c) => c.argv.includes('ganeti-merge-authkey')), `no key removed (node list ${JSON.stringify(stdout)})`);
      assert.ok(fs.existsSync(file));
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
    }
  });

  it('after a rollback needs no force and leaves alone what the rollback already put back', async () => {
    const journal = mergedJournal(file);
    for (const p of PHASES) journal.setState(p.id, 'undone');
    for (const p of ['authorize-target-master', 'stop-mergee-daemons'] as const) for (const r of journal.records(p)) journal.markUndone(r);
    journal.doc.rollback = { state: 'done', startedAt: 1, finishedAt: 2 };
    journal.save();
    const plan = planForget(journal);
    assert.equal(plan.rollbackPossible, undefined);
    assert.deepEqual([...new Set(plan.items.map((i) => i.kind))], ['snapshot', 'work-files', 'journal']);
    const runner = nodes();
    await forgetMerge(journal, { runner });
    assert.equal(runner.calls.length, 3);
    assert.ok(!fs.existsSync(file));
  });

  describe('ganeti-merge forget', () => {
    async function cli(args: string[]) {
      let stdout = '';
      let stderr = '';
      const code = await main(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
      return { code, stdout, stderr };
    }

    it('refuses a merge that can still be rolled back, after saying what it would delete', async () => {
      mergedJournal(file);
      const r = await cli(['forget', '--journal', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /forgetting merge merge-forget-1 deletes:\n {2}a1: \/var\/lib\/ganeti-merge\/snapshots\/merge-forget-1-a1-ganeti\.tar/);
      assert.match(r.stderr, /refused: .*can still be rolled back.*rollback --journal .*--yes/);
      assert.ok(fs.existsSync(file));
    });

    it('forgets a merge that only ran preflight without contacting any node', async () => {
      const j = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'a1', mergees: ['b1'] });
      j.setState('preflight', 'done');
      const r = await cli(['forget', '--journal', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /forgotten: 1 item\(s\) deleted/);
      assert.ok(!fs.existsSync(file));
    });

    it('a missing journal is a clear error', async () => {
      const r = await cli(['forget', '--journal', path.join(dir, 'none.json')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^E_PATH_MISSING: ganeti-merge forget: --journal ".*none\.json" does not exist\n$/);
    });
  });
});
