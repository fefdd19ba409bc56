import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { planOptions } from '../../../src/cli/merge-commands';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('ganeti-merge merge commands', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-cli-merge-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('status shows each phase from the journal, also as JSON', async () => {
    const file = path.join(dir, 'j.json');
    const j = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb', 'cc'] }, 'merge-cli-1');
    j.setState('preflight', 'done');
    j.setState('verify-target', 'failed', 'ENODESETUP a1: no sysrq');
    const text = await cli(['status', '--journal', file]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /merge merge-cli-1: cb, cc -> ca/);
    assert.match(text.stdout, /done {4} preflight\n/);
    assert.match(text.stdout, /failed {2} verify-target: ENODESETUP a1: no sysrq/);
    const json = await cli(['status', '--journal', file, '--json']);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.phases.length, 18);
    assert.equal(parsed.phases[1].state, 'failed');
  });

  it('status of a missing or foreign journal fails with the reason', async () => {
    const missing = await cli(['status', '--journal', path.join(dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^E_PATH_MISSING: .*nope\.json" does not exist/);
    fs.writeFileSync(path.join(dir, 'x.json'), '{"hello": 1}');
    const foreign = await cli(['status', '--journal', path.join(dir, 'x.json')]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /^E_JOURNAL_INVALID: .* is not a merge journal/);
  });

  it('bad usage exits 2 with a specific message and creates no journal', async () => {
    const journal = path.join(dir, 'new.json');
    const noMergee = await cli(['plan', '--target', 'ca', '--journal', journal]);
    assert.equal(noMergee.code, 2);
    assert.match(noMergee.stderr, /^E_NAME_INVALID: .*--mergee must be at least one mergee cluster/);
    const noJournal = await cli(['rollback']);
    assert.equal(noJournal.code, 2);
    assert.match(noJournal.stderr, /--journal FILE is required/);
    const badRestart = await cli(['run', '--target', 'ca', '--mergee', 'cb', '--restart', 'sometimes', '--journal', journal]);
    assert.equal(badRestart.code, 2);
    assert.match(badRestart.stderr, /^E_PLAN_OPTION: .*--restart must be one of all, up, none, got "sometimes"/);
    assert.equal(fs.existsSync(journal), false);
  });

  it('plan options: repeatable mergees and ignored codes, defaults otherwise', () => {
    const o = planOptions({ target: 'ca', mergee: ['cb', 'cc'] as unknown as string, 'ignore-verify-error': ['ENODESETUP'] as unknown as string, concurrency: '2' });
    assert.deepEqual(o, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb', 'cc'], ignoredVerifyCodes: ['ENODESETUP'], concurrency: 2 });
    assert.throws(() => planOptions({ target: 'ca', mergee: ['cb'] as unknown as string, concurrency: '0' }), /--concurrency must be an integer from 1 to 64, got 0/);
    assert.throws(() => planOptions({ target: 'ca', mergee: ['cb'] as unknown as string, 'ignore-verify-error': ['x; rm'] as unknown as string }), /--ignore-verify-error must be a list of gnt-cluster verify codes such as ENODESETUP, got "x; rm"/);
  });

  it('plan options: --networks refuse|merge|rename reaches the plan (default refuse)', () => {
    const base = { target: 'ca', mergee: ['cb'] as unknown as string };
    assert.equal(planOptions(base).networks, 'refuse');
    for (const strategy of ['refuse', 'merge', 'rename']) assert.equal(planOptions({ ...base, networks: strategy }).networks, strategy);
    assert.throws(() => planOptions({ ...base, networks: 'union' }), /--networks must be one of refuse, merge, rename, got "union"/);
  });

  it('plan options: --stop-instances all|needed|none, --no-stop-instances as none, and no contradiction', () => {
    const base = { target: 'ca', mergee: ['cb'] as unknown as string };
    for (const policy of ['all', 'needed', 'none']) assert.equal(planOptions({ ...base, 'stop-instances': policy }).stopInstances, policy);
    assert.equal(planOptions(base).stopInstances, DEFAULT_PLAN_OPTIONS.stopInstances);
    assert.equal(planOptions({ ...base, 'no-stop-instances': true }).stopInstances, 'none');
    assert.equal(planOptions({ ...base, 'no-stop-instances': true, 'stop-instances': 'none' }).stopInstances, 'none');
    assert.throws(() => planOptions({ ...base, 'no-stop-instances': true, 'stop-instances': 'needed' }), /--no-stop-instances contradicts --stop-instances "needed"/);
    assert.throws(() => planOptions({ ...base, 'stop-instances': 'some' }), /--stop-instances must be one of all, needed, none, got "some"/);
  });
});
