import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../../src/cli/args';
import { planCommand, planOptions, rollbackCommand, runCommand, statusCommand } from '../../../src/cli/merge-commands';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  // Like main(): UsageError -> exit 2.
  const command = [planCommand, runCommand, rollbackCommand, statusCommand].find((c) => c.name === args[0])!;
  let code: number;
  try {
    code = await command.run(args.slice(1), { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr += `${err.message}\n`;
    code = 2;
  }
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
    assert.match(missing.stderr, /cannot read journal/);
    fs.writeFileSync(path.join(dir, 'x.json'), '{"hello": 1}');
    const foreign = await cli(['status', '--journal', path.join(dir, 'x.json')]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /not a merge journal/);
  });

  it('bad usage exits 2 with a specific message and creates no journal', async () => {
    const journal = path.join(dir, 'new.json');
    const noMergee = await cli(['plan', '--target', 'ca', '--journal', journal]);
    assert.equal(noMergee.code, 2);
    assert.match(noMergee.stderr, /at least one --mergee/);
    const noJournal = await cli(['rollback']);
    assert.equal(noJournal.code, 2);
    assert.match(noJournal.stderr, /--journal FILE is required/);
    const badRestart = await cli(['run', '--target', 'ca', '--mergee', 'cb', '--restart', 'sometimes', '--journal', journal]);
    assert.equal(badRestart.code, 2);
    assert.match(badRestart.stderr, /--restart must be one of all\|up\|none/);
    assert.equal(fs.existsSync(journal), false);
  });

  it('plan options: repeatable mergees and ignored codes, defaults otherwise', () => {
    const o = planOptions({ target: 'ca', mergee: ['cb', 'cc'] as unknown as string, 'ignore-verify-error': ['ENODESETUP'] as unknown as string, concurrency: '2' });
    assert.deepEqual(o, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb', 'cc'], ignoredVerifyCodes: ['ENODESETUP'], concurrency: 2 });
    assert.throws(() => planOptions({ target: 'ca', mergee: ['cb'] as unknown as string, concurrency: '0' }), /--concurrency must be a positive integer/);
    assert.throws(() => planOptions({ target: 'ca', mergee: ['cb'] as unknown as string, 'ignore-verify-error': ['x; rm'] as unknown as string }), /code like ENODESETUP/);
  });
});
