/** The exact records behind I-33: any change outside the skipped keys/indexes is seen. */
import * as assert from 'assert';
import { match, record, Trail, type TrailRules } from '../../../src/core/config/json/trail';
import { copyRules, ownedKeys } from '../../../src/core/config/merge/snapshot';
import type { Json, JsonObject } from '../../../src/core/config/types';

function recorded(value: Json, rules?: TrailRules): { trail: Trail; at: number } {
  const trail = new Trail();
  trail.push('something recorded before');
  const at = trail.length;
  record(trail, value, rules);
  record(trail, { after: 'another record' });
  return { trail, at };
}

function same(before: Json, after: Json, rules?: TrailRules): boolean {
  const { trail, at } = recorded(before, rules);
  return match(trail, at, after, rules) >= 0;
}

const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

describe('config/json-trail', () => {
  const value: JsonObject = { a: 1, b: 'x', c: [1, 'two', null, true, { d: [] }], e: { f: { g: -0.5 } }, h: null };

  it('matches an equal value, also a deep copy, and returns the end of the record', () => {
    const { trail, at } = recorded(value);
    assert.ok(same(value, value));
    assert.ok(same(value, clone(value)));
    const end = match(trail, at, value);
    assert.deepStrictEqual([end, trail.at(end + 1), trail.at(end + 2)], [trail.length - 4, 'after', 'another record']);
  });

  it('sees every kind of change, at any depth', () => {
    const changes: Array<(v: JsonObject) => void> = [
      (v) => { v.a = 2; },
      (v) => { v.a = '1'; },
      (v) => { v.b = 'y'; },
      (v) => { delete v.h; },
      (v) => { v.z = null; },
      (v) => { (v.c as Json[]).push(1); },
      (v) => { (v.c as Json[]).pop(); },
      (v) => { (v.c as Json[])[1] = 'three'; },
      (v) => { ((v.c as Json[])[4] as JsonObject).d = [[]]; },
      (v) => { ((v.e as JsonObject).f as JsonObject).g = 0.5; },
      (v) => { (v.e as JsonObject).f = [] as Json; },
      (v) => { v.h = {}; },
      (v) => { v.c = {} as Json; },
      (v) => { const { a, ...rest } = v; for (const k of Object.keys(v)) delete v[k]; Object.assign(v, rest, { a }); }, // key order
    ];
    changes.forEach((change, i) => {
      const after = clone(value) as JsonObject;
      change(after);
      assert.ok(!same(value, after), `change ${i} was not seen`);
    });
  });

  it('skips only the listed keys and array index', () => {
    const rules: TrailRules = { skipKeys: new Set(['a']), nested: (key) => (key === 'c' ? { skipIndex: 1 } : undefined) };
    const after = clone(value) as JsonObject;
    after.a = 99;
    (after.c as Json[])[1] = 'changed';
    assert.ok(same(value, after, rules));
    (after.c as Json[])[0] = 2;
    assert.ok(!same(value, after, rules));
  });

  it('disk rules: owned keys at every level and the DRBD port are free, the rest of the tree is not', () => {
    const rules = copyRules(ownedKeys(true)).disk;
    const child = (n: number): JsonObject => ({ dev_type: 'plain', logical_id: ['vg', `lv${n}`], serial_no: 1, mtime: 1, size: 10 });
    const disk: JsonObject = { dev_type: 'drbd', logical_id: ['n1', 'n2', 11000, 0, 0, 'secret'], children: [child(1), child(2)], serial_no: 1, mtime: 1, size: 10 };
    const moved = clone(disk) as JsonObject;
    (moved.logical_id as Json[])[2] = 11042;
    moved.serial_no = 2;
    ((moved.children as Json[])[1] as JsonObject).mtime = 5;
    assert.ok(same(disk, moved, rules));
    const tampered: Array<(d: JsonObject) => void> = [
      (d) => { (d.logical_id as Json[])[3] = 7; },
      (d) => { (d.logical_id as Json[])[5] = 'other'; },
      (d) => { ((d.children as Json[])[1] as JsonObject).size = 11; },
      (d) => { (((d.children as Json[])[0] as JsonObject).logical_id as Json[])[1] = 'lvX'; },
      (d) => { (d.children as Json[]).reverse(); },
    ];
    tampered.forEach((change, i) => {
      const after = clone(moved) as JsonObject;
      change(after);
      assert.ok(!same(disk, after, rules), `disk change ${i} was not seen`);
    });
    // The port is free only in a DRBD logical_id.
    const plain = child(3);
    const renamed = clone(plain) as JsonObject;
    (renamed.logical_id as Json[])[2] = 'x';
    assert.ok(!same(plain, renamed, rules));
  });
});
