/**
 * Crash matrix (issue 4): the real CLI (`node dist/cli.js run ...`, built by `npm run build`) is
 * SIGKILLed as soon as it announces a phase, i.e. with that phase's first remote command in
 * flight. Then, from a new process, `resume` must complete the merge, or (separately)
 * `rollback` must restore the preflight state. CI subset / GCM_MATRIX=full: helpers/merge-matrix.ts.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Journal } from '../../src/core/merger/journal';
import { PHASES, type PhaseId } from '../../src/core/merger/types';
import { nodeExec } from '../lab/lab';
import { assertMergedUnion, useCliLabCases } from './helpers/cli-lab-cases';
import { clearStaleJournalLock, cliTail as tail, runCli } from './helpers/cli-process';
import { assertSameState, captureLabState } from './helpers/lab-state';
import { fullMatrix, selectedPhases } from './helpers/merge-matrix';

describe(`merger crash matrix: SIGKILL of the CLI (${fullMatrix() ? 'full' : 'CI subset'})`, function () {
  const cases = useCliLabCases('gcm-merger-crash-');

  /** Starts the merge in a CLI process and kills it in `phase`; returns the journal. */
  async function crashIn(phase: PhaseId, name: string): Promise<string> {
    const journal = path.join(cases.dir, `${name}-${phase}.json`);
    const run = await runCli(cases.runArgs(journal), `[${phase}] running`);
    assert.ok(run.killed, `the CLI never reached ${phase}: ${tail(run)}`);
    assert.equal(run.signal, 'SIGKILL', tail(run));
    const state = Journal.load(journal).phase(phase).state;
    // cleanup runs no remote command: it may complete before the signal lands
    const expected = phase === 'cleanup' ? ['running', 'done'] : ['running'];
    assert.ok(expected.includes(state), `journal says ${phase} is ${state} after the kill`);
    return journal;
  }

  for (const kind of ['crash-resume', 'crash-rollback'] as const) {
    for (const phase of selectedPhases(kind)) {
      it(`killed in ${phase}: ${kind === 'crash-resume' ? 'resume completes the merge' : 'rollback restores the preflight state'}`, async function () {
        this.timeout(10 * 60_000);
        const t0 = Date.now();
        const { lab, topology, ssh } = cases;
        const clusters = [topology.targetCluster, topology.mergeeCluster];
        const before = await cases.startCase();
        const journal = await crashIn(phase, kind);
        const tKill = Date.now();

        const retry = kind === 'crash-resume' ? ['resume', '--yes', '--journal', journal, ...ssh] : ['rollback', '--journal', journal, ...ssh];
        await clearStaleJournalLock(journal, retry);
        if (kind === 'crash-resume') {
          const r = await runCli(retry);
          assert.equal(r.code, 0, tail(r));
          assert.equal(r.stdout.trim(), 'merged', tail(r));
          const doc = Journal.load(journal).doc;
          assert.ok(PHASES.every((p) => doc.phases[p.id].state === 'done'), JSON.stringify(doc.phases));
          // verify-merged (run by the resume) checked verify and the lists; check the union from outside too
          await assertMergedUnion(cases, before);
          const ips = await nodeExec(topology.mergee, 'ip -4 -o addr show dev eth0');
          assert.doesNotMatch(ips.stdout, new RegExp(`${lab.clusters.find((c) => c.name === topology.mergeeCluster)!.ip.replace(/\./g, '\\.')}/`), 'the mergee master IP is gone');
        } else {
          const r = await runCli(retry);
          assert.equal(r.code, 0, tail(r));
          assert.equal(r.stdout.trim(), 'rolled-back', tail(r));
          assertSameState(before, await captureLabState(lab, clusters), `after a kill in ${phase} and rollback`);
          cases.endedInPreflight();
        }
        console.log(`        ${phase}/${kind}: killed after ${((tKill - t0) / 1000).toFixed(0)} s, ${kind === 'crash-resume' ? 'resumed' : 'rolled back'} in ${((Date.now() - tKill) / 1000).toFixed(0)} s`);
      });
    }
  }
});
