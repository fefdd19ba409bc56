/** One set of plan-option rules (issue 15 point 4): the CLI flags and the editor settings agree on every value. */
import * as assert from 'node:assert/strict';
import { planOptions } from '../../../src/cli/merge-commands';
import { validatePlanOptions } from '../../../src/core/merger/plan-options';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { readSettings } from '../../../src/ui/settings';

/** The CLI's verdict on one option value given as a flag (the string a shell passes). */
function cliAccepts(flag: string, value: string): boolean {
  try {
    planOptions({ target: 'ca', mergee: ['cb'] as unknown as string, [flag]: flag === 'ignore-verify-error' ? [value] as unknown as string : value });
    return true;
  } catch {
    return false;
  }
}

/** The settings' verdict on the same value as the JSON a settings.json holds. */
function settingsAccepts(setting: string, value: unknown): boolean {
  return readSettings((k) => (k === setting ? value : undefined)).problems.length === 0;
}

describe('merger/plan-options: one rule set for the CLI and the settings', () => {
  const numeric: Array<[string, string, number[], number, number]> = [
    ['concurrency', 'concurrency', [0, 1, 2, 64, 65, 1000], 64, 65],
    ['watcher-pause', 'defaults.watcherPauseSeconds', [0, 1, 59, 60, 1800, 86_400, 86_401], 60, 59],
  ];
  for (const [flag, setting, values, good, bad] of numeric) {
    it(`--${flag} and ${setting} accept exactly the same numbers`, () => {
      for (const v of values) assert.equal(cliAccepts(flag, String(v)), settingsAccepts(setting, v), `${flag} ${v}`);
      assert.equal(cliAccepts(flag, String(good)), true);
      assert.equal(cliAccepts(flag, String(bad)), false);
    });
  }

  it('--ignore-verify-error and defaults.ignoredVerifyCodes accept exactly the same codes', () => {
    for (const code of ['ENODESETUP', 'ECLUSTERCERT', 'E1', 'enodesetup', 'NODESETUP', 'E', 'E_X', 'E-X', 'x; rm', '-I', `E${'X'.repeat(64)}`]) {
      assert.equal(cliAccepts('ignore-verify-error', code), settingsAccepts('defaults.ignoredVerifyCodes', [code]), code);
    }
    assert.equal(cliAccepts('ignore-verify-error', 'ENODESETUP'), true);
    assert.equal(cliAccepts('ignore-verify-error', 'x; rm'), false);
  });

  it('choices agree too', () => {
    for (const [flag, setting, good, bad] of [['groups', 'defaults.groups', 'rename', 'none'], ['params', 'defaults.params', 'warn', 'loose'], ['restart', 'defaults.restart', 'up', 'some']]) {
      assert.equal(cliAccepts(flag, good), true);
      assert.equal(settingsAccepts(setting, good), true);
      assert.equal(cliAccepts(flag, bad), false);
      assert.equal(settingsAccepts(setting, bad), false);
    }
  });

  it('cluster names: host names or IPs, each cluster once in Ganeti\'s normal form', () => {
    const ok = validatePlanOptions({ target: 'ca.example', mergees: ['cb', '10.0.0.3', '::1'] }, { clusters: true });
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.options, { ...DEFAULT_PLAN_OPTIONS, target: 'ca.example', mergees: ['cb', '10.0.0.3', '::1'] });
    for (const [target, mergees] of [['ca', ['CA.']], ['ca', ['cb', 'Cb']], ['a;b', ['cb']], ['ca', []], ['ca', ['-oProxyCommand=x']]] as Array<[string, string[]]>) {
      const r = validatePlanOptions({ target, mergees }, { clusters: true });
      assert.ok(r.problems.length > 0, `${target} ${mergees.join(',')}`);
      assert.ok(r.problems.every((p) => p.field === 'target' || p.field === 'mergees'));
    }
  });

  it('without clusters (settings) only the defaults are checked, and bad ones fall back', () => {
    const r = validatePlanOptions({ concurrency: 0, groups: 'merge' }, { clusters: false });
    assert.deepEqual(r.problems.map((p) => p.field), ['concurrency']);
    assert.equal(r.options.concurrency, DEFAULT_PLAN_OPTIONS.concurrency);
    assert.equal(r.options.groups, 'merge');
  });
});
