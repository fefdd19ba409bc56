// Two editor windows must not both drive one journal (issue 14, item 7): the journal lock seen
// through the real MergeController and the start-up recovery prompt in the extension host.
// (A second window is a second controller; both live in this process, which holds the lock.)
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import type { UiHost } from '../../../src/ui/host';
import { offerRecovery } from '../../../src/ui/merge/journal-recovery';
import { MergeController } from '../../../src/ui/merge/merge-controller';
import { newJournalFile } from '../../../src/ui/merge/merge-journals';
import { extensionApi } from './extension-api';

describe('journal lock: one editor window drives a journal', () => {
  it('a second window cannot open the journal the first drives, and is not offered it at start-up; free once the first closes it', async () => {
    const api = await extensionApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-journal-lock-'));
    const asked: string[] = [];
    const host: UiHost = {
      showInformation: async () => undefined,
      showError: async () => undefined,
      showChoice: async () => undefined,
      showWarning: async (m) => { asked.push(m); return undefined; },
      showInputBox: async () => undefined,
      showQuickPick: async () => undefined,
      showQuickPickMany: async () => undefined,
      withProgress: (_options, task) => task(() => undefined, new AbortController().signal),
    };
    const window = () => new MergeController({
      storageDir: dir, settings: api.services.settings, prompter: new ScriptedPrompter(), host,
      progress: api.services.progress, log: api.services.log, approveConfig: async () => undefined,
    });
    const first = window();
    const second = window();
    try {
      const file = newJournalFile(dir);
      const journal = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'a.example', mergees: ['b.example'] });
      for (const id of ['preflight', 'verify-target', 'authorize-target-master'] as const) journal.setState(id, 'done');
      journal.setState('stop-instances', 'failed');

      await first.open(file);
      await assert.rejects(second.open(file), /E_JOURNAL_LOCKED: journal .* is in use by process \d+ on /);
      const recovery = () => offerRecovery({ storageDir: dir, controller: second, host, progress: api.services.progress, log: api.services.log });
      assert.strictEqual((await recovery()).found, undefined, 'the journal another window drives is not offered');
      assert.deepStrictEqual(asked, []);

      await first.close();
      assert.strictEqual((await recovery()).found?.file, file, 'offered once nobody drives it');
      assert.strictEqual(asked.length, 1);
      await second.open(file);
      assert.strictEqual(second.snapshot().journalFile, file);
    } finally {
      await first.close();
      await second.close();
      first.dispose();
      second.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
