import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES, type RestartPolicy } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { allSettled } from '../../../src/core/phases/common';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { ALPHA_BETA_FACTS } from './scripted-facts';
import { expectOutcome } from '../../expect-outcome';

/** The target master's instances and their Ganeti status; startup makes the named ones run. */
function targetMaster(status: Record<string, string>) {
  const runner = new ScriptedRunner((host, argv) => {
    assert.equal(host, 'a1');
    if (argv[0] === 'gnt-instance' && argv[1] === 'list') {
      return { stdout: Object.entries(status).map(([name, s]) => `${name}|${s}|a1`).join('\n') };
    }
    if (argv[0] === 'gnt-instance' && argv[1] === 'startup') {
      for (const name of argv.slice(argv.indexOf('--') + 1)) status[name] = 'running';
      return { stdout: '' };
    }
    return undefined;
  });
  const startups = () => runner.calls.filter((c) => c.argv[1] === 'startup').map((c) => c.argv.slice(2));
  return { runner, startups };
}

describe('start-instances phase', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-start-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engineAt(runner: ScriptedRunner, restart: RestartPolicy, ranBefore: string[] = []) {
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, restart, target: 'alpha', mergees: ['beta'] }, 'merge-unit-start');
    journal.doc.facts = ALPHA_BETA_FACTS;
    for (const p of PHASES) {
      if (p.id === 'start-instances') break;
      journal.setState(p.id, 'done');
    }
    const record = journal.addRecord('stop-instances', 'running-instances', 'b1', { cluster: 'beta.example.com', names: ranBefore });
    journal.completeRecord(record);
    return new MergeEngine({ journal, runner, prompter: new ScriptedPrompter({ confirm: true }), phases: standardPhases(), fullRollback });
  }

  it('restart=all starts, by name and in one command, only the instances that do not run (ERROR_up too)', async () => {
    const { runner, startups } = targetMaster({ 'ia1': 'running', 'ib1': 'ADMIN_down', 'ib2': 'ERROR_up', 'ib3': 'ADMIN_down' });
    const engine = engineAt(runner, 'all');
    await expectOutcome(engine.runPhase('start-instances'));
    assert.deepEqual(startups(), [['--force-multiple', '--', 'ib1', 'ib2', 'ib3']]);
    const [record] = engine.journal.records('start-instances', 'instances-started');
    assert.deepEqual([record.data.names, record.done], [['ib1', 'ib2', 'ib3'], true]);
  });

  it('restart=all with everything running already: no startup command at all', async () => {
    const { runner, startups } = targetMaster({ 'ia1': 'running', 'ib1': 'running' });
    const engine = engineAt(runner, 'all');
    await expectOutcome(engine.runPhase('start-instances'));
    assert.deepEqual(startups(), []);
    assert.equal(engine.status('start-instances').state, 'done');
  });

  it('restart=up starts only what ran before the merge, never the target\'s stopped instances', async () => {
    const { runner, startups } = targetMaster({ 'ia1': 'ADMIN_down', 'ib1': 'ADMIN_down', 'ib2': 'ADMIN_down' });
    const engine = engineAt(runner, 'up', ['ib2']);
    await expectOutcome(engine.runPhase('start-instances'));
    assert.deepEqual(startups(), [['--force-multiple', '--', 'ib2']]);
  });

  it('a re-run after an interruption mid-start asks again and starts only what still does not run', async () => {
    const { runner, startups } = targetMaster({ 'ia1': 'running', 'ib1': 'running', 'ib2': 'ADMIN_down' });
    const engine = engineAt(runner, 'all');
    // the phase recorded its intent for both, then the process died after ib1 had started
    engine.journal.setState('start-instances', 'running');
    engine.journal.addRecord('start-instances', 'instances-started', 'a1', { policy: 'all', names: ['ib1', 'ib2'] });
    await expectOutcome(engine.runPhase('start-instances'));
    assert.deepEqual(startups(), [['--force-multiple', '--', 'ib2']]);
    assert.equal(engine.journal.records('start-instances', 'instances-started').length, 1);
    assert.ok(engine.journal.records('start-instances', 'instances-started')[0].done);
  });

  it('restart=none neither lists nor starts anything', async () => {
    const { runner } = targetMaster({ 'ib1': 'ADMIN_down' });
    const engine = engineAt(runner, 'none');
    await expectOutcome(engine.runPhase('start-instances'));
    assert.deepEqual(runner.calls, []);
  });
});

describe('allSettled (concurrent remote reads inside a phase)', () => {
  it('returns every value in order', async () => {
    assert.deepEqual(await allSettled([Promise.resolve(1), Promise.resolve('two')]), [1, 'two']);
  });

  it('waits for every operation before rethrowing the first failure', async () => {
    let slowDone = false;
    const slow = new Promise<void>((resolve) => setTimeout(() => { slowDone = true; resolve(); }, 20));
    await assert.rejects(allSettled([Promise.reject(new Error('verify failed')), slow]), /verify failed/);
    assert.ok(slowDone, 'the slow operation had finished before the failure was rethrown');
  });
});
