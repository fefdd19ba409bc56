import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../../src/core/atomic-write';
import { Journal, JournalError } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES } from '../../../src/core/merger/types';
import { WorkFiles } from '../../../src/core/merger/work-files';

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
    j.completeRecord(r, { stopped: ['i1'] });
    const again = Journal.load(file);
    assert.equal(again.id, 'merge-test-1');
    assert.deepEqual(again.doc.options, OPTIONS);
    assert.equal(again.phase('preflight').state, 'done');
    assert.equal(again.phase('verify-target').state, 'pending');
    assert.deepEqual(again.records('stop-instances'), [{ seq: 1, kind: 'running-instances', host: 'b1', data: { names: ['i1'], stopped: ['i1'] }, done: true }]);
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

  it('refuses undo records and facts of the wrong shape before anything acts on them', () => {
    const journal = Journal.create(file, OPTIONS);
    const record = { seq: 1, kind: 'running-instances', host: 'b1.example', data: { cluster: 'cb', names: ['i1.example'], stopped: ['i1.example'] }, done: true };
    const node = { name: 'b1.example', offline: false, role: 'master', group: 'default' };
    const cluster = { given: 'cb', name: 'cb', uuid: 'u', master: 'b1.example', version: '3.0.2', major: 3, nodes: [node], instances: [{ name: 'i1.example', running: true }], groups: [] };
    const facts = { target: { ...cluster, name: 'ca', master: 'a1.example', nodes: [{ ...node, name: 'a1.example' }] }, mergees: [cluster], mergeSummary: '' };
    const write = (patch: (doc: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const doc = structuredClone({ ...journal.doc, facts }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      doc.phases['stop-instances'].records = [structuredClone(record)];
      patch(doc);
      fs.writeFileSync(file, JSON.stringify(doc));
    };
    write(() => undefined);
    assert.deepEqual(Journal.load(file).records('stop-instances')[0], record, 'the well-formed journal loads');
    const rec = (d: Record<string, any>) => d.phases['stop-instances'].records[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const cases: Array<[string, (d: Record<string, any>) => void, RegExp]> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['a host with shell metacharacters', (d) => { rec(d).host = 'b1;reboot'; }, /phase stop-instances: a record running-instances has an invalid host/],
      ['a numeric host', (d) => { rec(d).host = 42; }, /invalid host/],
      ['a string seq', (d) => { rec(d).seq = '1'; }, /invalid seq/],
      ['a seq used twice', (d) => { d.phases['pause-watchers'].records = [{ ...rec(d), kind: 'watcher-paused', data: {} }]; }, /seq 1 is used twice/],
      ['done as a string', (d) => { rec(d).done = 'yes'; }, /invalid done/],
      ['data null', (d) => { rec(d).data = null; }, /invalid data/],
      ['stopped as one string', (d) => { rec(d).data.stopped = 'i1.example'; }, /invalid data\.stopped/],
      ['names with a number', (d) => { rec(d).data.names = [1]; }, /invalid data\.names/],
      ['an instance name that is an option', (d) => { rec(d).data.stopped = ['--all']; }, /invalid data\.stopped/],
      ['a snapshot id with a path', (d) => { rec(d).data.ganeti = '../../etc/x'; }, /invalid data\.ganeti/],
      ['preexisting as the string "false"', (d) => { rec(d).data.preexisting = 'false'; }, /invalid data\.preexisting/],
      ['a record that is a string', (d) => { d.phases['stop-instances'].records = ['x']; }, /a record is not an object/],
      ['a node name that is an ssh option', (d) => { d.facts.mergees[0].nodes[0].name = '-oProxyCommand=x'; }, /invalid facts: cluster "cb" has invalid nodes/],
      ['a master that is not a host name', (d) => { d.facts.target.master = '$(id)'; }, /invalid facts: a cluster has an invalid name or master/],
      ['nodes that are not a list', (d) => { d.facts.target.nodes = {}; }, /invalid nodes/],
      ['offline as a string', (d) => { d.facts.target.nodes[0].offline = 'N'; }, /invalid nodes/],
      ['no mergees list', (d) => { delete d.facts.mergees; }, /invalid facts/],
      ['a phase done while every earlier one is pending', (d) => { d.phases['write-config'].state = 'done'; }, /phase write-config is done while the earlier phase preflight is pending \(phases out of order\)/],
      ['a phase undone after a pending one', (d) => { d.phases.preflight.state = 'done'; d.phases.snapshot.state = 'undone'; }, /phase snapshot is undone while the earlier phase verify-target is pending/],
      ['a command in flight on host "$(id)"', (d) => { d.inFlight = [{ phase: 'snapshot', host: '$(id)', command: 'x', sentAt: 1 }]; }, /invalid inFlight/],
      ['a command in flight of an unknown phase', (d) => { d.inFlight = [{ phase: 'format-disks', host: 'a1', command: 'x', sentAt: 1 }]; }, /invalid inFlight/],
      ['a rollback that is a string', (d) => { d.rollback = 'yes'; }, /invalid rollback/],
      ['a rollback in an unknown state', (d) => { d.rollback = { state: 'maybe', startedAt: 1 }; }, /invalid rollback/],
      ['instances without running', (d) => { delete d.facts.mergees[0].instances[0].running; }, /invalid instances/],
      ['groups that are not a list', (d) => { d.facts.target.groups = 'default'; }, /invalid facts: cluster "ca" has invalid groups/],
      ['a group without a name', (d) => { d.facts.mergees[0].groups = [{ uuid: 'g' }]; }, /invalid facts: cluster "cb" has invalid groups/],
    ];
    for (const [what, patch, message] of cases) {
      write(patch);
      const before = fs.readFileSync(file, 'utf8');
      assert.throws(() => Journal.load(file), (e: Error) => e instanceof JournalError && e.code === 'E_JOURNAL_INVALID' && message.test(e.message), what);
      assert.equal(fs.readFileSync(file, 'utf8'), before, `${what}: the file is unchanged`);
    }
  });

  it('a journal reached through a symlink is saved to its real file: the link stays a link, the work files stay next to it', () => {
    Journal.create(file, OPTIONS, 'merge-link-1');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(file, link);
    const j = Journal.load(link);
    assert.equal(j.file, file);
    assert.equal(WorkFiles.forJournal(link).dir, `${file}.files`);
    j.setState('preflight', 'done');
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is not replaced by a copy');
    assert.equal(Journal.load(file).phase('preflight').state, 'done');
  });

  it('record sequence numbers are unique across phases', () => {
    const j = Journal.create(file, OPTIONS);
    const a = j.addRecord('pause-watchers', 'watcher-paused', 'a1');
    const b = j.addRecord('stop-instances', 'running-instances', 'b1');
    const c = j.addRecord('pause-watchers', 'watcher-paused', 'b1');
    assert.deepEqual([a.seq, b.seq, c.seq], [1, 2, 3]);
  });
});
