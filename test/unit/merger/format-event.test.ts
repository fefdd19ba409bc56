/** formatEvent: the one text of engine events (CLI stderr, panel transcript, editor log). */
import * as assert from 'node:assert/strict';
import { printEvent } from '../../../src/cli/cli-session';
import { formatEvent } from '../../../src/core/merger/format-event';
import { ProgressModel } from '../../../src/ui/progress-model';
import type { MergerEvent } from '../../../src/core/merger/types';

const events: MergerEvent[] = [
  { type: 'phase', phase: { id: 'snapshot', title: 'Snapshot and Fetch Configs', state: 'failed', error: 'disk full' } },
  { type: 'progress', phase: 'readd-nodes', message: 'nodes re-added', done: 3, total: 5 },
  { type: 'findings', findings: [{ code: 'E_UUID_COLLISION', severity: 'error', message: 'group default twice' }, { code: 'W_PARAM_DIFF', severity: 'warning', message: 'differs' }] },
  { type: 'finished', outcome: 'failed', error: 'snapshot: disk full' },
];
const expected = ['[snapshot] failed: disk full', '[readd-nodes] nodes re-added (3/5)', 'error E_UUID_COLLISION: group default twice', 'warning W_PARAM_DIFF: differs', 'finished: failed: snapshot: disk full'];

describe('formatEvent', () => {
  it('reads each event as its lines', () => {
    assert.deepEqual(events.flatMap((e) => formatEvent(e)), expected);
  });

  it('the CLI and the panel transcript print exactly those lines (the CLI with the time)', () => {
    let stderr = '';
    for (const e of events) printEvent({ stdout: () => undefined, stderr: (t) => (stderr += t) }, e);
    assert.deepEqual(stderr.trimEnd().split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d /, '')), expected);
    const model = new ProgressModel('t', (c) => c.argv.join(' '));
    for (const e of events) model.apply(e);
    assert.deepEqual(model.state.transcript, expected);
  });

  it('a command record reads only with a command formatter', () => {
    const event = { host: 'a1', argv: ['gnt-node', 'list'], exitCode: 0, durationMs: 1, stdoutBytes: 0, stderrBytes: 0, stdinBytes: 0, startedAt: '' };
    assert.deepEqual(formatEvent({ type: 'command', phase: 'preflight', event }), []);
    assert.deepEqual(formatEvent({ type: 'command', phase: 'preflight', event }, (c) => `${c.host}: ${c.argv.join(' ')}`), ['[preflight] a1: gnt-node list']);
  });
});
