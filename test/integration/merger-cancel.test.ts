/**
 * Cancellation (issue 4): Ctrl-C (SIGINT) of the real CLI while a phase's remote work is in
 * flight must end the process with the outcome "cancelled" and leave a consistent journal (the
 * phase failed as cancelled, nothing left "running"); from there `resume` completes the merge,
 * or `rollback` gives back the exact preflight state. One case before Ganeti's point of no
 * return, one after it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Journal } from '../../src/core/merger/journal';
import { PHASES, type PhaseId } from '../../src/core/merger/types';
import { assertMergedUnion, useCliLabCases } from './helpers/cli-lab-cases';
import { cliTail as tail, runCli } from './helpers/cli-process';
import { assertSameState, captureLabState } from './helpers/lab-state';

const CASES: { phase: PhaseId; then: 'resume' | 'rollback' }[] = [
  { phase: 'stop-instances', then: 'resume' },
  { phase: 'readd-nodes', then: 'rollback' },
];

describe('merger: Ctrl-C inside a phase leaves a consistent journal', function () {
  const cases = useCliLabCases('gcm-merger-cancel-');

  for (const { phase, then } of CASES) {
    it(`Ctrl-C in ${phase}, then ${then}`, async function () {
      this.timeout(10 * 60_000);
      const { lab, topology, ssh } = cases;
      const clusters = [topology.targetCluster, topology.mergeeCluster];
      const before = await cases.startCase();
      const journal = path.join(cases.dir, `${phase}.json`);

      const run = await runCli(cases.runArgs(journal), `[${phase}] running`, 'SIGINT');
      assert.ok(run.killed, `the CLI never reached ${phase}: ${tail(run)}`);
      // The process ends by itself, reporting the cancellation, not killed by the signal.
      assert.equal(run.signal, null, tail(run));
      assert.equal(run.code, 1, tail(run));
      assert.match(run.stderr, new RegExp(`cancelled in phase ${phase}`), tail(run));
      const doc = Journal.load(journal).doc;
      assert.equal(doc.phases[phase].state, 'failed', JSON.stringify(doc.phases[phase]));
      assert.match(doc.phases[phase].error ?? '', /cancel/i);
      const running = PHASES.filter((p) => ['running', 'undoing'].includes(doc.phases[p.id].state)).map((p) => p.id);
      assert.deepEqual(running, [], 'no phase is left running after a cancel');
      const later = PHASES.slice(PHASES.findIndex((p) => p.id === phase) + 1).filter((p) => doc.phases[p.id].state !== 'pending');
      assert.deepEqual(later.map((p) => p.id), [], 'no later phase started');

      if (then === 'resume') {
        const r = await runCli(['resume', '--yes', '--journal', journal, ...ssh]);
        assert.equal(r.code, 0, tail(r));
        assert.equal(r.stdout.trim(), 'merged', tail(r));
        await assertMergedUnion(cases, before, journal);
      } else {
        const r = await runCli(['rollback', '--journal', journal, ...ssh]);
        assert.equal(r.code, 0, tail(r));
        assert.equal(r.stdout.trim(), 'rolled-back', tail(r));
        assertSameState(before, await captureLabState(lab, clusters), `after Ctrl-C in ${phase} and rollback`);
        cases.endedInPreflight();
      }
    });
  }
});
