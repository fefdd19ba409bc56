import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../../src/core/atomic-write';
import { Journal, JournalError } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES } from '../../../src/core/merger/types';

const OPTIONS = { ...DEFAULT_PLAN_OPTIONS, target: 'clustera', mergees: ['clusterb'] };

describe('merge journal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-journal-'));
    file = path.join(dir, 'merge.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips phases, records and options through the file', () => {
    const j = Journal.create(file, OPTIONS, 'merge-test-1');
    j.setState('preflight', 'done');
    const r = j.addRecord('stop-instances', 'running-instances', 'b1', { names: ['i1'] });
    j.completeRecord(r, { stopped: true });
    const again = Journal.load(file);
    assert.equal(again.id, 'merge-test-1');
    assert.deepEqual(again.doc.options, OPTIONS);
    assert.equal(again.phase('preflight').state, 'done');
    assert.equal(again.phase('verify-target').state, 'pending');
    assert.deepEqual(again.records('stop-instances'), [{ seq: 1, kind: 'running-instances', host: 'b1', data: { names: ['i1'], stopped: true }, done: true }]);
    assert.equal(Object.keys(again.doc.phases).length, PHASES.length);
  });

  it('saves an intended action before it is confirmed (crash between the two keeps the intent)', () => {
    const j = Journal.create(file, OPTIONS);
    j.addRecord('authorize-target-master', 'authorized-key', 'b1', { preexisting: false });
    const reloaded = Journal.load(file).records('authorize-target-master');
    assert.equal(reloaded.length, 1);
    assert.equal(reloaded[0].done, false);
    assert.equal(reloaded[0].data.preexisting, false);
  });

  it('refuses to overwrite an existing journal', () => {
    Journal.create(file, OPTIONS);
    assert.throws(() => Journal.create(file, OPTIONS), (e: Error) => e instanceof JournalError && /already exists/.test(e.message));
  });

  it('a torn temp file left by a crash never replaces the journal', () => {
    const j = Journal.create(file, OPTIONS);
    j.setState('preflight', 'done');
    const before = fs.readFileSync(file, 'utf8');
    // What a crash in the middle of a save leaves behind: a partial temp file next to the journal.
    fs.writeFileSync(path.join(dir, `.merge.json.${process.pid}.deadbeef.tmp`), before.slice(0, 40));
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.equal(Journal.load(file).phase('preflight').state, 'done');
  });

  it('a failed replace keeps the old content and removes its temp file', () => {
    const target = path.join(dir, 'occupied');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    assert.throws(() => writeFileAtomicSync(target, 'new content'));
    assert.deepEqual(fs.readdirSync(dir), ['occupied']);
    assert.equal(fs.readFileSync(path.join(target, 'keep'), 'utf8'), 'x');
  });

  it('writes the journal with mode 0600 (it names hosts and files of a merge)', () => {
    Journal.create(file, OPTIONS);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('rejects a truncated or foreign document with a specific error', () => {
    fs.writeFileSync(file, '{"format": 1, "id": "x", "options": {');
    assert.throws(() => Journal.load(file), (e: Error) => e instanceof JournalError && /not valid JSON/.test(e.message));
    fs.writeFileSync(file, JSON.stringify({ format: 2, id: 'x' }));
    assert.throws(() => Journal.load(file), /format 2/);
    const j = JSON.parse(JSON.stringify({ format: 1, id: 'merge-x', options: OPTIONS, phases: {} }));
    fs.writeFileSync(file, JSON.stringify(j));
    assert.throws(() => Journal.load(file), /phase preflight missing/);
  });

  it('refuses cluster-lock hosts that are not host names (they end in remote commands)', () => {
    const journal = Journal.create(file, OPTIONS);
    journal.doc.locks = { hosts: ['a1.example', '10.0.0.1'], since: '2026-01-01T00:00:00Z' };
    journal.save();
    assert.deepEqual(Journal.load(file).doc.locks?.hosts, ['a1.example', '10.0.0.1']);
    for (const locks of [{ hosts: ['a1; rm -rf /'], since: 'x' }, { hosts: 'a1', since: 'x' }, { hosts: ['-oProxyCommand=x'], since: 'x' }, { hosts: [] }]) {
      fs.writeFileSync(file, JSON.stringify({ ...journal.doc, locks }));
      assert.throws(() => Journal.load(file), (e: Error) => e instanceof JournalError && /invalid locks/.test(e.message), JSON.stringify(locks));
    }
  });

  it('record sequence numbers are unique across phases', () => {
    const j = Journal.create(file, OPTIONS);
    const a = j.addRecord('pause-watchers', 'watcher-paused', 'a1');
    const b = j.addRecord('stop-instances', 'running-instances', 'b1');
    const c = j.addRecord('pause-watchers', 'watcher-paused', 'b1');
    assert.deepEqual([a.seq, b.seq, c.seq], [1, 2, 3]);
  });
});
