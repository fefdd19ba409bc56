import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { countingPhases } from './counting-phases';
import { expectEnd, expectOutcome } from '../../expect-outcome';

describe('MergeEngine.undoLast (Roll Back Last Phase)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-undo-last-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engine(log: string[]) {
    const journal = Journal.create(path.join(dir, 'j.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'a', mergees: ['b'] });
    return new MergeEngine({ journal, runner: new ScriptedRunner(() => undefined), prompter: new ScriptedPrompter(), phases: countingPhases(log), fullRollback: async () => { log.push('full'); } });
  }

  it('undoes only the newest phase; it runs again afresh afterwards', async () => {
    const log: string[] = [];
    const e = engine(log);
    await expectOutcome(e.runNext());
    await expectOutcome(e.runNext());
    assert.equal(e.lastUndoablePhase(), 'verify-target');
    assert.deepEqual(await e.undoLast(), { outcome: 'undone', phase: 'verify-target' });
    assert.equal(e.journal.phase('verify-target').state, 'undone');
    assert.equal(e.journal.phase('preflight').state, 'done');
    assert.equal(e.nextPhase(), 'verify-target');
    await expectOutcome(e.runNext());
    assert.deepEqual(log, ['run preflight', 'run verify-target', 'undo verify-target', 'run verify-target']);
  });

  it('is refused with nothing run, and past the point of no return (only the full rollback is offered)', async () => {
    const log: string[] = [];
    const e = engine(log);
    await expectEnd(e.undoLast(), 'refused', /^no phase has run yet: nothing to undo$/);
    while (e.nextPhase() !== 'readd-nodes') await expectOutcome(e.runNext());
    assert.equal(e.lastUndoablePhase(), undefined);
    await expectEnd(e.undoLast(), 'refused', /^start-master-no-voting: phase start-master-no-voting is past the point of no return/);
    assert.ok(!log.some((l) => l.startsWith('undo')));
  });
});
