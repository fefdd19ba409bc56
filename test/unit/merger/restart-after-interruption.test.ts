/**
 * Found by the lab fault/crash matrices: `daemon-util start-master` (and start-all) fail on daemons
 * that still run ("start-stop-daemon: matching only on non-root pidfile ... is insecure"). After a
 * failed or interrupted stop, or a re-run of the no-voting start, the phases must stop first.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import type { PreflightFacts } from '../../../src/core/merger/facts';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES, type PhaseId } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { expectOutcome } from '../../expect-outcome';

const node = (name: string) => ({ name, offline: false, role: 'regular' as const, group: 'default' });
const FACTS: PreflightFacts = {
  target: { given: 'alpha', name: 'alpha.example.com', uuid: 'u-a', master: 'a1', version: '3.0.2', major: 3, nodes: [node('a1')], instances: [], groups: [] },
  mergees: [{ given: 'beta', name: 'beta.example.com', uuid: 'u-b', master: 'b1', version: '3.0.2', major: 3, nodes: [node('b1')], instances: [], groups: [] }],
  mergeSummary: 'summary',
};

/** A node whose master daemons run or not; start-master on running ones fails as on Ganeti 3.0. */
function daemonNode() {
  const state = { masterRunning: true, allRunning: true, log: [] as string[] };
  const runner = new ScriptedRunner((host, argv) => {
    const action = argv[0] === 'env' ? `${argv[argv.length - 1]} no-voting` : argv[1];
    if (argv.some((a) => a.endsWith('daemon-util'))) {
      state.log.push(`${host} ${action}`);
      if (action.startsWith('start') && (action.includes('master') ? state.masterRunning : state.allRunning)) {
        return { code: 2, stderr: 'start-stop-daemon: matching only on non-root pidfile /var/run/ganeti/ganeti-wconfd.pid is insecure' };
      }
      if (action === 'stop-master') state.masterRunning = false;
      if (action === 'stop-all') state.allRunning = state.masterRunning = false;
      if (action.startsWith('start-master')) state.masterRunning = true;
      if (action === 'start-all') state.allRunning = state.masterRunning = true;
      return { stdout: '' };
    }
    if (argv[0] === 'gnt-instance') return { stdout: '' };
    if (argv[0] === 'sh' && argv[3] === 'ganeti-merge-back') return { stdout: 'restored\n' };
    return undefined;
  });
  return { state, runner };
}

describe('phases restart daemons safely after an interruption', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-restart-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engineAt(phase: PhaseId, runner: ScriptedRunner): MergeEngine {
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: ['beta'] }, 'merge-unit-2');
    journal.doc.facts = FACTS;
    for (const p of PHASES) {
      if (p.id === phase) break;
      journal.setState(p.id, 'done');
    }
    return new MergeEngine({ journal, runner, prompter: new ScriptedPrompter({ confirm: true }), phases: standardPhases(), fullRollback });
  }

  it('stop-target-master interrupted before its stop: rollback restarts the still running master', async () => {
    const { state, runner } = daemonNode();
    const engine = engineAt('stop-target-master', runner);
    // the phase recorded its intent, then the process died before (or while) stopping
    engine.journal.setState('stop-target-master', 'running');
    engine.journal.addRecord('stop-target-master', 'master-stopped', 'a1');
    const outcome = await engine.rollback();
    assert.equal(outcome.outcome, 'rolled-back', outcome.error);
    assert.deepEqual(state.log, ['a1 stop-master', 'a1 start-master']);
    assert.ok(state.masterRunning);
  });

  it('stop-mergee-daemons interrupted: rollback restarts daemons that never stopped', async () => {
    const { state, runner } = daemonNode();
    const engine = engineAt('stop-mergee-daemons', runner);
    engine.journal.setState('stop-mergee-daemons', 'running');
    engine.journal.addRecord('stop-mergee-daemons', 'daemons-stopped', 'b1');
    const outcome = await engine.rollback();
    assert.equal(outcome.outcome, 'rolled-back', outcome.error);
    assert.deepEqual(state.log.filter((l) => l.startsWith('b1')), ['b1 stop-all', 'b1 start-all']);
  });

  it('start-master-no-voting re-run after a crash: stops the half-started master, then starts it, without asking again', async () => {
    const { state, runner } = daemonNode();
    const engine = engineAt('start-master-no-voting', runner);
    engine.journal.setState('start-master-no-voting', 'running');
    engine.journal.addRecord('start-master-no-voting', 'master-started', 'a1');
    await expectOutcome(engine.runPhase('start-master-no-voting'));
    assert.deepEqual(state.log, ['a1 stop-master', 'a1 start-master no-voting']);
    assert.equal(engine.status('start-master-no-voting').state, 'done');
  });

  it('start-master-no-voting first run: no extra stop', async () => {
    const { state, runner } = daemonNode();
    state.masterRunning = false;
    const engine = engineAt('start-master-no-voting', runner);
    await expectOutcome(engine.runPhase('start-master-no-voting'));
    assert.deepEqual(state.log, ['a1 start-master no-voting']);
  });
});
