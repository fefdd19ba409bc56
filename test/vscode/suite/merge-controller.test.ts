import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/remote';
import { MergeController } from '../../../src/ui/merge/merge-controller';
import { newJournalFile } from '../../../src/ui/merge/merge-journals';
import { extensionApi } from './extension-api';

describe('MergeController: one merge at a time', () => {
  let dir: string;
  let controller: MergeController;

  beforeEach(async () => {
    const api = await extensionApi();
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
});
