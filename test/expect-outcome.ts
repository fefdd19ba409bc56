/**
 * Assertions on the engine's one result shape (src/core/merger/outcome.ts): a step that must
 * succeed, and an end that must come with its cause. Shared by the unit, integration and
 * in-host suites, so none of them lets a failed step pass silently.
 */
import * as assert from 'node:assert/strict';
import type { MergeOutcome, OutcomeKind } from '../src/core/merger/outcome';

/** Awaits `result` and asserts how it ended (default 'done'); the cause is the assertion's message. */
export async function expectOutcome(result: Promise<MergeOutcome | undefined> | MergeOutcome | undefined, outcome: OutcomeKind = 'done'): Promise<MergeOutcome> {
  const r = await result;
  assert.ok(r, `no outcome (the operator was asked and said no?), expected ${outcome}`);
  assert.equal(r.outcome, outcome, `${r.outcome}${r.phase ? ` in ${r.phase}` : ''}: ${r.error ?? 'no cause'}`);
  return r;
}

/** Awaits `result`, asserts it ended `outcome` and that its cause matches `cause` (a pattern, or a test of the text). */
export async function expectEnd(result: Promise<MergeOutcome | undefined> | MergeOutcome | undefined, outcome: OutcomeKind, cause: RegExp | ((error: string) => boolean)): Promise<MergeOutcome> {
  const r = await expectOutcome(result, outcome);
  const error = r.error ?? '';
  if (cause instanceof RegExp) assert.match(error, cause);
  else assert.ok(cause(error), `unexpected cause: ${error}`);
  return r;
}
