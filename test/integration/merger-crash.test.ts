/**
 * Crash matrix (issue 4): the real CLI (`node dist/cli.js run ...`, built by `npm run build`) is
 * SIGKILLed at one of two points of a phase: `crash-*` as soon as it announces the phase (its
 * first remote command on its way); `sent-*` (issue 17) once the journal records that the phase's
 * mutating command (SENT_COMMAND) was sent and it runs on its node, so it runs on there, orphaned. Then,
 * from a new process, the FIRST `resume` must complete the merge, or (separately) `rollback` must
 * restore the preflight state. CI subset / GCM_MATRIX=full: helpers/merge-matrix.ts.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Journal, type SentCommand } from '../../src/core/merger/journal';
import { PHASES, type PhaseId } from '../../src/core/merger/types';
import { nodeExec } from '../lab/lab';
import { assertMergedUnion, useCliLabCases } from './helpers/cli-lab-cases';
import { assertTookOverJournalLock, cliTail as tail, runCli } from './helpers/cli-process';
import { assertSameState, captureLabState } from './helpers/lab-state';
import { fullMatrix, roleNode, selectedPhases, SENT_COMMAND } from './helpers/merge-matrix';

/** The journal's in-flight commands of `phase` (none while the file is missing or being replaced). */
function sentIn(journal: string, phase: PhaseId): SentCommand[] {
  try {
    return (Journal.load(journal).doc.inFlight ?? []).filter((c) => c.phase === phase);
  } catch {
    return [];
  }
}

/**
 * Resolves true once a command of a merge whose argv contains `wanted` runs on `node` (under some
 * merge's run lock), polling on the node itself: the journal records a command just BEFORE sending
 * it, and a check from here per poll (~0.5 s) misses short commands. Gives up after `seconds`.
 */
async function watchRunning(node: string, wanted: string, seconds: number): Promise<boolean> {
  // ([-]: the pattern must not match the shell running this loop)
  const pattern = `[-]-close /run/lock/ganeti-merge-[^ ]*[.]lock .*${wanted.replace(/[.]/g, '[.]')}`;
  const loop = `i=0; while [ $i -lt ${seconds * 20} ]; do pgrep -f -- ${JSON.stringify(pattern)} >/dev/null && exit 0; sleep 0.05; i=$((i+1)); done; exit 1`;
  return (await nodeExec(node, loop, (seconds + 30) * 1000)).code === 0;
}

describe(`merger crash matrix: SIGKILL of the CLI (${fullMatrix() ? 'full' : 'CI subset'})`, function () {
  const cases = useCliLabCases('gcm-merger-crash-');

  /** Starts the merge in a CLI process and kills it in `phase` (`sent`: with its SENT_COMMAND in flight); returns the journal. */
  async function crashIn(phase: PhaseId, name: string, sent: boolean): Promise<string> {
    const journal = path.join(cases.dir, `${name}-${phase}.json`);
    const wanted: NonNullable<(typeof SENT_COMMAND)[PhaseId]> = SENT_COMMAND[phase] ?? { command: '' };
    let running: boolean | undefined = wanted.node ? undefined : true;
    if (sent && wanted.node) void watchRunning(roleNode(cases.lab, cases.topology, wanted.node), wanted.command, 300).then((r) => (running = r), () => (running = false));
    const killOn = sent ? () => running === true && sentIn(journal, phase).some((c) => c.command.includes(wanted.command)) : `[${phase}] running`;
    const run = await runCli(cases.runArgs(journal, sent ? wanted.stopInstances : undefined), killOn);
    assert.ok(run.killed, `the CLI never reached ${sent ? `the sending of ${JSON.stringify(wanted.command)} in ` : ''}${phase}: ${tail(run)}`);
    assert.equal(run.signal, 'SIGKILL', tail(run));
    const state = Journal.load(journal).phase(phase).state;
    // cleanup runs no remote command: it may complete before the signal lands
    const expected = phase === 'cleanup' ? ['running', 'done'] : ['running'];
    assert.ok(expected.includes(state), `journal says ${phase} is ${state} after the kill`);
    if (sent) assert.ok(sentIn(journal, phase).some((c) => c.command.includes(wanted.command)), 'the journal keeps the sent command after the kill');
    return journal;
  }

  for (const kind of ['crash-resume', 'crash-rollback', 'sent-resume', 'sent-rollback'] as const) {
    const sent = kind.startsWith('sent');
    const resume = kind.endsWith('resume');
    for (const phase of selectedPhases(kind)) {
      const point = sent ? `with ${JSON.stringify(SENT_COMMAND[phase]?.command || 'its first command')} sent` : 'as it starts';
      it(`killed in ${phase} ${point}: ${resume ? 'the first resume completes the merge' : 'rollback restores the preflight state'}`, async function () {
        this.timeout(10 * 60_000);
        const t0 = Date.now();
        const { lab, topology, ssh } = cases;
        const clusters = [topology.targetCluster, topology.mergeeCluster];
        const before = await cases.startCase();
        const journal = await crashIn(phase, kind, sent);
        const tKill = Date.now();
        // the new process first waits for the orphan on its node (engine: settleOrphans)
        const waited = (r: { stderr: string }) => sent && assert.match(r.stderr, /waiting for the interrupted run's command to end/, 'no wait for the orphan');

        if (resume) {
          const r = await runCli(['resume', '--yes', '--journal', journal, ...ssh]);
          assert.equal(r.code, 0, tail(r));
          assertTookOverJournalLock(r, journal);
          waited(r);
          assert.equal(r.stdout.trim(), 'merged', tail(r));
          const doc = Journal.load(journal).doc;
          assert.ok(PHASES.every((p) => doc.phases[p.id].state === 'done'), JSON.stringify(doc.phases));
          // verify-merged (run by the resume) checked verify and the lists; check the union from outside too
          await assertMergedUnion(cases, before, journal);
          const ips = await nodeExec(topology.mergee, 'ip -4 -o addr show dev eth0');
          assert.doesNotMatch(ips.stdout, new RegExp(`${lab.clusters.find((c) => c.name === topology.mergeeCluster)!.ip.replace(/\./g, '\\.')}/`), 'the mergee master IP is gone');
        } else {
          const r = await runCli(['rollback', '--journal', journal, ...ssh]);
          assert.equal(r.code, 0, tail(r));
          assertTookOverJournalLock(r, journal);
          assert.equal(r.stdout.trim(), 'rolled-back', tail(r));
          waited(r);
          assertSameState(before, await captureLabState(lab, clusters), `after a kill in ${phase} and rollback`);
          cases.endedInPreflight();
        }
        console.log(`        ${phase}/${kind}: killed after ${((tKill - t0) / 1000).toFixed(0)} s, ${resume ? 'resumed' : 'rolled back'} in ${((Date.now() - tKill) / 1000).toFixed(0)} s`);
      });
    }
  }
});
