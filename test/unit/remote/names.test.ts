import * as assert from 'node:assert/strict';
import { assertDnsName, assertHostName, isDnsName, isHostName } from '../../../src/core/remote/names';

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
});
