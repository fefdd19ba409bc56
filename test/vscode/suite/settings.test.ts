import * as assert from 'assert';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { readSettings } from '../../../src/ui/settings';

const reader = (values: Record<string, unknown>) => (key: string) => values[key];

describe('settings validation', () => {
  it('uses the plan defaults when nothing is set', () => {
    const { settings, problems } = readSettings(reader({}));
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(settings.clusters, []);
    assert.deepStrictEqual(settings.defaults, DEFAULT_PLAN_OPTIONS);
    assert.strictEqual(settings.commandTimeoutSeconds, 600);
  });

  it('keeps valid values', () => {
    const { settings, problems } = readSettings(reader({
      clusters: [{ name: 'A', host: 'a.example.com' }, { name: 'B', host: 'b1' }],
      sshConfigFile: '/etc/ssh/cfg', 'defaults.groups': 'rename', 'defaults.restart': 'up', concurrency: 8,
      'defaults.ignoredVerifyCodes': ['ENODESETUP'],
    }));
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(settings.clusters.map((c) => c.host), ['a.example.com', 'b1']);
    assert.strictEqual(settings.sshConfigFile, '/etc/ssh/cfg');
    assert.strictEqual(settings.defaults.groups, 'rename');
    assert.strictEqual(settings.defaults.restart, 'up');
    assert.strictEqual(settings.defaults.concurrency, 8);
    assert.deepStrictEqual(settings.defaults.ignoredVerifyCodes, ['ENODESETUP']);
  });

  it('names each rejected value and falls back to its default, keeping the valid clusters', () => {
    const { settings, problems } = readSettings(reader({
      clusters: [{ name: 'A', host: 'a.example.com' }, { name: 'bad', host: 'a b; rm -rf /' }, { name: 'A', host: 'x' }, 'nope'],
      knownHostsFile: '~root/known_hosts', 'defaults.groups': 'merge-all', concurrency: 0, commandTimeoutSeconds: 1.5,
    }));
    assert.deepStrictEqual(settings.clusters, [{ name: 'A', host: 'a.example.com' }]);
    assert.strictEqual(settings.knownHostsFile, undefined);
    assert.strictEqual(settings.defaults.groups, DEFAULT_PLAN_OPTIONS.groups);
    assert.strictEqual(settings.defaults.concurrency, DEFAULT_PLAN_OPTIONS.concurrency);
    assert.strictEqual(settings.commandTimeoutSeconds, 600);
    const text = problems.join('\n');
    for (const name of ['ganetiMerge.clusters[1]', 'ganetiMerge.clusters[2]', 'ganetiMerge.clusters[3]', 'ganetiMerge.knownHostsFile',
      'ganetiMerge.defaults.groups', 'ganetiMerge.concurrency', 'ganetiMerge.commandTimeoutSeconds']) {
      assert.ok(text.includes(name), `no problem names ${name}:\n${text}`);
    }
    assert.strictEqual(problems.length, 7);
  });

  it('reads the stop policy, and the old boolean as what it meant (true = all, false = none)', () => {
    for (const [value, policy] of [['needed', 'needed'], ['none', 'none'], [true, 'all'], [false, 'none']] as const) {
      const { settings, problems } = readSettings(reader({ 'defaults.stopInstances': value }));
      assert.deepStrictEqual(problems, []);
      assert.strictEqual(settings.defaults.stopInstances, policy);
    }
    const { settings, problems } = readSettings(reader({ 'defaults.stopInstances': 'some' }));
    assert.strictEqual(settings.defaults.stopInstances, DEFAULT_PLAN_OPTIONS.stopInstances);
    assert.match(problems.join('\n'), /ganetiMerge\.defaults\.stopInstances: expected one of all, needed, none, got "some"/);
  });

  it('expands ~/…, ${userHome}/… and home-relative path settings to absolute paths', () => {
    const { settings, problems } = readSettings(reader({
      sshConfigFile: '${userHome}/.ssh/config', knownHostsFile: '.ssh/known_hosts', identityFile: '~/.ssh/id_ed25519',
    }), '/home/op');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(settings.sshConfigFile, '/home/op/.ssh/config');
    assert.strictEqual(settings.knownHostsFile, '/home/op/.ssh/known_hosts');
    assert.strictEqual(settings.identityFile, '/home/op/.ssh/id_ed25519');
  });
});
