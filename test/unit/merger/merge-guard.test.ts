// Issue 14, items 7 and 8: the cluster lock (its real shell scripts, run locally with one lock file
// per "master"), the journal lock, and the refusal of a rollback/resume after someone else changed
// the target, through the real MergeEngine with fake phases.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GanetiConfig } from '../../../src/core/config/types';
import { clusterStateOf, foreignChanges } from '../../../src/core/merger/cluster-state';
import { main } from '../../../src/cli/main';
import { MergeEngine } from '../../../src/core/merger/engine';
import { forgetMerge, planForget } from '../../../src/core/merger/forget';
import { Journal } from '../../../src/core/merger/journal';
import { JournalLock, journalLockFile, processStartTime } from '../../../src/core/merger/journal-lock';
import { MergeLockError } from '../../../src/core/merger/lock-errors';
import { MergeGuard, type ChangedPolicy } from '../../../src/core/merger/merge-guard';
import type { Phase } from '../../../src/core/merger/phase';
import { DEFAULT_PLAN_OPTIONS, PHASES, type PhaseId } from '../../../src/core/merger/types';
import type { RemoteCommand } from '../../../src/core/remote/command';
import { ganeti } from '../../../src/core/remote';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { englishConfirmation } from '../../../src/core/operator/questions';
import type { CommandRunner } from '../../../src/core/remote/runner';
import { argValue } from '../../../src/core/remote/secret';
import { generateCluster } from '../config/generator';
import { LocalShellRunner } from '../remote/local-runner';
import { ALPHA_BETA_FACTS } from './scripted-facts';
import { expectOutcome } from '../../expect-outcome';

/** "Masters" a1 and b1 (and the given names alpha/beta, which reach them): lock scripts run for real on a file per master; config.data from memory. */
class FakeMasters implements CommandRunner {
  readonly local = new LocalShellRunner();
  readonly config = new Map<string, GanetiConfig>();
  readonly calls: string[] = [];
  constructor(readonly dir: string) {}
  lockOf(host: string): string {
    return path.join(this.dir, `${{ alpha: 'a1', beta: 'b1' }[host] ?? host}.lock`);
  }
  async run<T>(host: string, command: RemoteCommand<T>): Promise<T> {
    const argv = command.argv.map(argValue);
    this.calls.push(`${host}: ${argv[0] === 'sh' ? argv[3] : argv.join(' ')}`);
    if (argv[0] === 'cat' && argv[2] === '/var/lib/ganeti/config.data') {
      const c = this.config.get(host);
      if (!c) throw new Error(`${host}: no such file`);
      return command.parse({ code: 0, stdout: Buffer.from(JSON.stringify(c)), stderr: Buffer.alloc(0), durationMs: 0 });
    }
    const i = argv.indexOf(ganeti.MERGE_LOCK_FILE);
    assert.ok(i > 0, `unexpected command ${argv.join(' ')}`);
    return this.local.run(host, { ...command, argv: argv.map((a, j) => (j === i ? this.lockOf(host) : a)) });
  }
}

function fakePhases(log: string[], fail: Partial<Record<PhaseId, number>> = {}): Record<PhaseId, Phase> {
  const phases = {} as Record<PhaseId, Phase>;
  for (const { id } of PHASES) {
    phases[id] = {
      id,
      async run() {
        log.push(`run ${id}`);
        if ((fail[id] ?? 0) > 0) {
          fail[id]!--;
          throw new Error(`${id} broke`);
        }
      },
      async undo() { log.push(`undo ${id}`); },
    };
  }
  return phases;
}

describe('merge guard: cluster locks, journal lock, changed-since check', () => {
  let dir: string;
  let masters: FakeMasters;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-guard-'));
    masters = new FakeMasters(dir);
    masters.config.set('a1', generateCluster({ name: 'alpha', nodes: 1 }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engine(name: string, opts: { log?: string[]; fail?: Partial<Record<PhaseId, number>>; onChanged?: ChangedPolicy; confirm?: boolean; mergees?: string[]; existing?: boolean } = {}) {
    const file = path.join(dir, `${name}.json`);
    const journalLock = JournalLock.acquire(file);
    const journal = opts.existing ? Journal.load(file) : Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: opts.mergees ?? ['beta'] }, `merge-${name}`);
    const log = opts.log ?? [];
    const prompter = new ScriptedPrompter({ confirm: opts.confirm ?? false });
    const notes: string[] = [];
    const guard = new MergeGuard(journal, { runner: masters, prompter, onChanged: opts.onChanged ?? 'refuse', journalLock, note: (m) => notes.push(m) });
    const phases = fakePhases(log, opts.fail);
    // preflight learns the facts, as the real one does
    const preflight = phases.preflight.run;
    phases.preflight = { ...phases.preflight, run: async (ctx) => { await preflight(ctx); ctx.journal.doc.facts = ALPHA_BETA_FACTS; } };
    const e = new MergeEngine({ journal, runner: masters, prompter, phases, fullRollback: async () => { log.push('full-rollback'); }, guard });
    return { engine: e, log, prompter, notes, file };
  }

  it('lock scripts: atomic create with owner info, "ours" for the same merge, release only by the owner', async () => {
    const owner = (id: string) => ({ id, host: 'h', journal: '/j.json', user: 'root', since: '2026-01-01T00:00:00.000Z' });
    const run = <T>(c: RemoteCommand<T>) => masters.run('a1', c);
    assert.deepEqual(await run(ganeti.readMergeLock()), { state: 'free' });
    assert.deepEqual(await run(ganeti.acquireMergeLock(owner('m-1'))), { state: 'acquired' });
    assert.deepEqual(await run(ganeti.acquireMergeLock(owner('m-1'))), { state: 'ours' });
    assert.deepEqual(await run(ganeti.acquireMergeLock(owner('m-2'))), { state: 'held', owner: owner('m-1') });
    assert.deepEqual(await run(ganeti.readMergeLock()), { state: 'held', owner: owner('m-1') });
    assert.equal(await run(ganeti.releaseMergeLock('m-2')), 'other');
    assert.equal(await run(ganeti.releaseMergeLock('m-1')), 'released');
    assert.equal(await run(ganeti.releaseMergeLock('m-1')), 'absent');
    assert.deepEqual(fs.readdirSync(dir), [], 'no temp file left');
    // 12 merges racing for one master: exactly one gets it.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => run(ganeti.acquireMergeLock(owner(`race-${i}`)))));
    assert.equal(results.filter((r) => r.state === 'acquired').length, 1);
    assert.equal(results.filter((r) => r.state === 'held').length, 11);
    assert.throws(() => ganeti.acquireMergeLock(owner('bad id; rm -rf /')), /invalid merge id/);
  });

  it('a second merge on a cluster of a merge in progress is refused before any phase, naming the holder; free again once the first completes', async () => {
    const first = engine('one', { fail: { 'stop-instances': 1 } });
    assert.equal((await first.engine.runAll()).outcome, 'failed');
    assert.ok(fs.existsSync(masters.lockOf('a1')) && fs.existsSync(masters.lockOf('b1')), 'a failed merge keeps its locks');

    // the second merge shares only the mergee's master... as its target
    const second = engine('two', { mergees: ['gamma'] });
    const err = await second.engine.runAll().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof MergeLockError, String(err));
    assert.equal(err.code, 'E_MERGE_LOCKED');
    assert.match(err.message, /^E_MERGE_LOCKED: cluster "alpha" \(master (alpha|a1)\) is part of merge "merge-one" \(journal ".*one\.json" on ".+", by ".+", since "\d{4}-/);
    assert.match(err.message, /ganeti-merge unlock --host/);
    assert.deepEqual(second.log, [], 'no phase of the second merge ran');
    assert.ok(!fs.existsSync(masters.lockOf('gamma')), 'the refused merge gave back what it took');

    assert.equal((await first.engine.runAll()).outcome, 'merged');
    assert.ok(!fs.existsSync(masters.lockOf('a1')) && !fs.existsSync(masters.lockOf('b1')), 'released when merged');
    assert.equal(first.engine.journal.doc.locks, undefined);
    second.engine.close();
    const again = engine('two', { mergees: ['gamma'], existing: true });
    assert.equal((await again.engine.runAll()).outcome, 'merged');
  });

  it('the journal owns its locks: after a crash, a new process resumes and takes them as its own; a plan alone holds nothing', async () => {
    const first = engine('one', { fail: { 'pause-watchers': 1 } });
    await first.engine.runAll();
    first.engine.close(); // the process "crashes": the cluster locks stay with the journal
    assert.ok(fs.existsSync(masters.lockOf('a1')));
    const resumed = engine('one', { existing: true });
    assert.equal((await resumed.engine.resume()).outcome, 'merged');
    assert.ok(!fs.existsSync(masters.lockOf('a1')));

    const plan = engine('plan');
    await expectOutcome(plan.engine.runPhase('preflight'));
    assert.ok(!fs.existsSync(masters.lockOf('a1')) && !fs.existsSync(masters.lockOf('b1')), 'read-only phases leave no lock');
  });

  describe('the journal lock after a crash: a provably dead holder on this host is taken over, any other is refused', () => {
    const lockOf = (file: string) => fs.readFileSync(journalLockFile(file), 'utf8');
    const plant = (file: string, owner: object) => fs.writeFileSync(journalLockFile(file), `${JSON.stringify(owner)}\n`);
    const refused = (file: string, holder: RegExp) => (e: unknown) => e instanceof MergeLockError && e.code === 'E_JOURNAL_LOCKED'
      && holder.test(e.message) && e.message.includes(`ganeti-merge unlock --journal ${file}`);
    let child: ChildProcess | undefined;
    afterEach(() => { child?.kill('SIGKILL'); child = undefined; });

    it('records host, pid and the process start time; released only by its holder', () => {
      const file = path.join(dir, 'j.json');
      const lock = JournalLock.acquire(file);
      const owner = JSON.parse(lockOf(file)) as { pid: number; host: string; start?: string };
      assert.equal(owner.pid, process.pid);
      assert.equal(owner.host, os.hostname());
      assert.match(owner.start ?? '', /^\d+$/);
      const field22 = fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
      assert.equal(owner.start, field22);
      lock.release();
      assert.ok(!fs.existsSync(journalLockFile(file)));
      assert.deepEqual(fs.readdirSync(dir), [], 'no temp file left');
    });

    it('a live holder (this process, or another running one) is refused with its pid, host and how to clear it; its lock is kept', async () => {
      const file = path.join(dir, 'j.json');
      const lock = JournalLock.acquire(file);
      const mine = lockOf(file);
      assert.throws(() => JournalLock.acquire(file), refused(file, new RegExp(`in use by process ${process.pid} on "${os.hostname()}"`)));
      assert.equal(lockOf(file), mine);
      lock.release();
      child = spawn('sleep', ['60']);
      await new Promise((resolve) => child!.once('spawn', resolve));
      const pid = child.pid!;
      plant(file, { pid, host: os.hostname(), since: '2026-01-01T00:00:00Z', start: processStartTime(pid) });
      const notes: string[] = [];
      assert.throws(() => JournalLock.acquire(file, (m) => notes.push(m)), refused(file, new RegExp(`in use by process ${pid} on `)));
      assert.deepEqual(notes, []);
      assert.match(lockOf(file), new RegExp(`"pid":${pid}`));
    });

    it('one journal reached by two paths (a symlink) has one lock: the second opener is refused', () => {
      const file = path.join(dir, 'j.json');
      fs.writeFileSync(file, '{}');
      const link = path.join(dir, 'link.json');
      fs.symlinkSync(file, link);
      const lock = JournalLock.acquire(file);
      assert.throws(() => JournalLock.acquire(link), refused(link, new RegExp(`in use by process ${process.pid}`)));
      lock.release();
      const viaLink = JournalLock.acquire(link);
      assert.throws(() => JournalLock.acquire(file), refused(file, /in use by process/));
      assert.equal(journalLockFile(link), `${file}.lock`);
      viaLink.release();
      assert.deepEqual(fs.readdirSync(dir).sort(), ['j.json', 'link.json'], 'released, no lock of the link left');
    });

    it('a dead pid on this host is taken over, with a message naming the dead holder', () => {
      const file = path.join(dir, 'j.json');
      const dead = spawnSync('true').pid!;
      plant(file, { pid: dead, host: os.hostname(), since: '2026-01-01T00:00:00Z', start: '12345' });
      const notes: string[] = [];
      const lock = JournalLock.acquire(file, (m) => notes.push(m));
      assert.deepEqual(notes, [`journal lock: taken over from process ${dead} on "${os.hostname()}" since "2026-01-01T00:00:00Z" (gone): "${file}"`]);
      assert.equal((JSON.parse(lockOf(file)) as { pid: number }).pid, process.pid, 'the lock names the new holder');
      assert.throws(() => JournalLock.acquire(file), refused(file, /in use by process/), 'and is a real lock again');
      lock.release();
      assert.deepEqual(fs.readdirSync(dir), [], 'nothing left aside');
    });

    it('a reused pid (alive, but with another start time) is taken over too', () => {
      const file = path.join(dir, 'j.json');
      // this very process's pid, with a start time it never had: the holder was an earlier process with that pid
      const other = String(Number(processStartTime(process.pid)) + 1);
      plant(file, { pid: process.pid, host: os.hostname(), since: '2026-01-01T00:00:00Z', start: other });
      const notes: string[] = [];
      const lock = JournalLock.acquire(file, (m) => notes.push(m));
      assert.equal(notes.length, 1);
      assert.match(notes[0], new RegExp(`taken over from process ${process.pid} on .* \\(gone\\)`));
      assert.equal((JSON.parse(lockOf(file)) as { start: string }).start, processStartTime(process.pid));
      lock.release();
    });

    it('a holder on another host (even with a pid dead here) or an unreadable lock is refused, never taken over', () => {
      const file = path.join(dir, 'j.json');
      const dead = spawnSync('true').pid!;
      plant(file, { pid: dead, host: 'other-host.example', since: '2026-01-01T00:00:00Z', start: '1' });
      const before = lockOf(file);
      const notes: string[] = [];
      assert.throws(() => JournalLock.acquire(file, (m) => notes.push(m)), refused(file, new RegExp(`in use by process ${dead} on "other-host.example" since "2026-01-01T00:00:00Z"`)));
      assert.equal(lockOf(file), before);
      fs.writeFileSync(journalLockFile(file), '');
      assert.throws(() => JournalLock.acquire(file, (m) => notes.push(m)), refused(file, /in use by an unreadable lock file/));
      assert.deepEqual(notes, []);
    });

    it('reads the start time after the last parenthesis: a command name with ") " in it does not shift the fields', async () => {
      const odd = path.join(dir, 'x) 1 2 (y');
      fs.symlinkSync(fs.realpathSync('/bin/sleep'), odd);
      child = spawn(odd, ['60']);
      await new Promise((resolve) => child!.once('spawn', resolve));
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      assert.match(stat, /\(x\) 1 2 \(y\)/, 'the kernel shows the odd name');
      const start = processStartTime(child.pid!);
      assert.match(start ?? '', /^\d+$/);
      assert.equal(start, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      assert.equal(processStartTime(2 ** 22 + 1), undefined, 'no such process');
    });
  });

  it('rollback after someone changed the merged target: refused with the list, asked in the editor, done when forced', async () => {
    const first = engine('one');
    assert.equal((await first.engine.runAll()).outcome, 'merged');
    assert.equal(first.engine.journal.doc.left?.after, 'cleanup');
    // an operator adds a tag and an instance on the merged cluster
    const c = structuredClone(masters.config.get('a1')!);
    c.cluster.tags = [...(c.cluster.tags as string[]), 'added-later'];
    c.cluster.serial_no = (c.cluster.serial_no as number) + 1;
    const [uuid, inst] = Object.entries(c.instances)[0];
    c.instances[`${uuid.slice(0, -4)}beef`] = { ...inst, name: 'new-vm.example.com' };
    c.serial_no += 2;
    masters.config.set('a1', c);

    const err = await first.engine.rollback().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof MergeLockError && err.code === 'E_CLUSTER_CHANGED', String(err));
    assert.deepEqual(err.changes, ['instance "new-vm.example.com" added', 'cluster tags added: "added-later"', `config serial_no ${c.serial_no - 2} -> ${c.serial_no}`]);
    assert.match(err.message, /use --force/);
    assert.ok(!first.log.includes('full-rollback'), 'nothing was rolled back');
    assert.ok(!fs.existsSync(masters.lockOf('a1')), 'the refused rollback holds no lock');
    first.engine.close();

    const asked = engine('one', { existing: true, onChanged: 'ask', confirm: false });
    await assert.rejects(asked.engine.rollback(), /E_CLUSTER_CHANGED/);
    assert.equal(asked.prompter.confirmations.length, 1);
    const question = asked.prompter.confirmations[0];
    assert.equal(question.id, 'cluster-changed');
    assert.match(englishConfirmation(question).message, /^E_CLUSTER_CHANGED: the target cluster changed .*Roll back anyway\?/);
    assert.equal(question.summary, err.changes.join('\n'));
    asked.engine.close();

    const forced = engine('one', { existing: true, onChanged: 'force' });
    assert.equal((await forced.engine.rollback()).outcome, 'rolled-back');
    assert.ok(forced.log.includes('full-rollback'));
    assert.match(forced.notes.join('\n'), /E_CLUSTER_CHANGED overridden: instance "new-vm/);
    assert.ok(!fs.existsSync(masters.lockOf('a1')), 'released after the rollback');
  });

  it('an unchanged target rolls back without a question; a merge that failed midway checks before resume too', async () => {
    const first = engine('one', { fail: { 'readd-nodes': 1 }, onChanged: 'ask', confirm: false });
    await first.engine.runAll();
    assert.equal(first.engine.journal.doc.left?.after, 'readd-nodes');
    first.engine.close();
    const c = structuredClone(masters.config.get('a1')!);
    c.serial_no += 1;
    masters.config.set('a1', c);
    const resumed = engine('one', { existing: true });
    await assert.rejects(resumed.engine.resume(), (e: unknown) => e instanceof MergeLockError && e.changes.join() === `config serial_no ${c.serial_no - 1} -> ${c.serial_no}`);
    assert.ok(!resumed.log.includes('run readd-nodes'));
    assert.ok(fs.existsSync(masters.lockOf('a1')), 'the failed merge still holds its locks');
    c.serial_no -= 1;
    const rolled = await resumed.engine.rollback();
    assert.equal(rolled.outcome, 'rolled-back');
    assert.equal(resumed.prompter.confirmations.length, 0);
  });

  it('foreignChanges names every kind of change, and nothing for an equal state', () => {
    const a = generateCluster({ name: 'alpha', nodes: 2, withNetwork: true });
    assert.deepEqual(foreignChanges(clusterStateOf(a), clusterStateOf(structuredClone(a))), []);
    const b = structuredClone(a);
    const [n1, n2] = Object.keys(b.nodes);
    b.nodes[n1].name = 'renamed.example.com';
    delete b.nodes[n2];
    const g = Object.keys(b.nodegroups)[0];
    b.nodegroups[g].serial_no = (b.nodegroups[g].serial_no as number) + 3;
    b.cluster.serial_no = (b.cluster.serial_no as number) + 1;
    const lines = foreignChanges(clusterStateOf(a), clusterStateOf(b));
    assert.ok(lines.some((l) => /^node ".+" renamed to "renamed.example.com"$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^node ".+" removed$/.test(l)));
    assert.ok(lines.some((l) => /^node group ".+" modified \(serial \d+ -> \d+\)$/.test(l)));
    assert.ok(lines.includes(`cluster settings modified (serial ${a.cluster.serial_no} -> ${b.cluster.serial_no})`));

    // After a crash mid-phase, only what the merge never does counts: unknown objects and tags.
    const removedName = a.nodes[n2].name;
    const c = structuredClone(b);
    const [iu, inst] = Object.entries(c.instances)[0];
    c.instances[`${iu.slice(0, -4)}beef`] = { ...inst, name: 'stranger.example.com' };
    c.cluster.tags = [...(c.cluster.tags as string[]), 'later'];
    assert.deepEqual(foreignChanges(clusterStateOf(a), clusterStateOf(c), { knownNames: new Set([removedName]) }),
      ['instance "stranger.example.com" added', 'cluster tags added: "later"']);
    assert.deepEqual(foreignChanges(clusterStateOf(a), clusterStateOf(c), { knownNames: new Set() }),
      [`node ${JSON.stringify(removedName)} removed`, 'instance "stranger.example.com" added', 'cluster tags added: "later"']);
    // a disk leaving with its instance during an interrupted full restore is the merge's own doing
    const d = structuredClone(a);
    delete d.disks[Object.keys(d.disks)[0]];
    const diskName = clusterStateOf(a).objects.disk[Object.keys(a.disks)[0]].name;
    assert.deepEqual(foreignChanges(clusterStateOf(a), clusterStateOf(d)), [`disk ${JSON.stringify(diskName)} removed`], 'counted after a clean phase end');
    assert.deepEqual(foreignChanges(clusterStateOf(a), clusterStateOf(d), { knownNames: new Set() }), []);
  });

  it('a resume after a crash mid-phase does not take the merge\'s own writes for someone else\'s', async () => {
    const first = engine('one', { fail: { 'readd-nodes': 1 } });
    await first.engine.runAll();
    first.engine.close();
    // the process died in readd-nodes (state "running"), after it had written the config itself
    const j = Journal.load(first.file);
    j.setState('readd-nodes', 'running');
    const c = structuredClone(masters.config.get('a1')!);
    c.serial_no += 5;
    masters.config.set('a1', c);
    const resumed = engine('one', { existing: true });
    assert.equal((await resumed.engine.resume()).outcome, 'merged');
  });
});

describe('ganeti-merge unlock --journal, and forget releasing the cluster locks', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-unlock-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(argv: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await main(argv, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
    return { code, ...out };
  }

  it('refuses while the holder runs, asks (no terminal: not approved), clears a stale lock with --yes', async () => {
    const file = path.join(dir, 'j.json');
    const live = JournalLock.acquire(file);
    const busy = await cli(['unlock', '--journal', file, '--yes']);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /E_JOURNAL_LOCKED: .* which still runs/);
    assert.ok(fs.existsSync(journalLockFile(file)));
    live.release();

    const dead = spawnSync('true').pid!;
    fs.writeFileSync(journalLockFile(file), JSON.stringify({ pid: dead, host: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    const tty = process.stdin.isTTY;
    process.stdin.isTTY = false; // the terminal prompter refuses without a terminal to ask on
    const asked = await cli(['unlock', '--journal', file]).finally(() => { process.stdin.isTTY = tty; });
    assert.equal(asked.code, 1, asked.stderr);
    assert.match(asked.stderr, new RegExp(`Clear the lock on journal .*held by process ${dead}[\\s\\S]*not approved`));
    assert.ok(fs.existsSync(journalLockFile(file)), 'not confirmed: kept');
    const cleared = await cli(['unlock', '--journal', file, '--yes']);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.equal(cleared.stdout, `${file}: unlocked\n`);
    assert.ok(!fs.existsSync(journalLockFile(file)));
    assert.equal((await cli(['unlock'])).code, 2, 'nothing to unlock named: usage');
  });

  it('a lock that is a directory is refused by every opener and left for a person by unlock (no internal error)', async () => {
    const file = path.join(dir, 'j.json');
    Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] }, 'merge-dirlock-1');
    fs.mkdirSync(journalLockFile(file));
    assert.throws(() => JournalLock.acquire(file), (e: unknown) => e instanceof MergeLockError && /unreadable lock file/.test(e.message));
    const r = await cli(['unlock', '--journal', file, '--yes']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /E_JOURNAL_LOCKED: ".*j\.json\.lock" is a directory, not a lock file: inspect and remove it by hand/);
    assert.doesNotMatch(r.stderr, /E_INTERNAL/);
    assert.ok(fs.statSync(journalLockFile(file)).isDirectory());
  });

  it('a FIFO in place of the journal or its lock is refused at once, never read (a read would block until someone writes)', () => {
    const file = path.join(dir, 'j.json');
    Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] }, 'merge-fifo-1');
    spawnSync('mkfifo', [journalLockFile(file)]);
    const fifoJournal = path.join(dir, 'fifo.json');
    spawnSync('mkfifo', [fifoJournal]);
    // in a child: a blocking read would hang this test process, timeouts and all
    const root = path.resolve(__dirname, '../../..');
    const script = `
      const { JournalLock } = require(${JSON.stringify(path.join(root, 'src/core/merger/journal-lock.ts'))});
      const { Journal } = require(${JSON.stringify(path.join(root, 'src/core/merger/journal.ts'))});
      for (const f of [() => JournalLock.acquire(${JSON.stringify(file)}), () => Journal.load(${JSON.stringify(fifoJournal)})]) {
        try { f(); console.log('opened'); } catch (e) { console.log(e.code + ': ' + e.message); }
      }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.signal, null, `the child hung (killed by the timeout): ${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^E_JOURNAL_LOCKED: .*in use by an unreadable lock file/);
    assert.match(lines[1], /^E_JOURNAL_UNREADABLE: cannot read journal ".*fifo\.json": not a regular file$/);
  });

  it('forget lists and releases the locks its merge still holds, and only those', async () => {
    const masters = new FakeMasters(dir);
    const journal = Journal.create(path.join(dir, 'm.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: ['beta'] }, 'merge-f');
    journal.doc.locks = { hosts: ['a1', 'b1'], since: 'x' };
    const owner = (id: string) => ({ id, host: 'h', journal: '/j', user: 'u', since: 's' });
    await masters.run('a1', ganeti.acquireMergeLock(owner('merge-f')));
    await masters.run('b1', ganeti.acquireMergeLock(owner('merge-other')));
    assert.deepEqual(planForget(journal).items.filter((i) => i.kind === 'cluster-lock').map((i) => i.host), ['a1', 'b1']);
    await forgetMerge(journal, { runner: masters, force: true });
    assert.ok(!fs.existsSync(masters.lockOf('a1')), 'its own lock released');
    assert.deepEqual(await masters.run('b1', ganeti.readMergeLock()), { state: 'held', owner: owner('merge-other') }, 'another merge\'s lock kept');
  });
});
