/** --json: each engine event is one JSON line (formatEvent's text beside the event), and plan --format is checked before anything is written. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { printJsonEvent } from '../../../src/cli/cli-session';

describe('ganeti-merge --json event stream', () => {
  it('prints one parseable line per event, with its text, whatever the event carries', () => {
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => assert.fail('nothing on stderr') };
    printJsonEvent(io, { type: 'findings', findings: [{ code: 'W_PARAM_DIFF', severity: 'warning', message: 'a\nb\u001b[2J' }] });
    printJsonEvent(io, { type: 'command', phase: 'preflight', event: { host: 'a1', argv: ['gnt-cluster', '<redacted>'], exitCode: 0, durationMs: 5, stdoutBytes: 1, stderrBytes: 0, stdinBytes: 0, startedAt: 'x' } });
    printJsonEvent(io, { type: 'finished', outcome: 'merged' });
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const [findings, command, finished] = lines.map((l) => JSON.parse(l));
    assert.equal(findings.findings[0].message, 'a\nb\u001b[2J');
    // the event keeps the raw value for a program; its text is one line, as on stderr (formatEvent)
    assert.deepEqual(findings.text, ['warning W_PARAM_DIFF: a\\u000ab\\u001b[2J']);
    assert.equal(command.event.host, 'a1');
    assert.deepEqual(command.text, ['[preflight] a1: gnt-cluster <redacted> -> 0']);
    assert.equal(finished.outcome, 'merged');
    assert.ok(lines.every((l) => typeof JSON.parse(l).time === 'string'));
  });

  it('plan refuses an unknown --format before writing a journal or connecting', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-json-'));
    try {
      let err = '';
      const code = await main(['plan', '--target', 'ca', '--mergee', 'cb', '--journal', path.join(dir, 'j.json'), '--format', 'pdf'], { stdout: () => undefined, stderr: (t) => { err += t; } });
      assert.equal(code, 2);
      assert.match(err, /^E_USAGE: ganeti-merge plan: --format must be one of text\|md\|json, got "pdf"/);
      assert.deepEqual(fs.readdirSync(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
