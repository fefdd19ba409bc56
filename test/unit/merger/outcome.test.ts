import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { endedWith, outcomeMessage, succeeded } from '../../../src/core/merger/outcome';
import { NotApprovedError, type Phase } from '../../../src/core/merger/phase';
import { DEFAULT_PLAN_OPTIONS, PHASES, type MergerEvent, type PhaseId } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { countingPhases } from './counting-phases';

const OPTIONS = { ...DEFAULT_PLAN_OPTIONS, target: 'clustera', mergees: ['clusterb'] };

/** Every engine operation on the clusters ends in one returned result, never a throw for an end the operator can meet. */
describe('merge engine: one result shape (outcome.ts)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-outcome-'));
    file = path.join(dir, 'merge.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engine(override: Partial<Record<PhaseId, Phase['run']>> = {}, phases = countingPhases([])) {
    for (const [id, run] of Object.entries(override)) phases[id as PhaseId] = { ...phases[id as PhaseId], run: run! };
    return new MergeEngine({
      journal: Journal.create(file, OPTIONS), runner: new ScriptedRunner(() => undefined), prompter: new ScriptedPrompter(), phases,
      fullRollback: async () => undefined,
    });
  }

  it('a phase that runs: done, with the phase; run again: done at once, not run twice', async () => {
    const log: string[] = [];
    const e = engine({}, countingPhases(log));
    assert.deepEqual(await e.runPhase('preflight'), { outcome: 'done', phase: 'preflight' });
    assert.deepEqual(await e.runPhase('preflight'), { outcome: 'done', phase: 'preflight' });
    assert.deepEqual(log, ['run preflight']);
  });

  it('a phase that fails: failed, with the phase and its cause; the journal marks only that phase, not the merge', async () => {
    const e = engine({ 'preflight': async () => { throw new Error('no route to clusterb'); } });
    assert.deepEqual(await e.runPhase('preflight'), { outcome: 'failed', phase: 'preflight', error: 'preflight: no route to clusterb' });
    assert.equal(e.status('preflight').state, 'failed');
    assert.equal(e.status('preflight').error, 'no route to clusterb');
    assert.equal(Journal.load(file).doc.outcome, undefined, 'one phase wrote the merge\'s outcome');
  });

  it('a refusal: refused with the engine\'s reason, nothing run', async () => {
    const log: string[] = [];
    const e = engine({}, countingPhases(log));
    assert.deepEqual(await e.runPhase('snapshot'), { outcome: 'refused', phase: 'snapshot', error: 'snapshot: phase snapshot cannot run before preflight is done' });
    assert.deepEqual(await e.undoLast(), { outcome: 'refused', phase: undefined, error: 'no phase has run yet: nothing to undo' });
    assert.deepEqual(log, []);
    assert.equal(e.status('snapshot').state, 'pending');
  });

  it('busy: a second operation is refused while one runs (not thrown)', async () => {
    let release!: () => void;
    const e = engine({ 'preflight': () => new Promise<void>((resolve) => { release = resolve; }) });
    const first = e.runPhase('preflight');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await e.rollback(), { outcome: 'refused', phase: undefined, error: 'the merge engine is already running a phase or a rollback' });
    assert.deepEqual(await e.runNext(), { outcome: 'refused', phase: 'preflight', error: 'preflight: the merge engine is already running a phase or a rollback' });
    release();
    assert.deepEqual(await first, { outcome: 'done', phase: 'preflight' });
  });

  it('cancelled before it began, and during a phase: cancelled, with the phase', async () => {
    const abort = new AbortController();
    abort.abort();
    const e = engine({ 'verify-target': async (ctx) => { cancel.abort(); ctx.checkpoint(); } });
    const cancel = new AbortController();
    assert.deepEqual(await e.runPhase('preflight', abort.signal), { outcome: 'cancelled', phase: 'preflight', error: 'preflight: the merge was cancelled' });
    assert.equal(e.status('preflight').state, 'pending');
    assert.deepEqual(await e.runPhase('preflight'), { outcome: 'done', phase: 'preflight' });
    assert.deepEqual(await e.runPhase('verify-target', cancel.signal), { outcome: 'cancelled', phase: 'verify-target', error: 'verify-target: the merge was cancelled' });
    assert.equal(e.status('verify-target').error, 'cancelled');
  });

  it('the config not approved: cancelled with the operator\'s no as the cause (as runAll has always said)', async () => {
    const e = engine({ 'preflight': async () => { throw new NotApprovedError('the operator did not approve the merged config'); } });
    assert.deepEqual(await e.runPhase('preflight'), { outcome: 'cancelled', phase: 'preflight', error: 'preflight: the operator did not approve the merged config' });
    const all = await e.runAll();
    assert.deepEqual(all, { outcome: 'cancelled', phase: 'preflight', error: 'preflight: the operator did not approve the merged config' });
    assert.equal(Journal.load(file).doc.outcome, 'cancelled');
  });

  it('runNext names the phase it ran, and says nothing-to-do when every phase is done', async () => {
    const e = engine();
    for (const { id } of PHASES) assert.deepEqual(await e.runNext(), { outcome: 'done', phase: id });
    assert.deepEqual(await e.runNext(), { outcome: 'nothing-to-do' });
  });

  it('undoLast: undone with the phase; a failing undo: failed with its cause and the phase marked', async () => {
    const phases = countingPhases([]);
    const e = engine({}, phases);
    await e.runPhase('preflight');
    await e.runPhase('verify-target');
    assert.deepEqual(await e.undoLast(), { outcome: 'undone', phase: 'verify-target' });
    phases.preflight = { ...phases.preflight, undo: async () => { throw new Error('disk full'); } };
    assert.deepEqual(await e.undoLast(), { outcome: 'failed', phase: 'preflight', error: 'preflight: disk full' });
    assert.equal(e.status('preflight').error, 'undo: disk full');
  });

  it('a whole merge and its rollback end merged and rolled-back, with the finished events as before', async () => {
    const e = engine();
    const finished: MergerEvent[] = [];
    e.onEvent((ev) => { if (ev.type === 'finished') finished.push(ev); });
    assert.deepEqual(await e.runAll(), { outcome: 'merged', phase: undefined, error: undefined });
    assert.deepEqual(await e.resume(), { outcome: 'merged', phase: undefined, error: undefined });
    assert.deepEqual(await e.rollback(), { outcome: 'rolled-back', phase: undefined, error: undefined });
    assert.deepEqual(finished.map((ev) => ev.type === 'finished' && ev.outcome), ['merged', 'merged', 'rolled-back']);
    assert.deepEqual(await e.resume(), { outcome: 'rolled-back' });
  });

  it('a bug still throws: a phase table missing a phase the procedure has', async () => {
    const phases = countingPhases([]);
    delete (phases as Partial<Record<PhaseId, Phase>>).preflight;
    const e = engine({}, phases);
    await assert.rejects(e.runPhase('preflight'), (err: Error) => err.message === 'no phase implements preflight');
    // runAll has always ended a merge on any throw as failed (journaled), a bug included
    assert.deepEqual(await e.runAll(), { outcome: 'failed', phase: 'preflight', error: 'preflight: no phase implements preflight' });
  });

  it('the helpers: the cause without its phase, and which ends are successes', () => {
    const failed = endedWith('failed', 'snapshot', 'snapshot of b1 failed: disk full');
    assert.equal(failed.error, 'snapshot: snapshot of b1 failed: disk full');
    assert.equal(outcomeMessage(failed), 'snapshot of b1 failed: disk full');
    assert.equal(outcomeMessage(endedWith('refused', undefined, 'busy')), 'busy');
    assert.deepEqual(['merged', 'rolled-back', 'done', 'undone', 'nothing-to-do', 'failed', 'refused', 'cancelled'].filter((o) => succeeded({ outcome: o as never })),
      ['merged', 'rolled-back', 'done', 'undone', 'nothing-to-do']);
  });
});
