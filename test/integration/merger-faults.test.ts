/**
 * Fault matrix (issue 4): for a phase, (a) a remote command it runs fails on a node, (b) a node it
 * needs loses its link. The engine must stop in exactly that phase; once the fault is gone a
 * rollback on command must bring the clusters back to their preflight state (helpers/lab-state).
 * The CI subset and GCM_MATRIX=full are chosen in helpers/merge-matrix.ts.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../../src/core/session/create';
import { PHASES, POINT_OF_NO_RETURN, type PhaseId } from '../../src/core/merger/types';
import { READDED_NODES_KNOWN_HOSTS, WorkFiles } from '../../src/core/merger/work-files';
import { ganeti } from '../../src/core/remote';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { SshCommandRunner } from '../../src/core/remote/runner';
import { SshPool } from '../../src/core/remote/transport';
import { clearFaults, injectFault, LAB_MERGE_POLICIES, LabInfo, labReset, labUp, requireLab } from '../lab/lab';
import { assertSameState, captureLabState } from './helpers/lab-state';
import { expectOutcome } from '../expect-outcome';
import { faultFor, fullMatrix, matrixTopology, selectedPhases, type MatrixTopology } from './helpers/merge-matrix';

const index = (id: PhaseId) => PHASES.findIndex((p) => p.id === id);

describe(`merger fault matrix (${fullMatrix() ? 'full' : 'CI subset'})`, function () {
  let lab: LabInfo;
  let topology: MatrixTopology;
  let dir: string;
  // A case that ended in the checked preflight state spares the next one a reset (~15-20 s).
  let preflightState = false;

  before(async function () {
    requireLab(this);
    this.timeout(10 * 60_000);
    lab = await labUp();
    topology = matrixTopology(lab);
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-merger-faults-'));
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
    // leave the lab as the next suite expects it, even after a failed case
    if (lab) await clearFaults();
    if (lab && !preflightState) await labReset();
  });

  for (const kind of ['fail-command', 'link-down'] as const) {
    for (const phase of selectedPhases(kind)) {
      it(`${kind} in ${phase}: stops there, rollback restores the preflight state`, async function () {
        this.timeout(10 * 60_000);
        const t0 = Date.now();
        if (!preflightState) await labReset();
        preflightState = false;
        const { node, fault } = faultFor(lab, topology, phase, kind)!;
        const clusters = [topology.targetCluster, topology.mergeeCluster];
        const before = await captureLabState(lab, clusters);

        const journal = path.join(dir, `${kind}-${phase}.json`);
        const prompter = new ScriptedPrompter({ hostKey: false, confirm: true });
        // Short keepalives: a dropped link is noticed in seconds, not in a minute.
        const pool = new SshPool({
          prompter, sshConfigPath: lab.sshConfig, knownHostsPath: lab.knownHosts, agentSocket: null,
          connectTimeoutMs: 5_000, keepaliveIntervalMs: 1_000, keepaliveCountMax: 3,
          alsoTrustedKnownHostsPaths: [WorkFiles.forJournal(journal).pathOf(READDED_NODES_KNOWN_HOSTS)],
        });
        try {
          const engine = startMerge(journal, {
            target: topology.target, mergees: [topology.mergee], ...LAB_MERGE_POLICIES, restart: 'all',
            ignoredVerifyCodes: lab.verifyIgnoreErrors, concurrency: 4,
          }, { runner: new SshCommandRunner(pool), prompter, transcript: pool.transcript });
          for (const p of PHASES.slice(0, index(phase))) await expectOutcome(engine.runPhase(p.id));
          // The fault comes once the pool has live sessions to the node (earlier phases opened them).
          await injectFault(node, fault);
          const outcome = await engine.runAll();
          assert.equal(outcome.outcome, 'failed', `the merge went on: ${JSON.stringify(outcome)}`);
          assert.equal(outcome.phase, phase, `failed in ${outcome.phase} (${outcome.error}), not in ${phase}`);
          assert.equal(engine.status(phase).state, 'failed');
          assert.ok(PHASES.slice(index(phase) + 1).every((p) => engine.status(p.id).state === 'pending'), 'no later phase ran');
          const tFault = Date.now();

          await clearFaults(node);
          const rolled = await engine.rollback();
          assert.equal(rolled.outcome, 'rolled-back', rolled.error);
          assert.ok(engine.statuses().every((s) => s.state === 'pending' || s.state === 'undone'), JSON.stringify(engine.statuses()));
          assertSameState(before, await captureLabState(lab, clusters), `after ${kind} in ${phase} and rollback`);
          preflightState = true;
          // verify is slow: once past the point of no return (the full restore), where it can find most
          if (kind === 'fail-command' && index(phase) >= index(POINT_OF_NO_RETURN) && (fullMatrix() || phase === 'redistribute')) {
            const runner = new SshCommandRunner(pool);
            for (const master of [topology.target, topology.mergee]) {
              const v = await runner.run(master, ganeti.clusterVerify({ ignoreErrors: lab.verifyIgnoreErrors }));
              assert.deepEqual(v.errors.map((e) => `${e.code} ${e.objectName}: ${e.message}`), [], `verify on ${master}`);
            }
          }
          console.log(`        ${phase}/${kind} on ${node}: failed: ${outcome.error?.slice(0, 160)}; merge ${((tFault - t0) / 1000).toFixed(0)} s, rollback ${((Date.now() - tFault) / 1000).toFixed(0)} s`);
        } finally {
          await pool.close();
        }
      });
    }
  }
});
