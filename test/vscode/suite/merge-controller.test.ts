import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES, POINT_OF_NO_RETURN, type PhaseId } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { MergeController } from '../../../src/ui/merge/merge-controller';
import { newJournalFile } from '../../../src/ui/merge/merge-journals';
import { contextValues } from '../../../src/ui/merge/merge-context-keys';
import { extensionApi } from './extension-api';

describe('MergeController: one merge at a time', () => {
  let dir: string;
  let controller: MergeController;
  let api: Awaited<ReturnType<typeof extensionApi>>;

  beforeEach(async () => {
    api = await extensionApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-controller-'));
    controller = new MergeController({
      storageDir: dir, settings: api.services.settings, prompter: new ScriptedPrompter(), host: api.services.host,
      progress: api.services.progress, log: api.services.log, approveConfig: async () => undefined,
    });
  });

  afterEach(async () => {
    await controller.close();
    controller.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const plan = { ...DEFAULT_PLAN_OPTIONS, target: 'a.example', mergees: ['b.example'] };

  function journalWith(states: Record<string, 'done' | 'failed'>): string {
    const file = newJournalFile(dir);
    const journal = Journal.create(file, plan);
    for (const [id, state] of Object.entries(states)) journal.setState(id as never, state);
    return file;
  }

  it('a merge that only read (refused preflight) is replaced by a new one', async () => {
    await controller.open(journalWith({ preflight: 'failed' }));
    const engine = await controller.start(plan);
    assert.notStrictEqual(engine.journal.file, undefined);
    assert.strictEqual(controller.snapshot().nextPhase, 'preflight');
    assert.strictEqual(controller.snapshot().canRollBack, false);
  });

  it('a merge that changed a cluster must be resumed or rolled back before another starts', async () => {
    const file = journalWith({ preflight: 'done', 'verify-target': 'done', 'authorize-target-master': 'done', 'stop-instances': 'failed' });
    await controller.open(file);
    await assert.rejects(controller.start(plan), /not finished: resume it or roll it back first/);
    assert.strictEqual(controller.snapshot().journalFile, file, 'the open merge was replaced');
    assert.strictEqual(controller.snapshot().lastUndoable, 'stop-instances');
  });

  /** Every phase before `phase` done. */
  const doneBefore = (phase: PhaseId) => Object.fromEntries(PHASES.slice(0, PHASES.findIndex((p) => p.id === phase)).map((p) => [p.id, 'done' as const]));

  /** The panel's rows and the palette's keys, as the user would see them. */
  function shown() {
    const snapshot = controller.snapshot();
    const panel = api.services.progress.model.state;
    const keys = contextValues(snapshot);
    return {
      engine: controller.engine!.actions(),
      snapshot: snapshot.phases,
      panelRun: panel.phases.filter((p) => p.canRun).map((p) => p.id),
      panelUndo: panel.phases.filter((p) => p.canUndo).map((p) => p.id),
      panelRefusals: Object.fromEntries(panel.phases.map((p) => [p.id, [p.runRefusal, p.undoRefusal]])),
      panelRollBack: panel.canRollBack,
      paletteRun: keys['ganetiMerge.nextPhase'],
      paletteUndo: keys['ganetiMerge.canUndoLast'],
    };
  }

  it('before the point of no return: panel and palette offer exactly what the engine allows, refusals included', async () => {
    await controller.open(journalWith(doneBefore(POINT_OF_NO_RETURN)));
    const s = shown();
    assert.deepStrictEqual(s.snapshot, s.engine);
    assert.deepStrictEqual(s.panelRun, [POINT_OF_NO_RETURN]);
    assert.deepStrictEqual(s.panelUndo, ['write-config']);
    assert.deepStrictEqual(s.panelRefusals, Object.fromEntries(s.engine.map((a) => [a.id, [a.runRefusal, a.undoRefusal]])));
    assert.strictEqual(s.panelRollBack, true);
    assert.strictEqual(s.paletteRun, POINT_OF_NO_RETURN);
    assert.strictEqual(s.paletteUndo, true);
  });

  it('past the point of no return: no Undo anywhere, Run only on the next phase, Roll Back stays', async () => {
    await controller.open(journalWith(doneBefore('readd-nodes')));
    const s = shown();
    assert.deepStrictEqual(s.snapshot, s.engine);
    assert.deepStrictEqual(s.panelRun, ['readd-nodes']);
    assert.deepStrictEqual(s.panelUndo, []);
    assert.match(s.panelRefusals['start-master-no-voting'][1]!, /past the point of no return/);
    assert.strictEqual(s.panelRollBack, true);
    assert.strictEqual(s.paletteRun, 'readd-nodes');
    assert.strictEqual(s.paletteUndo, false);
  });

  it('a refused Run or Undo answers with the engine\'s reason before any question', async () => {
    await controller.open(journalWith(doneBefore('readd-nodes')));
    const run = await controller.runPhase('preflight');
    assert.deepStrictEqual(run, { outcome: 'refused', phase: 'preflight', error: 'preflight: phase preflight is done' });
    const undo = await controller.undoPhase('write-config');
    assert.ok(undo?.outcome === 'refused' && /^write-config: .*past the point of no return/.test(undo.error ?? ''), JSON.stringify(undo));
  });

  it('the tree refreshes when a merge or rollback ends (re-added nodes show as they are now)', async () => {
    await controller.open(journalWith({}));
    let refreshes = 0;
    const sub = controller.onDidChangeShape(() => refreshes++);
    try {
      const outcome = await controller.rollback(true);
      assert.strictEqual(outcome?.outcome, 'rolled-back', JSON.stringify(outcome));
      assert.strictEqual(refreshes, 1);
    } finally {
      sub.dispose();
    }
  });

  it('runs its work under the host\'s progress seam, and a cancel there reaches the engine', async () => {
    const titles: string[] = [];
    const seen: boolean[] = [];
    const errors: string[] = [];
    const host = {
      ...api.services.host,
      showError: async (m: string) => void errors.push(m),
      withProgress: async <T>(o: { title: string }, task: (report: (m: string | undefined) => void, signal: AbortSignal) => Promise<T>) => {
        titles.push(o.title);
        const cancel = new AbortController();
        cancel.abort(); // the operator pressed Cancel at once
        return task(() => undefined, cancel.signal);
      },
    };
    const own = new MergeController({
      storageDir: dir, settings: api.services.settings, prompter: new ScriptedPrompter(), host,
      progress: api.services.progress, log: api.services.log, approveConfig: async () => undefined,
    });
    try {
      await own.open(journalWith({}));
      own.onDidChange((snap) => seen.push(snap.busy));
      const result = await own.runPhase('preflight');
      assert.strictEqual(titles.length, 1);
      assert.match(titles[0], /^Ganeti: Preflight$/);
      assert.deepStrictEqual(result, { outcome: 'cancelled', phase: 'preflight', error: 'preflight: the merge was cancelled' });
      assert.strictEqual(own.engine!.status('preflight').state, 'pending', 'the cancelled phase started anyway');
      assert.deepStrictEqual(errors, [], 'a cancel the operator asked for is shown as an error');
      // a refusal is rendered by the same path: one error with the engine's reason, nothing run
      assert.deepStrictEqual(await own.runPhase('snapshot'), { outcome: 'refused', phase: 'snapshot', error: 'snapshot: phase snapshot cannot run before preflight is done' });
      assert.deepStrictEqual(errors, ['Ganeti: phase snapshot cannot run before preflight is done']);
      assert.strictEqual(titles.length, 1, 'a refused phase still ran under a progress notification');
    } finally {
      await own.close();
      own.dispose();
    }
  });
});
