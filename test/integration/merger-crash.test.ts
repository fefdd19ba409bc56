/**
 * Crash matrix (issue 4): the real CLI (`node dist/cli.js run ...`, built by `npm run build`) is
 * SIGKILLed as soon as it announces a phase, i.e. with that phase's first remote command in
 * flight. Then, from a new process, `resume` must complete the merge, or (separately)
 * `rollback` must restore the preflight state. CI subset / GCM_MATRIX=full: helpers/merge-matrix.ts.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Journal } from '../../src/core/merger/journal';
import { PHASES, type PhaseId } from '../../src/core/merger/types';
import { LabInfo, labReset, labUp, nodeExec, requireLab } from '../lab/lab';
import { CLI, cliTail as tail, runCli } from './helpers/cli-process';
import { assertSameState, captureLabState } from './helpers/lab-state';
import { fullMatrix, matrixTopology, selectedPhases, type MatrixTopology } from './helpers/merge-matrix';

describe(`merger crash matrix: SIGKILL of the CLI (${fullMatrix() ? 'full' : 'CI subset'})`, function () {
  let lab: LabInfo;
  let topology: MatrixTopology;
  let dir: string;
  // A case that ended in the checked preflight state spares the next one a reset (~15-20 s).
  let preflightState = false;
  let ssh: string[];

  before(async function () {
    requireLab(this);
    this.timeout(10 * 60_000);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    lab = await labUp();
    topology = matrixTopology(lab);
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-merger-crash-'));
    ssh = ['--ssh-config', lab.sshConfig, '--known-hosts', lab.knownHosts];
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (lab && !preflightState) await labReset();
  });

  /** Starts the merge in a CLI process and kills it in `phase`; returns the journal. */
  async function crashIn(phase: PhaseId, name: string): Promise<string> {
    const journal = path.join(dir, `${name}-${phase}.json`);
    const run = await runCli([
      'run', '--yes', '--journal', journal, '--target', topology.target, '--mergee', topology.mergee,
      '--groups', 'merge', ...lab.verifyIgnoreErrors.flatMap((c) => ['--ignore-verify-error', c]), ...ssh,
    ], `[${phase}] running`);
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
        if (!preflightState) await labReset();
        preflightState = false;
        const clusters = [topology.targetCluster, topology.mergeeCluster];
        const before = await captureLabState(lab, clusters);
        const journal = await crashIn(phase, kind);
        const tKill = Date.now();

        if (kind === 'crash-resume') {
          const r = await runCli(['resume', '--yes', '--journal', journal, ...ssh]);
          assert.equal(r.code, 0, tail(r));
          assert.equal(r.stdout.trim(), 'merged', tail(r));
          const doc = Journal.load(journal).doc;
          assert.ok(PHASES.every((p) => doc.phases[p.id].state === 'done'), JSON.stringify(doc.phases));
          // verify-merged (run by the resume) checked verify and the lists; check the union from outside too
          const after = await captureLabState(lab, [topology.targetCluster]);
          const merged = after.clusters[topology.targetCluster];
          const expectedNodes = clusters.flatMap((c) => before.clusters[c].nodes).sort();
          assert.deepEqual(merged.nodes, expectedNodes);
          const expectedInstances = clusters.flatMap((c) => before.clusters[c].instances.map((i) => `${i.split(' ')[0]} running`)).sort();
          assert.deepEqual(merged.instances, expectedInstances);
          const ips = await nodeExec(topology.mergee, 'ip -4 -o addr show dev eth0');
          assert.doesNotMatch(ips.stdout, new RegExp(`${lab.clusters.find((c) => c.name === topology.mergeeCluster)!.ip.replace(/\./g, '\\.')}/`), 'the mergee master IP is gone');
        } else {
          const r = await runCli(['rollback', '--journal', journal, ...ssh]);
          assert.equal(r.code, 0, tail(r));
          assert.equal(r.stdout.trim(), 'rolled-back', tail(r));
          assertSameState(before, await captureLabState(lab, clusters), `after a kill in ${phase} and rollback`);
          preflightState = true;
        }
        console.log(`        ${phase}/${kind}: killed after ${((tKill - t0) / 1000).toFixed(0)} s, ${kind === 'crash-resume' ? 'resumed' : 'rolled back'} in ${((Date.now() - tKill) / 1000).toFixed(0)} s`);
      });
    }
  }
});
