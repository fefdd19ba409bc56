/**
 * The plan of the lab fault/crash matrices (test/integration/helpers/merge-matrix.ts): CI must
 * cover every phase at least once across both matrices, GCM_MATRIX=full every case, and the env
 * filters must refuse what they do not know.
 */
import * as assert from 'node:assert/strict';
import { PHASES } from '../../../src/core/merger/types';
import { CASE_KINDS as KINDS, CI_SENT, ciKind, PHASE_FAULTS, selectedPhases, SENT_COMMAND } from '../../integration/helpers/merge-matrix';

const ENV = ['GCM_MATRIX', 'GCM_MATRIX_PHASES', 'GCM_MATRIX_KINDS'] as const;

describe('merge matrix plan', () => {
  const saved: Partial<Record<(typeof ENV)[number], string>> = {};
  beforeEach(() => {
    for (const k of ENV) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
  });
  afterEach(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('CI runs every phase exactly once across the four kinds, each kind at least three times', () => {
    const all = KINDS.flatMap((k) => selectedPhases(k));
    assert.deepEqual([...all].sort(), PHASES.map((p) => p.id).sort());
    for (const k of KINDS) assert.ok(selectedPhases(k).length >= 3, `${k}: ${selectedPhases(k).length}`);
  });

  it('a CI fault case is only planned where the phase has that fault', () => {
    for (const p of PHASES) {
      const kind = ciKind(p.id);
      if (kind === 'fail-command') assert.ok(PHASE_FAULTS[p.id].failCommand, p.id);
      if (kind === 'link-down') assert.ok(PHASE_FAULTS[p.id].linkDown, p.id);
    }
  });

  it('full: every phase crashes both ways; every phase but cleanup (no remote command) gets both faults', () => {
    process.env.GCM_MATRIX = 'full';
    const ids = PHASES.map((p) => p.id);
    assert.deepEqual(selectedPhases('crash-resume'), ids);
    assert.deepEqual(selectedPhases('crash-rollback'), ids);
    assert.deepEqual(selectedPhases('fail-command'), ids.filter((id) => id !== 'cleanup'));
    assert.deepEqual(selectedPhases('link-down'), ids.filter((id) => id !== 'cleanup'));
  });

  it('second kill point: CI kills daemon/job phases with their mutating command sent, both ways, on both sides of the point of no return; full: every phase that sends one', () => {
    const ci = (k: 'sent-resume' | 'sent-rollback') => selectedPhases(k);
    assert.deepEqual(ci('sent-resume'), ['stop-mergee-daemons', 'start-master-no-voting', 'start-instances']);
    assert.deepEqual(ci('sent-rollback'), ['stop-target-master', 'readd-nodes', 'restart-master']);
    for (const p of Object.keys(CI_SENT) as (keyof typeof CI_SENT)[]) {
      assert.match(SENT_COMMAND[p]!.command, /daemon-util|gnt-/, p);
      assert.ok(SENT_COMMAND[p]!.node, `${p}: the test waits until the command runs on its node`);
    }
    process.env.GCM_MATRIX = 'full';
    const sending = PHASES.map((p) => p.id).filter((id) => id !== 'cleanup');
    assert.deepEqual(selectedPhases('sent-resume'), sending);
    assert.deepEqual(selectedPhases('sent-rollback'), sending);
    process.env.GCM_MATRIX_KINDS = 'sent-rollback';
    assert.deepEqual(selectedPhases('sent-resume'), []);
  });

  it('GCM_MATRIX_PHASES and GCM_MATRIX_KINDS narrow the run; an unknown phase is refused', () => {
    process.env.GCM_MATRIX = 'full';
    process.env.GCM_MATRIX_PHASES = 'snapshot,readd-nodes';
    process.env.GCM_MATRIX_KINDS = 'link-down';
    assert.deepEqual(selectedPhases('link-down'), ['snapshot', 'readd-nodes']);
    assert.deepEqual(selectedPhases('fail-command'), []);
    process.env.GCM_MATRIX_PHASES = 'snapshots';
    assert.throws(() => selectedPhases('link-down'), /unknown phase "snapshots"/);
    process.env.GCM_MATRIX_PHASES = 'snapshot';
    process.env.GCM_MATRIX_KINDS = 'link-dwn';
    assert.throws(() => selectedPhases('link-down'), /unknown kind "link-dwn"/);
  });
});
