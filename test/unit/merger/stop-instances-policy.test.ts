/**
 * The stop policy (all | needed | none) through the phases, against a scripted mergee master:
 * what Stop Instances stops and records, what its undo starts, what write-config refuses, and the
 * old boolean journals.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import type { InstanceStopPlan, PreflightFacts } from '../../../src/core/merger/facts';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES, type PhaseId, type StopInstancesPolicy } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { describeInstanceStops, planInstanceStops } from '../../../src/core/phases/common';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { ALPHA_BETA_FACTS } from './scripted-facts';
import { assertOk, cluster, firstInstance, instances, merge } from '../config/merge-helpers';
import { expectEnd, expectOutcome } from '../../expect-outcome';

const BETA = 'beta.example.com';
const plan = (stops: Record<string, boolean>): InstanceStopPlan[] =>
  Object.entries(stops).map(([instance, stop]) => ({ cluster: BETA, instance, stop, reasons: stop ? ['nic 0 MAC: "a" -> "b"'] : [] }));

/** beta's master: the given instances with their state; shutdown/startup change it. `failShutdowns`: that many shutdowns stop only the first named instance, then fail. */
function betaMaster(running: Record<string, boolean>, failShutdowns = 0) {
  const runner = new ScriptedRunner((host, argv) => {
    if (argv[0] === 'gnt-instance' && argv[1] === 'list') {
      return { stdout: Object.entries(running).map(([name, up]) => `${name}|${up ? 'running' : 'ADMIN_down'}|b1`).join('\n') };
    }
    if (argv[0] === 'gnt-instance' && (argv[1] === 'shutdown' || argv[1] === 'startup')) {
      const names = argv.slice(argv.indexOf('--') + 1);
      if (argv[1] === 'shutdown' && failShutdowns > 0) {
        failShutdowns--;
        running[names[0]] = false;
        return { code: 1, stderr: `Failure: shutting down ${names[1] ?? names[0]} timed out` };
      }
      for (const name of names) running[name] = argv[1] === 'startup';
      return { stdout: '' };
    }
    return undefined;
  });
  const calls = (action: string) => runner.calls.filter((c) => c.argv[1] === action).map((c) => c.argv.slice(c.argv.indexOf('--') + 1));
  return { runner, calls };
}

describe('stop policy: Stop Instances, its undo and the old journals', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-stop-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function engineAt(upTo: PhaseId, runner: ScriptedRunner, policy: StopInstancesPolicy, instanceStops?: InstanceStopPlan[]) {
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, stopInstances: policy, target: 'alpha', mergees: ['beta'] }, 'merge-unit-stop');
    const facts: PreflightFacts = { ...ALPHA_BETA_FACTS, instanceStops };
    journal.doc.facts = facts;
    for (const p of PHASES) {
      if (p.id === upTo) break;
      journal.setState(p.id, 'done');
    }
    return new MergeEngine({ journal, runner, prompter: new ScriptedPrompter({ confirm: true }), phases: standardPhases(), fullRollback });
  }

  it('needed: stops only the planned instances, records both lists, and its undo starts only those', async () => {
    const state = { ib1: true, ib2: true, ib3: false };
    const { runner, calls } = betaMaster(state);
    const engine = engineAt('stop-instances', runner, 'needed', plan({ ib1: false, ib2: true, ib3: true }));
    const progress: string[] = [];
    engine.onEvent((e) => { if (e.type === 'progress') progress.push(e.message); });
    await expectOutcome(engine.runPhase('stop-instances'));
    assert.deepEqual(calls('shutdown'), [['ib2']]);
    assert.deepEqual(progress, [`${BETA}: shutting down 1 instance(s), keeping 1 running`], 'the progress panel shows the split');
    assert.deepEqual(state, { ib1: true, ib2: false, ib3: false });
    const [record] = engine.journal.records('stop-instances', 'running-instances');
    assert.deepEqual([record.data.names, record.data.stopped, record.done], [['ib1', 'ib2'], ['ib2'], true]);
    assert.equal((await engine.rollback()).outcome, 'rolled-back');
    assert.deepEqual(calls('startup'), [['ib2']], 'the undo starts what the phase stopped, and nothing else');
    assert.deepEqual(state, { ib1: true, ib2: true, ib3: false });
  });

  it('needed: an instance started after preflight (not in the plan) is stopped, since nothing says it is safe', async () => {
    const { runner, calls } = betaMaster({ ib1: true, late: true });
    const engine = engineAt('stop-instances', runner, 'needed', plan({ ib1: false }));
    await expectOutcome(engine.runPhase('stop-instances'));
    assert.deepEqual(calls('shutdown'), [['late']]);
  });

  it('a re-run after a failure midway records the instances it stops that the first attempt did not, so the undo starts them too', async () => {
    const state: Record<string, boolean> = { ib1: true, ib2: true, ib3: true };
    const { runner, calls } = betaMaster(state, 1);
    const engine = engineAt('stop-instances', runner, 'needed', plan({ ib1: true, ib2: true, ib3: false }));
    await expectEnd(engine.runPhase('stop-instances'), 'failed', /^stop-instances: .*timed out/);
    assert.deepEqual({ ...state }, { ib1: false, ib2: true, ib3: true }, 'the first attempt stopped ib1 only');
    state.late = true; // started by hand between the attempts: not in the plan, so it must stop
    await expectOutcome(engine.runPhase('stop-instances'));
    assert.deepEqual(calls('shutdown'), [['ib1', 'ib2'], ['ib2', 'late']]);
    const [record] = engine.journal.records('stop-instances', 'running-instances');
    assert.deepEqual([record.data.names, record.data.stopped, record.done], [['ib1', 'ib2', 'ib3', 'late'], ['ib1', 'ib2', 'late'], true]);
    assert.deepEqual(Journal.load(engine.journal.file).records('stop-instances', 'running-instances')[0].data, record.data, 'the widened record is saved');
    assert.equal((await engine.rollback()).outcome, 'rolled-back');
    assert.deepEqual(calls('startup'), [['ib1', 'ib2', 'late']], 'the undo starts what both attempts stopped, not the kept ib3');
    assert.deepEqual(state, { ib1: true, ib2: true, ib3: true, late: true });
  });

  it('all: stops every running instance whatever the plan says', async () => {
    const { runner, calls } = betaMaster({ ib1: true, ib2: true });
    const engine = engineAt('stop-instances', runner, 'all', plan({ ib1: false, ib2: false }));
    await expectOutcome(engine.runPhase('stop-instances'));
    assert.deepEqual(calls('shutdown'), [['ib1', 'ib2']]);
  });

  it('none: stops nothing and fails the phase when an instance runs', async () => {
    const { runner, calls } = betaMaster({ ib1: true });
    const engine = engineAt('stop-instances', runner, 'none', plan({ ib1: true }));
    await expectEnd(engine.runPhase('stop-instances'), 'failed', /^stop-instances: .*instance\(s\) still running: ib1/);
    assert.deepEqual(calls('shutdown'), []);
  });

  it('an old journal (boolean stopInstances, no plan, no `stopped` record): true reads as all, false as none', () => {
    for (const [old, now] of [[true, 'all'], [false, 'none']] as const) {
      const file = path.join(dir, `old-${String(old)}.json`);
      const journal = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: ['beta'] }, `old-${String(old)}`);
      const doc = JSON.parse(fs.readFileSync(journal.file, 'utf8'));
      doc.options.stopInstances = old;
      fs.writeFileSync(file, JSON.stringify(doc));
      assert.equal(Journal.load(file).doc.options.stopInstances, now);
    }
    const bad = path.join(dir, 'bad.json');
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'old-true.json'), 'utf8'));
    doc.options.stopInstances = 'some';
    fs.writeFileSync(bad, JSON.stringify(doc));
    assert.throws(() => Journal.load(bad), /options.stopInstances is invalid \(expected one of all, needed, none\)/);
  });

  it('an old stop record without `stopped` is undone by starting every recorded instance (all of them were stopped)', async () => {
    const state = { ib1: false, ib2: false };
    const { runner, calls } = betaMaster(state);
    const engine = engineAt('pause-watchers', runner, 'all');
    const record = engine.journal.addRecord('stop-instances', 'running-instances', 'b1', { cluster: BETA, names: ['ib1', 'ib2'] });
    engine.journal.completeRecord(record);
    assert.equal((await engine.rollback()).outcome, 'rolled-back');
    assert.deepEqual(calls('startup'), [['ib1', 'ib2']]);
  });
});

describe('stop policy: the plan computed from the merge', () => {
  it('needed stops exactly the instances with a reason; all stops every one; none stops nothing', () => {
    const t = cluster('alpha', { drbdFraction: 0 });
    const b = cluster('beta', { drbdFraction: 0 });
    const victim = firstInstance(b);
    victim.nics[0].mac = firstInstance(t).nics[0].mac;
    const before = structuredClone(b);
    const merged = assertOk(merge(t, [b], { groups: 'merge', allowInstancesUp: true, regenerateMacs: true }));
    const incoming = [{ config: before, source: BETA }];
    const needed = planInstanceStops('needed', incoming, merged);
    assert.deepEqual(needed.filter((p) => p.stop).map((p) => p.instance), [victim.name]);
    assert.equal(planInstanceStops('all', incoming, merged).filter((p) => p.stop).length, instances(b).length);
    assert.equal(planInstanceStops('none', incoming, merged).filter((p) => p.stop).length, 0);

    const facts = { ...ALPHA_BETA_FACTS.mergees[0], name: BETA, instances: instances(before).map((i) => ({ name: i.name, running: true, status: 'running' as const, primaryNode: 'b1' })) };
    const lines = describeInstanceStops('needed', needed, [facts]);
    assert.match(lines[0], new RegExp(`^stop instances: needed; ${instances(b).length - 1} running instance\\(s\\) kept running, 1 stopped$`));
    assert.ok(lines.some((l) => l.startsWith(`  stopped: ${victim.name} (nic 0 MAC: `)), lines.join('\n'));
  });
});
