/** The journal keeps every command that ended (for the merge report): phase, rollback flag, redacted argv, exit, duration. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import type { Phase } from '../../../src/core/merger/phase';
import { DEFAULT_PLAN_OPTIONS, PHASES, type PhaseId } from '../../../src/core/merger/types';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { Transcript } from '../../../src/core/remote/transcript';
import { expectOutcome } from '../../expect-outcome';

describe('journal: the commands of a merge and its rollback', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-jcmd-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records each ended command with its phase, and the rollback\'s as such, in the saved journal', async () => {
    const transcript = new Transcript();
    const ended = (host: string, argv: string[], exitCode: number | null) => transcript.emit({
      host, argv, exitCode, durationMs: 7, stdoutBytes: 0, stderrBytes: 0, stdinBytes: 0, startedAt: '2026-12-04T00:00:00.000Z', ...(exitCode === null ? { error: 'lost' } : {}),
    });
    const phases = {} as Record<PhaseId, Phase>;
    for (const { id } of PHASES) {
      phases[id] = {
        id,
        async run(ctx) {
          if (id === 'preflight') ended('a1', ['gnt-cluster', 'version'], 0);
          if (id === 'verify-target') ended('a1', ['x'.repeat(2000)], null);
          ctx.intend('did', 'a1');
        },
        async undo() {
          if (id === 'preflight') ended('b1', ['gnt-instance', 'startup', '<redacted>'], 1);
        },
      };
    }
    const file = path.join(dir, 'j.json');
    const engine = new MergeEngine({
      journal: Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] }),
      runner: new ScriptedRunner(() => undefined), prompter: new ScriptedPrompter(), phases, fullRollback: async () => undefined, transcript,
    });
    await expectOutcome(engine.runPhase('preflight'));
    await expectOutcome(engine.runPhase('verify-target'));
    assert.equal((await engine.rollback()).outcome, 'rolled-back');
    const saved = Journal.load(file).doc.commands!;
    assert.deepEqual(saved.map((c) => [c.phase, c.rollback ?? false, c.host, c.exitCode]), [
      ['preflight', false, 'a1', 0], ['verify-target', false, 'a1', null], ['preflight', true, 'b1', 1],
    ]);
    assert.deepEqual(saved[0].argv, ['gnt-cluster', 'version']);
    assert.equal(saved[0].durationMs, 7);
    assert.equal(saved[1].error, 'lost');
    assert.ok(saved[1].argv[0].length < 600, 'a long argv element is cut');
  });
});
