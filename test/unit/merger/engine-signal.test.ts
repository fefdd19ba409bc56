import * as assert from 'node:assert/strict';
import { getMaxListeners } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { ALPHA_BETA_FACTS } from './scripted-facts';
import { expectOutcome } from '../../expect-outcome';

describe('MergeEngine: the phase signal', () => {
  it('takes one abort listener per command in flight without Node\'s leak warning (more than 10 at once)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-signal-'));
    try {
      const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, concurrency: 8, target: 'alpha', mergees: ['beta'] }, 'merge-unit-signal');
      journal.doc.facts = ALPHA_BETA_FACTS;
      for (const p of PHASES) {
        if (p.id === 'redistribute') break;
        journal.setState(p.id, 'done');
      }
      const runner = new ScriptedRunner((_host, argv) => (argv[0] === 'gnt-cluster' ? { stdout: '' } : undefined));
      const engine = new MergeEngine({ journal, runner, prompter: new ScriptedPrompter({ confirm: true }), phases: standardPhases(), fullRollback });
      const signal = new AbortController().signal;
      await expectOutcome(engine.runPhase('redistribute', signal));
      assert.ok(getMaxListeners(signal) >= 4 * (8 + 1 + 1), `max listeners ${getMaxListeners(signal)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
