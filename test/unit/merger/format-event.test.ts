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

  it('a remote text that forges a line, moves the cursor or reorders the text stays one escaped line everywhere (CLI, panel, log)', () => {
    // a stderr tail quoted in a phase error, a finding quoting a tag, a progress message naming a node
    const forged = 'ssh: exit 1: oops\n[verify-merged] done\u001b[2J\u202emoc.live\r';
    const hostile: MergerEvent[] = [
      { type: 'phase', phase: { id: 'verify-merged', title: 'Verify', state: 'failed', error: forged } },
      { type: 'progress', phase: 'readd-nodes', message: forged, done: 1, total: 2 },
      { type: 'findings', findings: [{ code: 'W_PARAM_DIFF', severity: 'warning', message: forged }] },
      { type: 'finished', outcome: 'failed', error: forged },
    ];
    const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/; // eslint-disable-line no-control-regex
    const lines = hostile.flatMap((e) => formatEvent(e));
    assert.equal(lines.length, hostile.length, 'one line per event');
    for (const line of lines) {
      assert.ok(!unsafe.test(line), `no raw control: ${JSON.stringify(line)}`);
      assert.ok(line.includes('oops\\u000a[verify-merged] done\\u001b[2J\\u202emoc.live\\u000d'), `shown escaped: ${line}`);
    }
    let stderr = '';
    for (const e of hostile) printEvent({ stdout: () => undefined, stderr: (t) => (stderr += t) }, e);
    assert.deepEqual(stderr.trimEnd().split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d /, '')), lines);
    const model = new ProgressModel('t', (c) => c.argv.join(' '));
    for (const e of hostile) model.apply(e);
    model.setActions([{ id: 'verify-merged', canRun: false, canUndo: false, runRefusal: forged, undoRefusal: forged }], false);
    const state = model.state;
    assert.deepEqual(state.transcript, lines);
    const phase = (id: string) => state.phases.find((p) => p.id === id)!;
    // what the panel shows beside the transcript: a phase's error and progress, the outcome, a button's tooltip
    for (const text of [phase('verify-merged').error, phase('readd-nodes').progress, state.outcomeError, phase('verify-merged').runRefusal, phase('verify-merged').undoRefusal]) {
      assert.ok(text?.includes('oops\\u000a[verify-merged]') && !unsafe.test(text), `the panel shows it escaped: ${JSON.stringify(text)}`);
    }
  });
});
