/**
 * Issue 17: a run killed while a remote command was in flight leaves that command running on the
 * node (OpenSSH does not end it). The engine journals each command before sending it and runs it
 * under the merge's run lock; the next run first waits on those hosts until the lock is free.
 * Here: the engine's bookkeeping with a scripted runner, and flock's real semantics on this machine.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import type { Phase } from '../../../src/core/merger/phase';
import { DEFAULT_PLAN_OPTIONS, PHASES, type PhaseId } from '../../../src/core/merger/types';
import { ignoreOutput, type RemoteCommand } from '../../../src/core/remote/command';
import { RemoteError } from '../../../src/core/remote/errors';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { shellQuote } from '../../../src/core/remote/quote';
import { runLockPath, underRunLock, waitForRunLock } from '../../../src/core/remote/run-lock';
import { ScriptedRunner, type ScriptedHandler } from '../../../src/core/remote/scripted-runner';
import { LocalShellRunner } from '../remote/local-runner';
import { expectEnd, expectOutcome } from '../../expect-outcome';

const command = (...argv: string[]): RemoteCommand<void> => ({ argv, parse: ignoreOutput });

/** Phases that each run `<phase id>` on host a1 and undo with `undo <phase id>`. */
function phases(): Record<PhaseId, Phase> {
  const all = {} as Record<PhaseId, Phase>;
  for (const { id } of PHASES) {
    all[id] = { id, run: (ctx) => ctx.run('a1', command(id)), undo: (ctx) => ctx.run('a1', command('undo', id)) };
  }
  return all;
}

describe('merge engine: commands left running by a killed run', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-orphan-'));
    file = path.join(dir, 'merge.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const engine = (journal: Journal, handler: ScriptedHandler) => {
    const runner = new ScriptedRunner(handler);
    const e = new MergeEngine({ journal, runner, prompter: new ScriptedPrompter(), phases: phases(), fullRollback: async () => undefined, orphanWaitSeconds: 7 });
    return { e, runner };
  };

  /** A journal as a run killed in `phase` leaves it: earlier phases done, the phase running, a command sent to each host. */
  function crashedIn(phase: PhaseId, hosts: string[]): Journal {
    const journal = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: ['beta'] }, 'merge-unit-17');
    for (const p of PHASES) {
      if (p.id === phase) break;
      journal.setState(p.id, 'done');
    }
    journal.setState(phase, 'running');
    for (const h of hosts) journal.commandSent(phase, h, `/usr/lib/ganeti/daemon-util start-master on ${h}`);
    return Journal.load(file); // what the next process reads
  }

  it('journals a command durably before sending it, runs it under the run lock, forgets it once it returned', async () => {
    const journal = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: ['beta'] }, 'merge-unit-17');
    const seenOnDisk: unknown[] = [];
    const { e, runner } = engine(journal, (_host, argv) => {
      seenOnDisk.push(Journal.load(file).doc.inFlight?.map((c) => `${c.phase} ${c.host} ${c.command}`));
      return argv[0] === 'verify-target' ? { code: 3, stderr: 'broken' } : { stdout: '' };
    });
    await expectOutcome(e.runPhase('preflight'));
    await expectEnd(e.runPhase('verify-target'), 'failed', /^verify-target: .*exited with code 3/);
    assert.deepEqual(seenOnDisk, [['preflight a1 preflight'], ['verify-target a1 verify-target']]);
    assert.deepEqual(runner.calls.map((c) => c.runLock), [runLockPath('merge-unit-17'), runLockPath('merge-unit-17')]);
    assert.equal(runLockPath('merge-unit-17'), '/run/lock/ganeti-merge-merge-unit-17.lock');
    // returned (even failed) commands are not left behind, so the next run does not wait for them
    assert.equal(Journal.load(file).doc.inFlight, undefined);
  });

  it('resume first waits on every host with an unreturned command, then re-runs the phase, and forgets them', async () => {
    const journal = crashedIn('start-master-no-voting', ['a1', 'b1']);
    const { e, runner } = engine(journal, () => ({ stdout: '' }));
    const outcome = await e.resume();
    assert.equal(outcome.outcome, 'merged');
    const wait = (h: string) => `${h} flock --exclusive --wait 7 ${runLockPath('merge-unit-17')} true`;
    const calls = runner.calls.map((c) => `${c.host} ${c.argv.join(' ')}`);
    assert.deepEqual(calls.slice(0, 3).sort(), [wait('a1'), wait('b1'), 'a1 start-master-no-voting'].sort());
    assert.equal(calls[2], 'a1 start-master-no-voting', 'the phase acts only after both waits');
    // the waits themselves are not journaled nor run under the lock (they take it exclusively)
    assert.deepEqual(runner.calls.slice(0, 2).map((c) => c.runLock), [undefined, undefined]);
    assert.equal(calls.filter((c) => c.includes('flock')).length, 2, 'waits only once');
    assert.equal(Journal.load(file).doc.inFlight, undefined);
  });

  it('an orphan still running after the wait: ORPHAN_RUNNING, nothing acts, the journal keeps the commands', async () => {
    const journal = crashedIn('readd-nodes', ['a1']);
    const { e, runner } = engine(journal, (_h, argv) => (argv[0] === 'flock' ? { code: 1 } : { stdout: '' }));
    const outcome = await e.resume();
    assert.equal(outcome.outcome, 'failed');
    assert.match(outcome.error!, /^readd-nodes: ORPHAN_RUNNING: a1: a command of the interrupted run still runs after 7 s \(\/usr\/lib\/ganeti\/daemon-util start-master on a1\)/);
    assert.deepEqual(runner.calls.map((c) => c.argv[0]), ['flock']);
    const after = Journal.load(file).doc;
    assert.equal(after.inFlight?.length, 1);
    assert.equal(after.phases['readd-nodes'].state, 'running', 'the phase was not started again');
  });

  it('rollback and undo-last wait first too', async () => {
    const journal = crashedIn('stop-instances', ['b1']);
    const { e, runner } = engine(journal, () => ({ stdout: '' }));
    assert.equal((await e.rollback()).outcome, 'rolled-back');
    assert.equal(runner.calls[0].argv[0], 'flock');
    assert.equal(runner.calls[0].host, 'b1');
    assert.deepEqual(runner.calls[1].argv, ['undo', 'stop-instances']);

    fs.rmSync(file);
    const again = crashedIn('pause-watchers', ['a1']);
    const second = engine(again, () => ({ stdout: '' }));
    assert.deepEqual(await second.e.undoLast(), { outcome: 'undone', phase: 'pause-watchers' });
    assert.deepEqual(second.runner.calls.map((c) => c.argv[0]), ['flock', 'undo']);
  });
});

describe('run lock: flock on a real shell', () => {
  let dir: string;
  let lock: string;
  const local = new LocalShellRunner();
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-runlock-'));
    lock = path.join(dir, 'merge.lock');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Starts `script` under the lock like a command whose client then died: nobody waits for it. Resolves once it holds the lock. */
  async function orphan(script: string) {
    const started = path.join(dir, 'started');
    const child = spawn('sh', ['-c', shellQuote(underRunLock(lock, ['sh', '-c', `: > ${started}; ${script}`]))], { stdio: 'ignore' });
    while (!fs.existsSync(started)) await new Promise((resolve) => setTimeout(resolve, 20));
    return child;
  }

  it('the wait returns only once the orphan has finished', async () => {
    const marker = path.join(dir, 'finished');
    await orphan(`sleep 1; echo done > ${marker}`);
    assert.ok(!fs.existsSync(marker));
    await local.run('h', waitForRunLock(lock, 20));
    assert.ok(fs.existsSync(marker), 'the orphan ran to its end before the wait returned');
  });

  it('commands of one run share the lock; a busy lock past the wait is exit 1', async () => {
    const child = await orphan('sleep 3');
    await local.run('h', command('true'), { runLock: lock }); // not blocked by the orphan's shared hold
    const t0 = Date.now();
    await assert.rejects(local.run('h', waitForRunLock(lock, 1)), (err: unknown) => err instanceof RemoteError && err.exitCode === 1);
    assert.ok(Date.now() - t0 >= 900, 'waited about a second');
    child.kill('SIGKILL');
  });

  it('a daemon started by the command does not inherit the lock', async () => {
    const out = await local.run('h', { argv: ['sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], parse: (r) => r.stdout.toString().trim() }, { runLock: lock });
    try {
      await local.run('h', waitForRunLock(lock, 0));
    } finally {
      process.kill(Number(out), 'SIGKILL');
    }
  });
});
