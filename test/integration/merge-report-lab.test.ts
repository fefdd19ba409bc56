/**
 * The merge report after a real merge and after its rollback: `run --json` and `rollback --json`
 * stream one JSON event per line, then `report` in every format shows the phases and the remote
 * commands and holds no secret: no value the merge's configs keep private (DRBD secrets, private
 * OS parameters, as far as the lab has any), no private key (the lab's own ssh key included).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { parseConfigBuffer } from '../../src/core/config/parse';
import { configSecretValues } from '../../src/core/config/print';
import { REPORT_FORMATS } from '../../src/core/report/report-render';
import { LAB_MERGE_FLAGS, LabInfo, labReset, labUp, requireLab } from '../lab/lab';
import { matrixTopology, type MatrixTopology } from './helpers/merge-matrix';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('merge report on the lab: merge, report, roll back, report again', function () {
  let lab: LabInfo;
  let topology: MatrixTopology;
  let dir: string;
  let journal: string;
  let ssh: string[];

  before(async function () {
    requireLab(this);
    this.timeout(10 * 60_000);
    lab = await labUp();
    await labReset();
    topology = matrixTopology(lab);
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-report-lab-'));
    journal = path.join(dir, 'merge.json');
    ssh = ['--ssh-config', lab.sshConfig, '--known-hosts', lab.knownHosts];
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (lab) await labReset();
  });

  /** Everything that must never show: the configs' private values, private keys, the lab's key body. */
  function secrets(): string[] {
    const files = `${journal}.files`;
    const values = readdirSync(files).filter((n) => n.endsWith('.config.data'))
      .flatMap((n) => configSecretValues(parseConfigBuffer(readFileSync(path.join(files, n)), n)));
    const keyBody = readFileSync(lab.identityFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'));
    return [...values.filter((v) => v.length >= 4), ...keyBody, 'PRIVATE KEY'];
  }

  function jsonLines(text: string): { type: string; [k: string]: unknown }[] {
    const lines = text.trimEnd().split('\n');
    return lines.map((l) => JSON.parse(l));
  }

  async function checkReports(expect: { outcome: string; rollback?: string }): Promise<void> {
    const forbidden = secrets();
    const sizes: string[] = [];
    for (const format of REPORT_FORMATS) {
      const r = await cli(['report', '--journal', journal, '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      sizes.push(`${format} ${Math.round(r.stdout.length / 1024)} KiB`);
      for (const s of forbidden) assert.ok(!r.stdout.includes(s), `the ${format} report shows a secret (${s.slice(0, 4)}...)`);
      if (format === 'json') {
        const doc = JSON.parse(r.stdout);
        assert.equal(doc.outcome, expect.outcome);
        assert.equal(doc.rollback?.state, expect.rollback);
        assert.ok(doc.commands.length > 20, `commands recorded: ${doc.commands.length}`);
        for (const c of doc.commands) assert.ok(typeof c.host === 'string' && Array.isArray(c.argv) && typeof c.durationMs === 'number' && 'exitCode' in c);
        assert.ok(doc.phases.every((p: { state: string; commands: number }) => p.state !== 'pending'), 'every phase ran');
        assert.ok(doc.phases.find((p: { id: string }) => p.id === 'preflight').commands > 0);
        assert.equal(doc.after.cluster, topology.targetCluster);
        assert.ok(doc.after.nodes.length > doc.before[0].nodes.length, 'the merged cluster has the mergee\'s nodes');
        assert.ok(doc.origin.user && doc.origin.host && doc.origin.frontEnd === 'cli');
      } else {
        assert.ok(r.stdout.includes('Write Merged Config'), `${format}: the phases show`);
        assert.ok(/gnt\\?-cluster/.test(r.stdout), `${format}: the commands show`);
      }
    }
    const commands = JSON.parse(readFileSync(journal, 'utf8')).commands.length;
    console.log(`      report after ${expect.rollback ? 'the rollback' : 'the merge'}: ${commands} commands, ${forbidden.length} secret strings checked, ${sizes.join(', ')}`);
  }

  it('merges with --json events, reports; rolls back with --json events, reports again', async function () {
    this.timeout(40 * 60_000);
    const run = await cli(['run', '--yes', '--json', '--journal', journal, '--target', topology.target, '--mergee', topology.mergee, ...LAB_MERGE_FLAGS,
      ...lab.verifyIgnoreErrors.flatMap((c) => ['--ignore-verify-error', c]), ...ssh]);
    assert.equal(run.code, 0, run.stderr);
    const events = jsonLines(run.stdout);
    assert.equal(events[0].type, 'journal');
    assert.deepEqual(events.at(-1), { ...events.at(-1), type: 'result', command: 'run', outcome: 'merged' });
    assert.ok(events.some((e) => e.type === 'phase') && events.some((e) => e.type === 'command'));
    await checkReports({ outcome: 'merged' });

    const rollback = await cli(['rollback', '--json', '--journal', journal, ...ssh]);
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.equal(jsonLines(rollback.stdout).at(-1)?.outcome, 'rolled-back');
    await checkReports({ outcome: 'rolled-back', rollback: 'done' });
  });
});
