import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine, type FullRollback } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { CancelledError, type Phase } from '../../../src/core/merger/phase';
import { DEFAULT_PLAN_OPTIONS, PHASES, type MergerEvent, type PhaseId } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { expectEnd, expectOutcome } from '../../expect-outcome';

const OPTIONS = { ...DEFAULT_PLAN_OPTIONS, target: 'clustera', mergees: ['clusterb'] };
const IDS = PHASES.map((p) => p.id);

/** Fake phases: each records an intent, then logs its run/undo; `fail` makes a phase throw once per entry. */
function fakePhases(log: string[], fail: Partial<Record<PhaseId, number>> = {}): Record<PhaseId, Phase> {
  const phases = {} as Record<PhaseId, Phase>;
  for (const id of IDS) {
    phases[id] = {
      id,
      async run(ctx) {
        const record = ctx.intend('did', 'host', { phase: id });
        log.push(`run ${id}`);
        if ((fail[id] ?? 0) > 0) {
          fail[id]!--;
          throw new Error(`${id} broke`);
        }
        ctx.confirm(record);
      },
      async undo(ctx) {
        log.push(`undo ${id} records=${ctx.records('did').length}`);
      },
    };
  }
  return phases;
}

describe('merge engine (fake phases)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-engine-'));
    file = path.join(dir, 'merge.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engine(log: string[], opts: { fail?: Partial<Record<PhaseId, number>>; full?: FullRollback; journal?: Journal } = {}) {
    return new MergeEngine({
      journal: opts.journal ?? Journal.create(file, OPTIONS),
      runner: new ScriptedRunner(() => undefined),
      prompter: new ScriptedPrompter(),
      phases: fakePhases(log, opts.fail),
      fullRollback: opts.full ?? (async () => { log.push('full-rollback'); }),
    });
  }

  it('runs every phase once, in order, with running/done events, and reports merged', async () => {
    const log: string[] = [];
    const e = engine(log);
    const events: MergerEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    const outcome = await e.runAll();
    assert.equal(outcome.outcome, 'merged');
    assert.deepEqual(log, IDS.map((id) => `run ${id}`));
    const phaseEvents = events.filter((ev) => ev.type === 'phase').map((ev) => ev.type === 'phase' && `${ev.phase.id}:${ev.phase.state}`);
    assert.deepEqual(phaseEvents, IDS.flatMap((id) => [`${id}:running`, `${id}:done`]));
    assert.deepEqual(events[events.length - 1], { type: 'finished', outcome: 'merged', error: undefined });
    assert.equal(Journal.load(file).doc.outcome, 'merged');
  });

  it('stops at a failing phase; the journal says where and why; the next run retries that phase', async () => {
    const log: string[] = [];
    const e = engine(log, { fail: { 'stop-instances': 1 } });
    const outcome = await e.runAll();
    assert.deepEqual(outcome, { outcome: 'failed', phase: 'stop-instances', error: 'stop-instances: stop-instances broke' });
    const j = Journal.load(file);
    assert.equal(j.phase('stop-instances').state, 'failed');
    assert.equal(j.phase('stop-instances').error, 'stop-instances broke');
    assert.equal(j.phase('pause-watchers').state, 'pending');
    log.length = 0;
    assert.deepEqual(await e.runNext(), { outcome: 'done', phase: 'stop-instances' });
    assert.deepEqual(log, ['run stop-instances']);
    // The retry found the intent recorded by the failed attempt instead of adding another.
    assert.equal(e.journal.records('stop-instances').length, 1);
    assert.equal(e.journal.records('stop-instances')[0].done, true);
  });

  it('refuses to run a phase before the earlier ones are done', async () => {
    const e = engine([]);
    await expectEnd(e.runPhase('snapshot'), 'refused', /^snapshot: phase snapshot cannot run before preflight is done$/);
    assert.equal(e.journal.phase('snapshot').state, 'pending');
  });

  it('rollback before the point of no return undoes touched phases in reverse, the half-done one included', async () => {
    const log: string[] = [];
    const e = engine(log, { fail: { 'remove-master-ips': 1 } });
    await e.runAll();
    log.length = 0;
    const outcome = await e.rollback();
    assert.equal(outcome.outcome, 'rolled-back');
    const touched = IDS.slice(0, IDS.indexOf('remove-master-ips') + 1).reverse();
    assert.deepEqual(log, touched.map((id) => `undo ${id} records=1`));
    assert.ok(!log.includes('full-rollback'));
    for (const id of IDS) assert.equal(e.journal.phase(id).state, touched.includes(id) ? 'undone' : 'pending', id);
    await expectEnd(e.runPhase('verify-target'), 'refused', /^verify-target: .*being rolled back/);
  });

  it('rollback after the last phase: full restore once (it restarts the daemons), then phases before stop-mergee-daemons in reverse', async () => {
    const log: string[] = [];
    const e = engine(log);
    await e.runAll();
    log.length = 0;
    assert.equal((await e.rollback()).outcome, 'rolled-back');
    const regular = IDS.slice(0, IDS.indexOf('stop-mergee-daemons')).reverse();
    assert.deepEqual(log, ['full-rollback', ...regular.map((id) => `undo ${id} records=1`)]);
    assert.ok(e.statuses().every((s) => s.state === 'undone'));
    assert.equal(Journal.load(file).doc.outcome, 'rolled-back');
  });

  it('an interrupted rollback resumes from the journal and does not repeat a completed full restore', async () => {
    const log: string[] = [];
    let brokenUndo = true;
    const first = engine(log);
    await first.runAll();
    // The undo of phase 4 fails once (e.g. a master not answering yet).
    const phases = fakePhases(log);
    const undo4 = phases['pause-watchers'].undo!;
    phases['pause-watchers'] = { ...phases['pause-watchers'], undo: async (ctx) => {
      if (brokenUndo) throw new Error('watcher continue failed');
      return undo4(ctx);
    } };
    const mk = () => new MergeEngine({
      journal: Journal.load(file), runner: new ScriptedRunner(() => undefined), prompter: new ScriptedPrompter(), phases,
      fullRollback: async () => { log.push('full-rollback'); },
    });
    log.length = 0;
    const failed = await mk().rollback();
    assert.equal(failed.outcome, 'failed');
    assert.equal(failed.phase, 'pause-watchers');
    assert.equal(Journal.load(file).doc.rollback?.state, 'failed');
    brokenUndo = false;
    log.length = 0;
    const resumed = await mk().resume();
    assert.equal(resumed.outcome, 'rolled-back');
    assert.deepEqual(log, ['undo pause-watchers records=1', 'undo stop-instances records=1', 'undo authorize-target-master records=1', 'undo verify-target records=1', 'undo preflight records=1']);
  });

  it('a phase caught running by a crash is re-run on resume with its recorded intent', async () => {
    const log: string[] = [];
    const e = engine(log);
    await expectOutcome(e.runPhase('preflight'));
    // Simulate a crash in the middle of verify-target: state running, intent recorded, not confirmed.
    e.journal.setState('verify-target', 'running');
    e.journal.addRecord('verify-target', 'did', 'host', { phase: 'verify-target' });
    log.length = 0;
    const resumed = engine(log, { journal: Journal.load(file) });
    assert.equal((await resumed.resume()).outcome, 'merged');
    assert.equal(log[0], 'run verify-target');
    assert.equal(resumed.journal.records('verify-target').length, 1);
  });

  it('cancellation inside a phase marks it failed "cancelled" and the outcome cancelled', async () => {
    const controller = new AbortController();
    const phases = fakePhases([]);
    phases['pause-watchers'] = { id: 'pause-watchers', async run(ctx) {
      controller.abort();
      ctx.checkpoint();
    } };
    const e = new MergeEngine({
      journal: Journal.create(file, OPTIONS), runner: new ScriptedRunner(() => undefined), prompter: new ScriptedPrompter(), phases,
      fullRollback: async () => undefined,
    });
    const outcome = await e.runAll(controller.signal);
    assert.equal(outcome.outcome, 'cancelled');
    assert.equal(e.journal.phase('pause-watchers').state, 'failed');
    assert.equal(e.journal.phase('pause-watchers').error, 'cancelled');
    assert.equal(e.journal.phase('snapshot').state, 'pending');
    await expectEnd(e.runNext(controller.signal), 'cancelled', (error) => error === `pause-watchers: ${new CancelledError().message}`);
  });

  it('runs one thing at a time', async () => {
    const e = engine([]);
    const a = e.runAll();
    await expectEnd(e.rollback(), 'refused', /^the merge engine is already running/);
    assert.equal((await a).outcome, 'merged');
  });
});
