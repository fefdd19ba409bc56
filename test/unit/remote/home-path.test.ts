import * as assert from 'node:assert/strict';
import { expandHomePath } from '../../../src/core/remote/home-path';

describe('remote/home-path: paths as people write them', () => {
  const home = '/home/op';
  const ok = (value: string) => {
    const r = expandHomePath(value, home);
    assert.ok('path' in r, `${value}: ${JSON.stringify(r)}`);
    return r.path;
  };

  it('expands ~, ${userHome} and home-relative paths; keeps absolute ones', () => {
    assert.equal(ok('~'), '/home/op');
    assert.equal(ok('~/.ssh/id_ed25519'), '/home/op/.ssh/id_ed25519');
    assert.equal(ok('${userHome}'), '/home/op');
    assert.equal(ok('${userHome}/.ssh/config'), '/home/op/.ssh/config');
    assert.equal(ok('.ssh/known_hosts'), '/home/op/.ssh/known_hosts');
    assert.equal(ok('/etc/ssh/ssh_config'), '/etc/ssh/ssh_config');
    assert.equal(ok('/etc/ssh/../ssh/ssh_config'), '/etc/ssh/ssh_config');
  });

  it('refuses ~user, other variables and NUL with what it expected', () => {
    for (const [value, expected] of [['~root/.ssh/id', /not ~user/], ['${workspaceFolder}/key', /only variable is \$\{userHome\}/],
      ['${userHomeX}/key', /only variable/], ['/a\0b', /NUL/]] as const) {
      const r = expandHomePath(value, home);
      assert.ok('error' in r, `${value} was accepted: ${JSON.stringify(r)}`);
      assert.match(r.error, expected);
    }
  });
});
