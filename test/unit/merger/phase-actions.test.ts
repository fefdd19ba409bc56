/**
 * MergeEngine.actions: per phase, whether Run and Undo are allowed now and why not. The panel, the
 * palette's context keys (test/vscode/suite/merge-controller.test.ts) and the CLI's `step` show this
 * answer, and runPhase/undoLast obey it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stepCommand } from '../../../src/cli/merge-commands';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES, POINT_OF_NO_RETURN, type PhaseId } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { countingPhases } from './counting-phases';
import { expectEnd, expectOutcome } from '../../expect-outcome';

describe('MergeEngine.actions: what may run or be undone now', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-actions-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engine(journal = Journal.create(path.join(dir, 'j.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'a', mergees: ['b'] })) {
    return new MergeEngine({ journal, runner: new ScriptedRunner(() => undefined), prompter: new ScriptedPrompter(), phases: countingPhases([]), fullRollback: async () => undefined });
  }
  const runnable = (e: MergeEngine) => e.actions().filter((a) => a.canRun).map((a) => a.id);
  const undoable = (e: MergeEngine) => e.actions().filter((a) => a.canUndo).map((a) => a.id);

  it('a new merge: only preflight runs, nothing undoes, every refusal says why', () => {
    const e = engine();
    assert.deepEqual(runnable(e), ['preflight']);
    assert.deepEqual(undoable(e), []);
    const a = e.actions().find((x) => x.id === 'stop-instances')!;
    assert.equal(a.runRefusal, 'phase stop-instances cannot run before preflight is done');
    assert.equal(a.undoRefusal, 'no phase has run yet: nothing to undo');
  });

  it('before the point of no return: the next phase runs and only the newest done phase undoes', async () => {
    const e = engine();
    while (e.nextPhase() !== POINT_OF_NO_RETURN) await expectOutcome(e.runNext());
    assert.deepEqual(runnable(e), [POINT_OF_NO_RETURN]);
    assert.deepEqual(undoable(e), ['write-config']);
    assert.equal(e.actions().find((x) => x.id === 'preflight')!.runRefusal, 'phase preflight is done');
    assert.equal(e.actions().find((x) => x.id === 'preflight')!.undoRefusal, 'only the newest phase (write-config) can be undone on its own; Roll Back undoes everything');
    await expectEnd(e.runPhase('readd-nodes'), 'refused', /^readd-nodes: phase readd-nodes cannot run before start-master-no-voting is done$/);
  });

  it('past the point of no return: no phase undoes on its own, and undoLast is refused with the same reason', async () => {
    const e = engine();
    while (e.nextPhase() !== 'readd-nodes') await expectOutcome(e.runNext());
    assert.deepEqual(runnable(e), ['readd-nodes']);
    assert.deepEqual(undoable(e), []);
    const why = `phase ${POINT_OF_NO_RETURN} is past the point of no return (${POINT_OF_NO_RETURN}): only a full rollback restores the clusters`;
    assert.ok(e.actions().every((a) => a.undoRefusal === why));
    await expectEnd(e.undoLast(), 'refused', (error) => error === `start-master-no-voting: ${why}`);
  });

  it('while the engine works, nothing else runs or undoes; after a rollback nothing runs', async () => {
    const e = engine();
    await expectOutcome(e.runNext());
    let seen: ReturnType<MergeEngine['actions']> = [];
    e.onEvent((ev) => { if (ev.type === 'phase' && ev.phase.state === 'running') seen = e.actions(); });
    await expectOutcome(e.runNext());
    assert.ok(seen.length === PHASES.length && seen.every((a) => !a.canRun && !a.canUndo && /already running/.test(a.runRefusal!)));
    await e.rollback();
    assert.deepEqual(runnable(e), []);
    assert.match(e.actions()[0].runRefusal!, /being rolled back \(done\)/);
  });

  it('ganeti-merge step PHASE obeys the same answer (refused with the reason, nothing run)', async () => {
    const file = path.join(dir, 'step.json');
    const journal = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'a', mergees: ['b'] });
    for (const { id } of PHASES.slice(0, PHASES.findIndex((p) => p.id === 'readd-nodes'))) journal.setState(id as PhaseId, 'done');
    let stderr = '';
    const code = await stepCommand.run(['--journal', file, 'preflight'], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    assert.equal(code, 1);
    assert.equal(stderr, 'ganeti-merge step: refused: phase preflight is done\n');
    const before = await stepCommand.run(['--journal', file, 'cleanup'], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    assert.equal(before, 1);
    assert.match(stderr, /refused: phase cleanup cannot run before readd-nodes is done\n$/);
  });
});
