import * as assert from 'node:assert/strict';
import { ConfigError, type Finding } from '../../../src/core/config/types';

/** Runs fn, expects a ConfigError, returns its findings. */
export function refusal(fn: () => unknown): Finding[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.findings;
  }
  assert.fail('expected the input to be refused');
}
