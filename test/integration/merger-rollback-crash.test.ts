/**
 * A rollback is journaled and resumable (issue 4): the real CLI merges the matrix topology to
 * the end, then `rollback` is SIGKILLed at a point inside the rollback, and a second `rollback`
 * from a new process must still give back the exact preflight state. The kill points cover the
 * full restore past Ganeti's point of no return (daemons being stopped everywhere; one node
 * restored, the other not yet) and the undo of a phase before it (mergee instances restarting).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Journal } from '../../src/core/merger/journal';
import type { StopInstancesPolicy } from '../../src/core/merger/types';
import { useCliLabCases } from './helpers/cli-lab-cases';
import { assertTookOverJournalLock, cliTail as tail, runCli } from './helpers/cli-process';
import { assertSameState, captureLabState } from './helpers/lab-state';

/**
 * Where the rollback is killed: a text of its event log (stderr) and what is in flight then. The
 * merges keep the default stop policy (needed: the lab's instances keep running through the full
 * restore), except where the undo of stop-instances must have instances to start (all).
 */
const KILL_POINTS: { killOn: string; during: string; stopInstances?: StopInstancesPolicy }[] = [
  { killOn: '] stopping Ganeti on', during: 'the full restore, while Ganeti is stopped on every node' },
  { killOn: '] restored ', during: 'the full restore, with one node restored and the others not yet' },
  { killOn: '[stop-instances] undoing', during: 'the undo of stop-instances (stop policy all), after the full restore', stopInstances: 'all' },
];

describe('merger: a rollback SIGKILLed midway is finished by the next rollback', function () {
  const cases = useCliLabCases('gcm-rollback-crash-');

  KILL_POINTS.forEach(({ killOn, during, stopInstances }, i) => {
    it(`killed during ${during}`, async function () {
      this.timeout(10 * 60_000);
      const t0 = Date.now();
      const { lab, topology, ssh } = cases;
      const clusters = [topology.targetCluster, topology.mergeeCluster];
      const before = await cases.startCase();
      const journal = path.join(cases.dir, `case-${i}.json`);

      const merge = await runCli(cases.runArgs(journal, stopInstances));
      assert.equal(merge.code, 0, tail(merge));
      assert.equal(merge.stdout.trim(), 'merged', tail(merge));
      const tMerged = Date.now();

      const killed = await runCli(['rollback', '--journal', journal, ...ssh], killOn);
      assert.ok(killed.killed, `the rollback never printed "${killOn}": ${tail(killed)}`);
      assert.equal(killed.signal, 'SIGKILL', tail(killed));
      const interrupted = Journal.load(journal).doc.rollback;
      assert.equal(interrupted?.state, 'running', `journal after the kill: ${JSON.stringify(interrupted)}`);

      const second = await runCli(['rollback', '--journal', journal, ...ssh]);
      assert.equal(second.code, 0, tail(second));
      assertTookOverJournalLock(second, journal);
      assert.equal(second.stdout.trim(), 'rolled-back', tail(second));
      assert.equal(Journal.load(journal).doc.rollback?.state, 'done');
      assertSameState(before, await captureLabState(lab, clusters), `after a rollback killed during ${during} and a second rollback`);
      cases.endedInPreflight();
      console.log(`        merged in ${((tMerged - t0) / 1000).toFixed(0)} s, rollback killed and finished in ${((Date.now() - tMerged) / 1000).toFixed(0)} s`);
    });
  });
});
