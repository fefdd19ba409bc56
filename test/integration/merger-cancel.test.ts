/**
 * Cancellation (issue 4): Ctrl-C (SIGINT) of the real CLI while a phase's remote work is in
 * flight must end the process with the outcome "cancelled" and leave a consistent journal (the
 * phase failed as cancelled, nothing left "running"); from there `resume` completes the merge,
 * or `rollback` gives back the exact preflight state. One case before Ganeti's point of no
 * return, one after it.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Journal } from '../../src/core/merger/journal';
import { PHASES, type PhaseId } from '../../src/core/merger/types';
import { LabInfo, labReset, labUp, requireLab } from '../lab/lab';
import { CLI, cliTail as tail, runCli } from './helpers/cli-process';
import { assertSameState, captureLabState } from './helpers/lab-state';
import { matrixTopology, type MatrixTopology } from './helpers/merge-matrix';

const CASES: { phase: PhaseId; then: 'resume' | 'rollback' }[] = [
  { phase: 'stop-instances', then: 'resume' },
  { phase: 'readd-nodes', then: 'rollback' },
];

describe('merger: Ctrl-C inside a phase leaves a consistent journal', function () {
  let lab: LabInfo;
  let topology: MatrixTopology;
  let dir: string;
  let ssh: string[];
  let preflightState = false;

  before(async function () {
    requireLab(this);
    this.timeout(10 * 60_000);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    lab = await labUp();
    topology = matrixTopology(lab);
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-merger-cancel-'));
    ssh = ['--ssh-config', lab.sshConfig, '--known-hosts', lab.knownHosts];
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (lab && !preflightState) await labReset();
  });

  for (const { phase, then } of CASES) {
    it(`Ctrl-C in ${phase}, then ${then}`, async function () {
      this.timeout(10 * 60_000);
      if (!preflightState) await labReset();
      preflightState = false;
      const clusters = [topology.targetCluster, topology.mergeeCluster];
      const before = await captureLabState(lab, clusters);
      const journal = path.join(dir, `${phase}.json`);

      const run = await runCli([
        'run', '--yes', '--journal', journal, '--target', topology.target, '--mergee', topology.mergee,
        '--groups', 'merge', ...lab.verifyIgnoreErrors.flatMap((c) => ['--ignore-verify-error', c]), ...ssh,
      ], `[${phase}] running`, 'SIGINT');
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
        const after = await captureLabState(lab, [topology.targetCluster]);
        assert.deepEqual(after.clusters[topology.targetCluster].nodes, clusters.flatMap((c) => before.clusters[c].nodes).sort());
        assert.deepEqual(after.clusters[topology.targetCluster].instances,
          clusters.flatMap((c) => before.clusters[c].instances.map((i) => `${i.split(' ')[0]} running`)).sort());
      } else {
        const r = await runCli(['rollback', '--journal', journal, ...ssh]);
        assert.equal(r.code, 0, tail(r));
        assert.equal(r.stdout.trim(), 'rolled-back', tail(r));
        assertSameState(before, await captureLabState(lab, clusters), `after Ctrl-C in ${phase} and rollback`);
        preflightState = true;
      }
    });
  }
});
