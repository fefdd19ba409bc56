import * as assert from 'node:assert/strict';
import { assertDnsName, assertHostName, isDnsName, isHostName, objectNameProblem } from '../../../src/core/remote/names';

describe('remote/names', () => {
  it('accepts DNS names and IP literals', () => {
    for (const n of ['a1', 'a1.glab.test', 'node-1.example.com', 'example.com.', 'x'.repeat(63), '10.254.0.11']) {
      assert.ok(isDnsName(n), n);
    }
    assert.ok(isHostName('::1'));
    assert.ok(isHostName('127.0.0.1'));
  });

  it('rejects hostile and malformed names', () => {
    const bad = ['', 'a;rm -rf /', '$(x)', '`x`', "a'b", 'a"b', 'a\nb', 'a b', '-a', 'a-', 'a..b', '.a', 'a_b',
      'x'.repeat(64), `${'a.'.repeat(127)}ab`, 'ä.example', '*', 'a/b', '--help'];
    for (const n of bad) {
      assert.equal(isHostName(n), false, JSON.stringify(n));
      assert.throws(() => assertHostName(n), /invalid host name/);
      assert.throws(() => assertDnsName(n, 'cluster name'), /invalid cluster name/);
    }
  });

  it('names the bad value in the error, shortened', () => {
    assert.throws(() => assertDnsName(`${'y'.repeat(100)};`, 'node name'), /invalid node name "y{80}\.\.\."/);
  });

  it('objectNameProblem: its one-regex fast path accepts exactly the DNS names without a trailing dot, and the reasons stay', () => {
    const label63 = 'x'.repeat(63);
    const names = ['a', 'a1.glab.test', 'Node-1.Example.COM', 'example.com.', label63, 'x'.repeat(64), `${label63}.${label63}`,
      `${'a.'.repeat(126)}a`, `${'a.'.repeat(126)}ab`, `${'a.'.repeat(127)}a`, 'a\n', '\na', 'a\tb', 'a b', 'a\u00a0b', 'a..b', '.a', '-a', 'a-',
      'a-b', 'a_b', 'ä.example', 'a.-b', 'a.b-', '1.2.3.4', '', '.', 'a\u0000b', 'a.b.'];
    for (const n of names) {
      assert.equal(objectNameProblem(n) === undefined, isDnsName(n) && !n.endsWith('.'), JSON.stringify(n));
    }
    assert.equal(`${'a.'.repeat(126)}a`.length, 253);
    assert.equal(objectNameProblem(`${'a.'.repeat(126)}a`), undefined);
    assert.equal(objectNameProblem(`${'a.'.repeat(126)}ab`), 'is 254 characters long (at most 253)');
    assert.equal(objectNameProblem('a b'), 'contains whitespace');
    assert.equal(objectNameProblem('a\n'), 'contains a control character');
    assert.equal(objectNameProblem('a.b.'), 'ends with a dot (Ganeti stores the name without it: the same host as the name without the dot)');
    assert.equal(objectNameProblem('a_b'), "is not a host name (letters, digits, inner '-', labels separated by single dots)");
    assert.equal(objectNameProblem(''), 'is empty');
  });
});
